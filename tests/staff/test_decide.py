"""A ward office clerk reviews and drafts, a 決裁者 signs off; the resident is told and
downloads the signed copy."""

import io

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.cases.models import Case
from madoguchi.core.wareki import format_wareki
from madoguchi.notifications.models import Message
from tests.flows import apply_juminhyo, case_action, decide_through_four_eyes, staff_client
from tests.support import run_tasks

# Decisions and deliveries run after commit, in the task worker: use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def applied(resident, family):
    client = Client()
    client.force_login(resident)
    reference = apply_juminhyo(client, family[:2], copies="2", honseki="yes")
    return client, Case.objects.get(submission__reference=reference)


def test_clerk_sees_the_application_in_the_section_queue(applied, clerk, other_ward_clerk) -> None:
    _, case = applied
    assert case.reference in staff_client(clerk).get("/staff/").content.decode()
    assert case.reference not in staff_client(other_ward_clerk).get("/staff/").content.decode()


def test_clerk_of_another_ward_cannot_open_or_decide(applied, other_ward_clerk) -> None:
    _, case = applied
    client = staff_client(other_ward_clerk)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert case_action(client, case.pk, "start_review").status_code == 404
    case.refresh_from_db()
    assert case.status == "received"


def test_opening_a_case_is_audited(applied, clerk) -> None:
    _, case = applied
    page = staff_client(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "山田 太郎" in page
    entry = AuditEntry.objects.filter(action="view_personal_data").get()
    assert entry.actor == clerk
    assert entry.target_id == str(case.pk)
    assert entry.purpose == "審査"
    assert "山田" not in str(entry.detail)


def test_approval_issues_a_pdf_the_resident_downloads(applied, clerk, approver, family) -> None:
    resident_client, case = applied
    decide_through_four_eyes(case.pk, clerk, approver)
    run_tasks()
    case.refresh_from_db()
    assert case.status == "issued"
    assert list(case.events.filter(kind="transition").values_list("to_status", flat=True)) == [
        "received",
        "in_review",
        "awaiting_approval",
        "approved",
        "issued",
    ]
    page = resident_client.get(f"/applications/{case.reference}/").content.decode()
    assert "交付済" in page
    link = f"/applications/{case.reference}/documents/{case.document.pk}/"
    assert link in page
    download = resident_client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = pdf.pages[0].extract_text()
    assert "住民票の写し" in text
    assert "山田 太郎" in text
    assert "山田 花子" in text
    assert "一郎" not in text  # not requested
    assert "昭和60年（1985年）4月1日" in text  # 太郎's birth date in 和暦 and 西暦
    assert format_wareki(timezone.localdate()).split("年")[0] in text
    assert "京都市中京区長" in text
    assert case.document.verification_code in text
    assert len(pdf.pages) == 2  # two copies
    assert Message.objects.filter(
        recipient=case.submission.applicant, event="document_issued"
    ).exists()


def test_a_document_is_only_downloaded_by_its_owner(applied, clerk, approver, other_resident):
    _, case = applied
    decide_through_four_eyes(case.pk, clerk, approver)
    run_tasks()
    case.refresh_from_db()
    stranger = staff_client(other_resident)
    link = f"/applications/{case.reference}/documents/{case.document.pk}/"
    assert stranger.get(link).status_code == 404
    assert Client().get(link).status_code == 302  # to the login page


def test_rejection_needs_a_reason_the_resident_then_reads(applied, clerk, approver) -> None:
    resident_client, case = applied
    staff = staff_client(clerk)
    case_action(staff, case.pk, "start_review")
    response = case_action(staff, case.pk, "decide", {"outcome": "reject", "reason": ""})
    assert "却下する理由を入力してください。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "in_review"
    decide_through_four_eyes(
        case.pk, clerk, approver, outcome="reject", reason="世帯員の確認ができませんでした。"
    )
    case.refresh_from_db()
    assert case.status == "rejected"
    page = resident_client.get(f"/applications/{case.reference}/").content.decode()
    assert "却下" in page
    assert "世帯員の確認ができませんでした。" in page
    inbox = resident_client.get("/inbox/").content.decode()
    assert "申請についてのお知らせ" in inbox


def test_a_decided_case_cannot_be_decided_again(applied, clerk, approver) -> None:
    _, case = applied
    decide_through_four_eyes(case.pk, clerk, approver, outcome="reject", reason="理由")
    approver_client = staff_client(approver)
    response = case_action(approver_client, case.pk, "sign_off")
    page = approver_client.get(response["Location"]).content.decode()
    assert "この案件の状態では、その操作はできません。" in page
    case.refresh_from_db()
    assert case.status == "rejected"
    assert list(case.events.filter(kind="transition").values_list("to_status", flat=True)) == [
        "received",
        "in_review",
        "awaiting_approval",
        "rejected",
    ]


def test_residents_cannot_open_staff_pages(resident, applied) -> None:
    _, case = applied
    client = staff_client(resident)
    assert client.get("/staff/").status_code == 403
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 403


def test_staff_login_refuses_residents_and_wrong_passwords(clerk) -> None:
    client = Client()
    response = client.post("/accounts/staff/login/", {"username": "nakagyo-clerk", "password": "x"})
    assert "職員IDまたはパスワードが正しくありません。" in response.content.decode()
    response = client.post(
        "/accounts/staff/login/",
        {"username": "nakagyo-clerk", "password": "correct horse battery staple"},
    )
    # The password is only the first factor: the one-time code comes next.
    assert response["Location"] == "/accounts/staff/code/?next=%2Fstaff%2F"
