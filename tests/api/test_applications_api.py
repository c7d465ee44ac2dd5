"""The JSON API for forms, drafts, submitting and one's own applications."""

import json

import pytest
from django.test import Client

from madoguchi.submissions.models import Submission
from tests import onestop


@pytest.fixture
def api(kyoto, resident) -> Client:
    onestop.publish(kyoto)
    client = Client()
    client.force_login(resident)
    return client


def _post(client: Client, path: str, body: dict, key: str = "") -> object:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def _patch(client: Client, path: str, body: dict) -> object:
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_the_form_definition_is_public(kyoto) -> None:
    onestop.publish(kyoto)
    form = Client().get(f"/api/v1/forms/{onestop.CODE}").json()
    assert form["version"] == 2
    assert form["definition"]["steps"][0]["questions"][0]["prefill"] == "registry.full_name"
    assert Client().get("/api/v1/forms/no-such-procedure").status_code == 404


def test_a_resident_applies_through_the_api(api, family) -> None:
    created = _post(api, "/api/v1/drafts", {"procedure_code": onestop.CODE}, key="k-1")
    assert created.status_code == 201
    draft = created.json()
    assert draft["answers"]["name"] == "山田 太郎"
    assert "name" in draft["prefilled"]
    url = f"/api/v1/drafts/{draft['id']}"
    refused = _patch(api, url, {"answers": {"insured": "maybe", "members": [str(family[2].pk)]}})
    assert refused.status_code == 422
    assert (
        "「健康保険に加入していますか」を選んでください。" in refused.json()["errors"]["children"]
    )
    saved = _patch(api, url, {"answers": {"phone": "０７５２２２３１１１"}})
    assert saved.json()["answers"]["phone"] == "0752223111"  # normalized as on the portal
    _patch(api, url, {"answers": {"insured": "yes", "members": [str(family[2].pk)]}})
    first = _post(api, f"{url}/submit", {}, key="submit-1")
    assert first.status_code == 200
    assert first.json()["status"] == "submitted"
    # A retried call with the same key returns the same result; nothing is made twice.
    retry = _post(api, f"{url}/submit", {}, key="submit-1")
    assert retry.json() == first.json()
    assert Submission.objects.filter(status="submitted").count() == 1
    # A retried "create" with the same key returns the submitted one, not a new draft.
    again = _post(api, "/api/v1/drafts", {"procedure_code": onestop.CODE}, key="k-1")
    assert again.json()["reference"] == first.json()["reference"]
    listed = api.get("/api/v1/applications").json()
    assert [a["reference"] for a in listed] == [first.json()["reference"]]
    one = api.get(f"/api/v1/applications/{first.json()['reference']}").json()
    assert one["answers"]["members"] == [str(family[2].pk)]


def test_the_same_submit_key_for_another_draft_is_refused(api, family, kyoto) -> None:
    draft = _post(api, "/api/v1/drafts", {"procedure_code": onestop.CODE}).json()
    url = f"/api/v1/drafts/{draft['id']}"
    answers = {"phone": "0752223111", "insured": "yes", "members": [str(family[2].pk)]}
    assert _patch(api, url, {"answers": answers}).status_code == 200
    assert _post(api, f"{url}/submit", {}, key="same").status_code == 200
    other = _post(api, "/api/v1/drafts", {"procedure_code": onestop.CODE}).json()
    assert other["id"] != draft["id"]
    assert _post(api, f"/api/v1/drafts/{other['id']}/submit", {}, key="same").status_code == 409


def test_others_get_401_or_404(api, other_resident, clerk) -> None:
    draft = _post(api, "/api/v1/drafts", {"procedure_code": onestop.CODE}).json()
    url = f"/api/v1/drafts/{draft['id']}"
    assert Client().get(url).status_code == 401
    assert Client().get("/api/v1/applications").status_code == 401
    neighbour = Client()
    neighbour.force_login(other_resident)
    assert neighbour.get(url).status_code == 404
    assert neighbour.get("/api/v1/applications").json() == []
    staff = Client()
    staff.force_login(clerk)
    assert staff.get(url).status_code == 401


def test_answers_to_unknown_questions_are_refused(api) -> None:
    draft = _post(api, "/api/v1/drafts", {"procedure_code": onestop.CODE}).json()
    refused = _patch(api, f"/api/v1/drafts/{draft['id']}", {"answers": {"nope": "x"}})
    assert refused.status_code == 422
    assert "この申請にない項目です：nope" in refused.json()["errors"][""]


def test_an_application_in_one_request_is_prefilled_checked_and_submitted_once(api, family) -> None:
    from madoguchi.cases.models import Case
    from madoguchi.notifications.models import Message

    body = {
        "procedure_code": onestop.CODE,
        "answers": {
            "phone": "０７５２２２３１１１",
            "insured": "yes",
            "members": [str(family[2].pk)],
        },
    }
    first = _post(api, "/api/v1/applications", body, key="apply-1")
    assert first.status_code == 201
    application = first.json()
    assert application["status"] == "submitted"
    assert application["reference"]
    assert application["answers"]["name"] == "山田 太郎"  # once-only: not sent, prefilled
    assert "name" in application["prefilled"]
    assert application["answers"]["phone"] == "0752223111"  # normalized as on the portal
    # Its case is in the section's queue and the resident was told, as after the portal.
    case = Case.objects.get(submission__reference=application["reference"])
    assert case.status == "received"
    assert Message.objects.filter(event="application_received").count() == 1
    # A retry with the same key returns the same application; nothing is made twice.
    retry = _post(api, "/api/v1/applications", body, key="apply-1")
    assert retry.json() == application
    assert Submission.objects.count() == 1
    assert Case.objects.count() == 1


def test_a_refused_one_request_application_keeps_nothing(api, family) -> None:
    body = {"procedure_code": onestop.CODE, "answers": {"insured": "maybe"}}
    refused = _post(api, "/api/v1/applications", body, key="apply-2")
    assert refused.status_code == 422
    assert (
        "「健康保険に加入していますか」を選んでください。" in refused.json()["errors"]["children"]
    )
    unknown = _post(api, "/api/v1/applications", {**body, "answers": {"nope": "x"}})
    assert "この申請にない項目です：nope" in unknown.json()["errors"][""]
    assert Submission.objects.count() == 0
    # The key was not spent on the refusal: the corrected request goes through with it.
    body["answers"] = {"phone": "0752223111", "insured": "yes", "members": [str(family[2].pk)]}
    assert _post(api, "/api/v1/applications", body, key="apply-2").status_code == 201
    assert (
        Client().post("/api/v1/applications", body, content_type="application/json").status_code
        == 401
    )
