"""Review work: correction requests answered by the resident, assignment, internal notes,
bulk actions, withdrawal and fees set by the clerk."""

import pytest

from madoguchi.cases import services
from madoguchi.cases.models import Case
from madoguchi.notifications.models import Message
from madoguchi.payments.models import Payment
from madoguchi.procedures.models import Procedure
from tests import factories
from tests.flows import (
    apply_juminhyo,
    case_action,
    decide_through_four_eyes,
    pay_in_sandbox,
    staff_client,
)
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(resident_client, family) -> Case:
    reference = apply_juminhyo(resident_client, family[:1], copies="2")
    return Case.objects.get(submission__reference=reference)


def test_a_correction_request_opens_only_the_named_answers(
    case, clerk, resident_client, family
) -> None:
    staff = staff_client(clerk)
    case_action(staff, case.pk, "start_review")
    case_action(
        staff,
        case.pk,
        "correction",
        {
            "message": "通数は1通で足りるはずです。必要な通数を直してください。",
            "questions": ["copies"],
        },
    )
    case.refresh_from_db()
    assert case.status == "correction_requested"
    message = Message.objects.get(event="correction_requested")
    assert "通数は1通で足りるはずです。" in message.body

    page = resident_client.get(f"/applications/{case.reference}/").content.decode()
    assert "通数は1通で足りるはずです。" in page
    form = resident_client.get(f"/applications/{case.reference}/correction/").content.decode()
    assert 'name="copies"' in form
    assert 'name="purpose"' not in form  # only what the clerk opened
    assert 'name="members"' not in form

    # A crafted post that also tries to change another answer changes only the opened one.
    response = resident_client.post(
        f"/applications/{case.reference}/correction/",
        {"copies": "1", "purpose": "bank", "members": [str(family[2].pk)]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    submission = case.submission
    assert case.status == "in_review"
    assert submission.answers["copies"] == 1
    assert submission.answers["purpose"] == "employment"
    assert submission.answers["members"] == [str(family[0].pk)]
    correction = case.corrections.get()
    assert correction.answers_before["copies"] == 2
    assert correction.answers_after["copies"] == 1
    staff_page = staff.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "補正前と補正後" in staff_page


def test_an_invalid_correction_is_refused_and_kept_open(case, clerk, resident_client) -> None:
    services.start_review(case, actor=clerk)
    services.request_correction(
        case, actor=clerk, message="通数を直してください。", question_keys=["copies"]
    )
    response = resident_client.post(f"/applications/{case.reference}/correction/", {"copies": "99"})
    assert "「必要な通数」は1以上10以下の数字で入力してください。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "correction_requested"
    assert case.submission.answers["copies"] == 2


def test_internal_notes_are_never_shown_to_the_resident(case, clerk, resident_client) -> None:
    staff = staff_client(clerk)
    case_action(staff, case.pk, "note", {"text": "電話で本人確認済み（内部）"})
    assert "電話で本人確認済み（内部）" in staff.get(f"/staff/cases/{case.pk}/").content.decode()
    page = resident_client.get(f"/applications/{case.reference}/").content.decode()
    assert "電話で本人確認済み" not in page
    assert "電話で本人確認済み" not in resident_client.get("/inbox/").content.decode()


def test_assignment_and_reassignment_within_the_section(case, clerk, kyoto, other_ward_clerk):
    colleague = factories.staff_user(kyoto, "tanto2", "nakagyo-citizen-services")
    staff = staff_client(clerk)
    case_action(staff, case.pk, "assign", {"assignee": str(colleague.pk)})
    case.refresh_from_db()
    assert case.assignee == colleague
    assert (
        case.reference in staff.get(f"/staff/?status=open&assignee={colleague.pk}").content.decode()
    )
    assert case.reference not in staff.get("/staff/?status=open&assignee=me").content.decode()
    # Someone of another ward cannot be assigned.
    case_action(staff, case.pk, "assign", {"assignee": str(other_ward_clerk.pk)})
    case.refresh_from_db()
    assert case.assignee == colleague
    assignments = case.events.filter(kind="assignment")
    assert [e.detail["assignee"] for e in assignments] == [colleague.pk]


def test_bulk_actions_move_routine_cases_and_keep_four_eyes(
    resident_client, family, clerk, approver
) -> None:
    references = [apply_juminhyo(resident_client, family[:1]) for _ in range(3)]
    ids = list(
        Case.objects.filter(submission__reference__in=references).values_list("pk", flat=True)
    )
    staff = staff_client(clerk)
    staff.post("/staff/bulk/", {"action": "start_review", "cases": ids})
    staff.post("/staff/bulk/", {"action": "draft_approve", "cases": ids})
    assert set(Case.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "awaiting_approval"
    }
    # The drafter's bulk sign-off is refused case by case.
    response = staff.post("/staff/bulk/", {"action": "sign_off", "cases": ids}, follow=True)
    assert "0件を処理しました（処理できなかった案件：3件）。" in response.content.decode()
    staff_client(approver).post("/staff/bulk/", {"action": "sign_off", "cases": ids})
    run_tasks()
    assert set(Case.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"issued"}


def test_the_overview_shows_load_and_overdue_per_section(case, clerk) -> None:
    Case.objects.filter(pk=case.pk).update(due_date="2020-01-06")
    page = staff_client(clerk).get("/staff/overview/").content.decode()
    assert "中京区役所 市民窓口課" in page
    assert '<span class="status status--overdue">1</span>' in page


def test_withdrawal_refunds_the_fee(case, resident_client) -> None:
    page = resident_client.get(f"/applications/{case.reference}/").content.decode()
    assert "この申請を取り下げる" in page
    resident_client.post(f"/applications/{case.reference}/withdraw/", {"reason": "不要になった"})
    case.refresh_from_db()
    assert case.status == "withdrawn"
    payment = Payment.objects.get(submission=case.submission)
    assert payment.status == "refunded"
    assert payment.refund_reason == "withdrawn"
    events = set(Message.objects.values_list("event", flat=True))
    assert {"application_withdrawn", "payment_refunded"} <= events
    # A withdrawn application cannot be withdrawn again.
    assert resident_client.get(f"/applications/{case.reference}/withdraw/").status_code == 404


def test_a_fee_set_by_the_clerk_is_paid_after_review(
    resident_client, family, clerk, approver
) -> None:
    Procedure.objects.filter(code="juminhyo-copy").update(fee_kind="set_by_clerk", fee_yen=0)
    response = resident_client.post("/procedures/juminhyo-copy/apply/")
    url = response["Location"]
    response = resident_client.post(url, {"members": [str(family[0].pk)]})
    response = resident_client.post(
        response["Location"], {"include_relationship": "yes", "include_honseki": "no"}
    )
    response = resident_client.post(response["Location"], {"purpose": "other", "copies": "1"})
    check = response["Location"]
    reference = resident_client.post(check)["Location"].split("/")[2]  # submitted, nothing paid
    case = Case.objects.get(submission__reference=reference)
    assert case.fee_yen is None
    staff = staff_client(clerk)
    case_action(staff, case.pk, "start_review")
    # Approving before the fee is set is refused.
    case_action(staff, case.pk, "decide", {"outcome": "approve"})
    case.refresh_from_db()
    assert case.status == "in_review"
    case_action(staff, case.pk, "fee", {"fee_yen": "450"})
    decide_through_four_eyes(case.pk, clerk, approver)
    case.refresh_from_db()
    assert case.status == "awaiting_payment"
    page = resident_client.get(f"/applications/{reference}/").content.decode()
    assert "手数料 450円 をお支払いください。" in page
    landing = pay_in_sandbox(resident_client, f"/applications/{reference}/pay/")
    assert landing == f"/applications/{reference}/"
    run_tasks()
    case.refresh_from_db()
    assert case.status == "issued"
    assert Payment.objects.get(submission=case.submission).amount == 450
