"""Once-only: what the city holds is prefilled and shown, not asked; a change is flagged for
staff; every use of the resident's data is in their data-use log."""

import re

import pytest
from django.test import Client

from madoguchi.forms import engine, prefill
from madoguchi.forms import services as form_services
from madoguchi.procedures.models import Procedure
from madoguchi.submissions import selectors as submission_selectors
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.models import Submission
from tests import onestop
from tests.forms.every_type import every_type_definition


@pytest.fixture
def form(kyoto):
    return onestop.publish(kyoto)


@pytest.fixture
def clerk(kyoto):
    return onestop.section_clerk(kyoto)


@pytest.fixture
def client_of(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def _start(client: Client) -> str:
    response = client.post(f"/procedures/{onestop.CODE}/apply/", {"form_token": "t1"})
    assert response.status_code == 302
    return response["Location"]


def test_every_source_registers_its_attributes() -> None:
    keys = {a.key for a in prefill.attributes()}
    assert {
        "registry.full_name",
        "registry.full_name_kana",
        "registry.birth_date",
        "registry.sex",
        "registry.address",
        "registry.household_members",
        "registry.relationship",
        "submissions.phone",
        "submissions.email",
        "demo.phone",
    } <= keys


def test_registry_values_for_the_applicant_only(family) -> None:
    context = prefill.PrefillContext(person=family[1])
    values = prefill.prefill_values(
        context,
        ["registry.full_name", "registry.birth_date", "registry.address", "registry.sex"],
    )
    assert values["registry.full_name"] == "山田 花子"
    assert values["registry.birth_date"] == "1987-09-15"
    assert values["registry.sex"] == "female"
    assert values["registry.address"]["city"] == family[1].household.city
    assert set(values["registry.address"]) == {
        "postal_code",
        "prefecture",
        "city",
        "town",
        "block",
        "building",
    }
    assert prefill.prefill_values(prefill.PrefillContext(), ["registry.full_name"]) == {}
    assert prefill.prefill_values(context, ["registry.no_such", "nowhere.x"]) == {}


def test_the_demo_source_answers_demo_accounts_only(resident, other_resident) -> None:
    demo = prefill.prefill_values(prefill.PrefillContext(user=resident), ["demo.phone"])
    assert demo == {"demo.phone": "075-222-3111"}
    other_resident.is_demo = False
    real = prefill.PrefillContext(user=other_resident)
    assert prefill.prefill_values(real, ["demo.phone"]) == {}


def test_prefilled_answers_are_shown_not_asked(client_of, form) -> None:
    page = client_of.get(_start(client_of)).content.decode()
    assert "市が保有する情報から入力しました" in page
    assert "山田 太郎" in page
    assert "ヤマダ タロウ" in page
    assert 'name="name"' not in page  # shown, not asked
    assert 'name="phone"' in page  # no earlier application holds a phone number yet


def test_a_changed_prefill_is_flagged_for_staff(client_of, form, family, clerk) -> None:
    step_url = _start(client_of)
    page = client_of.get(step_url + "?change=1").content.decode()
    assert re.search(r'name="name"[^>]*value="山田 太郎"', page)
    response = client_of.post(
        step_url + "?change=1",
        {"name": "山田 太朗", "kana": "ヤマダ タロウ", "phone": "0752223111"},
    )
    response = client_of.post(
        response["Location"], {"members": [str(family[2].pk)], "insured": "yes"}
    )
    response = client_of.post(response["Location"])
    reference = response["Location"].split("/")[2]
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["name"] == "山田 太朗"
    staff = Client()
    staff.force_login(clerk)
    case_page = staff.get(f"/staff/cases/{submission.case.pk}/").content.decode()
    assert "市が保有する情報から変更された回答" in case_page
    assert "山田 太郎" in case_page
    assert "山田 太朗" in case_page


def test_an_unchanged_application_shows_no_flag(client_of, form, family, clerk) -> None:
    step_url = _start(client_of)
    response = client_of.post(step_url, {"phone": "0752223111"})
    response = client_of.post(
        response["Location"], {"members": [str(family[2].pk)], "insured": "yes"}
    )
    reference = client_of.post(response["Location"])["Location"].split("/")[2]
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["name"] == "山田 太郎"
    staff = Client()
    staff.force_login(clerk)
    case_page = staff.get(f"/staff/cases/{submission.case.pk}/").content.decode()
    assert "市が保有する情報から変更された回答" not in case_page
    # The next application takes the phone number from this one.
    page = client_of.get(_next_start(client_of)).content.decode()
    assert "075" in page
    assert "2223111" in page
    assert 'name="phone"' not in page


def _next_start(client: Client) -> str:
    return client.post(f"/procedures/{onestop.CODE}/apply/", {"form_token": "t2"})["Location"]


def test_the_data_use_log_shows_the_resident_what_was_used(client_of, form, family) -> None:
    step_url = _start(client_of)
    response = client_of.post(step_url, {"phone": "0752223111"})
    response = client_of.post(
        response["Location"], {"members": [str(family[2].pk)], "insured": "yes"}
    )
    reference = client_of.post(response["Location"])["Location"].split("/")[2]
    detail = client_of.get(f"/applications/{reference}/").content.decode()
    assert "この申請で市が利用したあなたの情報" in detail
    assert "住民基本台帳" in detail
    assert "氏名（カナ）" in detail
    assert "「子育て支援医療費の受給者証交付申請」の申請" in detail  # why: the procedure
    listing = client_of.get("/data-use/").content.decode()
    assert listing.count("住民基本台帳") >= 2
    assert reference in listing


def test_nobody_else_sees_the_log(client_of, form, other_resident) -> None:
    _start(client_of)
    neighbour = Client()
    neighbour.force_login(other_resident)
    page = neighbour.get("/data-use/").content.decode()
    assert "まだ記録はありません。" in page
    assert "氏名（カナ）" not in page


def test_the_english_log_is_in_english(client_of, form) -> None:
    _start(client_of)
    page = client_of.get("/en/data-use/").content.decode()
    assert "Resident registry" in page
    assert "Name (kana)" in page


def test_registry_values_pass_the_questions_own_validation(kyoto, resident, family) -> None:
    """Every type the registry fills (text, kana, date, address) takes its value as valid."""
    procedure = Procedure.objects.get(municipality=kyoto, code=onestop.CODE)
    form_services.publish(procedure, every_type_definition())
    client = Client()
    client.force_login(resident)
    step_url = client.post(f"/procedures/{onestop.CODE}/apply/")["Location"]
    page = client.get(step_url).content.decode()
    assert "市が保有する情報から入力しました" in page
    assert 'name="address__postal_code"' not in page
    assert 'name="phone"' in page
    response = client.post(step_url, {"phone": "075-222-3111", "email": ""})
    assert response.status_code == 302, response.content.decode()
    draft = Submission.objects.get(status="draft")
    assert draft.answers["birth_date"] == "1985-04-01"
    assert draft.answers["address"]["city"] == family[0].household.city
    step = draft.form_version.parsed.step("applicant")
    context = submission_services.choice_context(draft)
    form = engine.step_form(
        step, context, data=engine.form_data(step, draft.answers), answers=draft.answers
    )
    assert form.is_valid(), form.errors
    assert submission_selectors.changed_prefills(draft) == []
