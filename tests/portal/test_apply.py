"""A resident applies for a copy of their resident record (住民票の写しの交付請求)."""

import re

import pytest
from django.test import Client

from madoguchi.cases.models import Case
from madoguchi.submissions.models import Submission
from tests.flows import apply_juminhyo, fill_juminhyo, pay_in_sandbox, start


@pytest.fixture
def client_of(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def test_resident_applies_and_sees_the_application(client_of, family) -> None:
    reference = apply_juminhyo(client_of, family[:2], copies="2")
    page = client_of.get(f"/applications/{reference}/submitted/").content.decode()
    assert reference in page
    assert "中京区役所 市民窓口課" in page
    listing = client_of.get("/applications/").content.decode()
    assert reference in listing
    assert "受付" in listing
    case = Case.objects.get(submission__reference=reference)
    assert case.section.code == "nakagyo-citizen-services"
    assert case.submission.answers["members"] == [str(family[0].pk), str(family[1].pk)]


def test_the_form_offers_only_the_residents_own_household(client_of, family, neighbour) -> None:
    page = client_of.get(start(client_of)).content.decode()
    offered = set(re.findall(r'name="members" value="(\d+)"', page))
    assert offered == {str(p.pk) for p in family}
    assert "鈴木" not in page


def test_a_member_of_another_household_is_refused(client_of, family, neighbour) -> None:
    url = start(client_of)
    response = client_of.post(url, {"members": [str(neighbour[0].pk)]})
    assert response.status_code == 200
    assert "「住民票に載せる方」を選んでください。" in response.content.decode()


def test_empty_step_shows_an_error_summary_linking_to_the_field(client_of, family) -> None:
    response = client_of.post(start(client_of), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>エラー: " in page
    assert 'class="error-summary"' in page
    assert 'href="#id_members_0"' in page
    assert 'id="id_members_0"' in page
    assert "「住民票に載せる方」を選んでください。" in page


def test_invalid_number_of_copies_is_explained(client_of, family) -> None:
    url = start(client_of)
    response = client_of.post(url, {"members": [str(family[0].pk)]})
    response = client_of.post(
        response["Location"], {"include_relationship": "yes", "include_honseki": "no"}
    )
    response = client_of.post(response["Location"], {"purpose": "employment", "copies": "0"})
    assert "「必要な通数」は1以上10以下の数字で入力してください。" in response.content.decode()
    response = client_of.post(
        response.request["PATH_INFO"], {"purpose": "employment", "copies": "abc"}
    )
    assert "「必要な通数」は数字で入力してください。" in response.content.decode()


def test_an_unpaid_application_is_not_submitted(client_of, family) -> None:
    check_url = fill_juminhyo(client_of, family[:1], copies="2")
    page = client_of.get(check_url).content.decode()
    assert "手数料は 600円 です。" in page  # 300 yen per copy
    assert "支払って申請する" in page
    response = client_of.post(check_url)  # submitting without paying, e.g. a crafted form
    assert response.status_code == 200
    assert "手数料のお支払いが済んでいません。" in response.content.decode()
    assert Submission.objects.filter(status="submitted").count() == 0


def test_double_submit_creates_one_application(client_of, family) -> None:
    check_url = fill_juminhyo(client_of, family[:1])
    landing = pay_in_sandbox(client_of, check_url.replace("/check/", "/pay/"))
    first = client_of.post(check_url)
    second = client_of.post(check_url)
    assert first["Location"] == second["Location"] == landing
    assert Submission.objects.filter(status="submitted").count() == 1
    assert Case.objects.count() == 1


def test_check_page_refuses_a_draft_with_a_skipped_step(client_of, family) -> None:
    url = start(client_of)
    client_of.post(url, {"members": [str(family[0].pk)]})
    check_url = url.rsplit("/", 2)[0] + "/check/"
    response = client_of.post(check_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "「世帯主の氏名と続柄を載せますか」を選んでください。" in page
    assert Submission.objects.filter(status="submitted").count() == 0


def test_draft_is_resumed_after_leaving(client_of, family) -> None:
    url = start(client_of)
    client_of.post(url, {"members": [str(family[1].pk)]})
    resumed = start(client_of)
    assert resumed == url
    page = client_of.get(url).content.decode()
    assert re.search(rf'value="{family[1].pk}"[^>]*checked', page)


def test_another_residents_application_is_not_found(client_of, family, other_resident) -> None:
    reference = apply_juminhyo(client_of, family[:1])
    stranger = Client()
    stranger.force_login(other_resident)
    assert stranger.get(f"/applications/{reference}/").status_code == 404
    assert stranger.get(f"/applications/{reference}/submitted/").status_code == 404
    assert reference not in stranger.get("/applications/").content.decode()


def test_unknown_reference_is_not_found(client_of) -> None:
    response = client_of.get("/applications/AAAA-BBBB-CC/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_anonymous_visitor_is_asked_to_log_in(kyoto) -> None:
    response = Client().post("/procedures/juminhyo-copy/apply/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    detail = Client().get("/procedures/juminhyo-copy/").content.decode()
    assert "ログインして申請する" in detail


def test_staff_cannot_use_resident_pages(clerk) -> None:
    client = Client()
    client.force_login(clerk)
    assert client.get("/applications/").status_code == 403
