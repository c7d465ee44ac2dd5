"""One-stop bundles: the shared questions asked once, one submission fanning out to one
application per procedure, each in its own section with its own reference."""

import pytest
from django.test import Client

from madoguchi.audit.models import AuditEntry
from madoguchi.bundles import services
from madoguchi.bundles.models import BundleApplication
from madoguchi.cases.models import Case
from madoguchi.datause.models import DataUse
from madoguchi.demo.bundles import load_bundles
from madoguchi.forms import selectors as form_selectors
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests.flows import staff_client

from .flows import birth_steps, fill, moving_in_steps

MOVING_IN_SECTIONS = {
    "tennyu": "nakagyo-citizen-services",
    "nhi-enrollment": "nakagyo-insurance-pension",
    "child-allowance-claim": "nakagyo-child-support",
    "child-medical-subsidy": "nakagyo-insurance-pension",
}


@pytest.fixture
def bundles(kyoto):
    return {bundle.slug: bundle for bundle in load_bundles(kyoto)}


@pytest.fixture
def resident_client(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def test_moving_in_asks_each_shared_question_once(bundles, resident_client, family) -> None:
    check_url, asked = fill(resident_client, "moving-in", moving_in_steps(family))
    # 転入届, then what the other three add: the phone number (asked by all four) and the
    # previous address (転入届 and 児童手当) once, the children (児童手当 and 子ども医療) once.
    assert asked == [
        "move", "movers", "contact", "nhi", "children", "claimant", "account", "insurance"
    ]  # fmt: skip
    page = resident_client.get(check_url).content.decode()
    assert page.count("075-222-3111") == 1
    assert page.count("大阪府大阪市北区中之島1-3-20") == 1
    for name in ["転入届", "国民健康保険の加入の届出", "児童手当の認定請求"]:
        assert name in page


def test_step_says_which_procedures_use_a_shared_answer(bundles, resident_client, family) -> None:
    check_url, _asked = fill(resident_client, "moving-in", moving_in_steps(family))
    draft = check_url.split("/")[3]
    page = resident_client.get(f"/life-events/drafts/{draft}/contact/").content.decode()
    assert (
        "この回答は次の手続に使います：転入届、国民健康保険の加入の届出、児童手当の認定請求、"
        "子育て支援医療費の受給者証交付申請" in page
    )


def test_one_submission_makes_one_application_per_procedure_in_its_section(
    bundles, resident_client, resident, family, smtp_server
) -> None:
    check_url, _asked = fill(resident_client, "moving-in", moving_in_steps(family))
    response = resident_client.post(check_url)
    assert response.status_code == 302
    page_url = response["Location"]

    submissions = Submission.objects.filter(applicant=resident, status="submitted")
    by_code = {s.procedure.code: s for s in submissions.select_related("procedure")}
    assert set(by_code) == set(MOVING_IN_SECTIONS)
    assert len({s.reference for s in by_code.values()}) == 4
    for code, section in MOVING_IN_SECTIONS.items():
        submission = by_code[code]
        procedure = Procedure.objects.get(code=code)
        assert submission.form_version == form_selectors.current_version(procedure)
        assert Case.objects.get(submission=submission).section.code == section
    # Each application keeps the answers its own form asks for, the shared ones included.
    assert by_code["tennyu"].answers["phone"] == "075-222-3111"
    assert by_code["tennyu"].answers["moved_in_on"] == "2025-04-01"  # typed as 令和7年4月1日
    assert by_code["child-medical-subsidy"].answers["phone"] == "075-222-3111"
    assert by_code["child-allowance-claim"].answers["children"] == [str(family[2].pk)]
    assert by_code["child-medical-subsidy"].answers["children"] == [str(family[2].pk)]
    assert "bank_name" not in by_code["tennyu"].answers
    assert "movers" not in by_code["child-allowance-claim"].answers

    # The resident sees them together: each procedure, its reference, its section and status.
    page = resident_client.get(page_url).content.decode()
    assert "4件の手続を申請しました。" in page
    for submission in by_code.values():
        assert submission.reference in page
    assert "中京区役所 子どもはぐくみ室" in page
    assert page.count("受付") >= 4
    bundle_entry = AuditEntry.objects.get(target_type="bundles.bundleapplication")
    assert sorted(bundle_entry.detail["references"]) == sorted(
        s.reference for s in by_code.values()
    )


def test_resubmitting_the_same_draft_creates_nothing_twice(
    bundles, resident_client, resident, family
) -> None:
    check_url, _asked = fill(resident_client, "birth", birth_steps(family))
    first = resident_client.post(check_url)
    again = resident_client.post(check_url)
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Submission.objects.filter(applicant=resident, status="submitted").count() == 3
    assert Case.objects.count() == 3
    application = BundleApplication.objects.get(applicant=resident)
    assert services.submit(application).pk == application.pk
    assert Submission.objects.filter(applicant=resident).count() == 3
    # Starting the bundle again begins a new draft; the submitted one is left as it was.
    response = resident_client.post("/life-events/birth/start/", {"procedures": ["nhi-enrollment"]})
    assert str(application.uuid) not in response["Location"]


def test_the_resident_leaves_out_procedures_that_do_not_apply(
    bundles, resident_client, resident, family
) -> None:
    # A resident covered by an employer's health insurance needs no 国民健康保険.
    chosen = ["tennyu", "child-allowance-claim", "child-medical-subsidy"]
    check_url, asked = fill(
        resident_client, "moving-in", moving_in_steps(family), procedures=chosen
    )
    assert "nhi" not in asked
    resident_client.post(check_url)
    submitted = Submission.objects.filter(applicant=resident, status="submitted")
    assert sorted(submitted.values_list("procedure__code", flat=True)) == sorted(chosen)


def test_a_bundle_needs_at_least_one_procedure(bundles, resident_client) -> None:
    response = resident_client.post("/life-events/moving-in/start/", {})
    assert response.status_code == 200
    assert "申請する手続を1つ以上選んでください。" in response.content.decode()
    assert not BundleApplication.objects.exists()


def test_an_invalid_bundle_creates_no_application(bundles, resident_client, resident, family):
    steps = moving_in_steps(family)
    check_url, _asked = fill(resident_client, "moving-in", steps)
    application = BundleApplication.objects.get(applicant=resident)
    # The household member chosen earlier has moved out in the meantime.
    application.answers["children"] = ["999999"]
    application.save()
    response = resident_client.post(check_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容に問題があります" in page
    assert "「お子さん」を選んでください。" in page
    assert f"/life-events/drafts/{application.uuid}/children/?return=check" in page
    assert not Submission.objects.filter(applicant=resident).exists()
    assert not Case.objects.exists()


def test_nobody_else_sees_a_bundle(bundles, resident_client, family, other_resident) -> None:
    check_url, _asked = fill(resident_client, "birth", birth_steps(family))
    page_url = resident_client.post(check_url)["Location"]
    other = Client()
    other.force_login(other_resident)
    assert other.get(page_url).status_code == 404
    assert other.get(check_url).status_code == 404


def test_english_bundle_pages(bundles, resident_client, family) -> None:
    check_url, _asked = fill(resident_client, "moving-in", moving_in_steps(family), prefix="/en")
    assert check_url.startswith("/en/")
    page = resident_client.get(check_url).content.decode()
    assert "Moving into Kyoto City" in page
    assert "Previous address" in page
    assert "Moving-in notification" in page


def test_staff_see_the_bundles_and_where_each_procedure_goes(bundles, clerk) -> None:
    page = staff_client(clerk).get("/staff/life-events/").content.decode()
    assert "京都市に引っ越してきたとき（転入）" in page
    assert "各区役所・支所の子どもはぐくみ室" in page


def test_what_the_city_holds_is_shown_not_asked_and_logged_per_application(
    bundles, resident_client, resident, family
) -> None:
    check_url, _asked = fill(resident_client, "birth", birth_steps(family))
    draft = check_url.split("/")[3]
    page = resident_client.get(f"/life-events/drafts/{draft}/account/").content.decode()
    assert "市が保有する情報から入力しました" in page
    assert family[0].full_name_kana in page
    assert 'name="account_holder_kana"' not in page
    resident_client.post(check_url)
    claim = Submission.objects.get(procedure__code="child-allowance-claim")
    assert claim.prefilled == {"account_holder_kana": family[0].full_name_kana}
    assert claim.answers["account_holder_kana"] == family[0].full_name_kana
    uses = DataUse.objects.filter(submission__applicant=resident)
    assert list(uses.values_list("attribute", "procedure__code")) == [
        ("registry.full_name_kana", "child-allowance-claim")
    ]
