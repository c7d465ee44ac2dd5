"""The workflow: allowed moves only, four eyes on every decision, due dates in 開庁日, and an
event log complete enough to measure lead time per step."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from madoguchi.cases import selectors, services
from madoguchi.cases.models import Case, CaseEvent
from madoguchi.cases.services.decisions import SameDrafter
from madoguchi.cases.workflow import TransitionNotAllowed
from madoguchi.forms.selectors import current_version
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests import factories
from tests.flows import apply_juminhyo, case_action, staff_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(resident, family) -> Case:
    client = Client()
    client.force_login(resident)
    reference = apply_juminhyo(client, family[:1])
    return Case.objects.get(submission__reference=reference)


def test_a_forbidden_transition_is_refused(case, clerk) -> None:
    # 受付 cannot jump to 承認: the review and the 決裁 come first.
    with pytest.raises(TransitionNotAllowed):
        services.decide(case, actor=clerk, approve=True, reason="")
    with pytest.raises(TransitionNotAllowed):
        services.draft_decision(case, actor=clerk, outcome="approve", reason="")
    case.refresh_from_db()
    assert case.status == "received"
    assert case.events.filter(kind="transition").count() == 1


def test_the_drafter_cannot_approve_their_own_decision(case, kyoto) -> None:
    # A 決裁者 who drafts is still not allowed to sign off their own draft.
    drafter = factories.staff_user(kyoto, "kakaricho", "nakagyo-citizen-services", "approver")
    services.start_review(case, actor=drafter)
    services.draft_decision(case, actor=drafter, outcome="approve", reason="")
    with pytest.raises(SameDrafter):
        services.sign_off(case, actor=drafter)
    client = staff_client(drafter)
    response = case_action(client, case.pk, "sign_off")
    page = client.get(response["Location"]).content.decode()
    assert "自分が起案した決定は決裁できません。" in page
    case.refresh_from_db()
    assert case.status == "awaiting_approval"
    assert case.decided_by is None


def test_a_clerk_without_the_approver_role_cannot_sign_off(case, clerk, kyoto) -> None:
    other_clerk = factories.staff_user(kyoto, "tanto2", "nakagyo-citizen-services")
    services.start_review(case, actor=clerk)
    services.draft_decision(case, actor=clerk, outcome="approve", reason="")
    with pytest.raises(PermissionDenied):
        services.sign_off(case, actor=other_clerk)
    page = staff_client(other_clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "起案どおり決裁する" not in page
    assert "決裁者の決裁を待っています。" in page


def test_the_drafter_is_told_to_ask_another_approver(case, clerk, approver) -> None:
    services.start_review(case, actor=clerk)
    services.draft_decision(case, actor=clerk, outcome="approve", reason="")
    page = staff_client(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "あなたが起案しました。別の決裁者の決裁を待っています。" in page
    approver_page = staff_client(approver).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "起案どおり決裁する" in approver_page


def test_an_approver_sends_a_draft_back_with_a_reason(case, clerk, approver) -> None:
    services.start_review(case, actor=clerk)
    services.draft_decision(case, actor=clerk, outcome="approve", reason="")
    client = staff_client(approver)
    case_action(client, case.pk, "send_back", {"reason": "通数を確認してください。"})
    case.refresh_from_db()
    assert case.status == "in_review"
    back = case.events.filter(kind="transition").last()
    assert (back.from_status, back.to_status, back.actor) == (
        "awaiting_approval",
        "in_review",
        approver,
    )
    assert back.reason == "通数を確認してください。"
    assert not back.visible_to_resident  # an internal step


def _received_on(resident, reference: str, at: dt.datetime) -> Case:
    procedure = Procedure.objects.get(code="juminhyo-copy")
    submission = Submission.objects.create(
        municipality=procedure.municipality,
        procedure=procedure,
        form_version=current_version(procedure),
        applicant=resident,
        person=resident.person,
        status=Submission.Status.SUBMITTED,
        reference=reference,
        submitted_at=at,
        answers={"copies": 1},
    )
    return services.open_case(submission)


def test_due_dates_skip_holidays_and_the_year_end_break(resident) -> None:
    jst = dt.timezone(dt.timedelta(hours=9))
    # 住民票: 3 開庁日. Friday 20 Nov 2026 → the weekend and 勤労感謝の日 (Mon 23) are closed.
    before_holiday = _received_on(
        resident, "TEST-0001-AA", dt.datetime(2026, 11, 20, 16, tzinfo=jst)
    )
    assert before_holiday.due_date == dt.date(2026, 11, 26)
    # Friday 25 Dec 2026: 28 Dec is open, then 年末年始 (29 Dec – 3 Jan) and back on 4 Jan.
    before_year_end = _received_on(
        resident, "TEST-0002-AA", dt.datetime(2026, 12, 25, 9, tzinfo=jst)
    )
    assert before_year_end.due_date == dt.date(2027, 1, 5)
    # Received late on a Sunday, Japan time (still Sunday morning in UTC is irrelevant).
    on_sunday = _received_on(resident, "TEST-0003-AA", dt.datetime(2026, 11, 29, 23, tzinfo=jst))
    assert on_sunday.due_date == dt.date(2026, 12, 2)


def test_overdue_cases_are_flagged_and_filtered(case, clerk) -> None:
    Case.objects.filter(pk=case.pk).update(due_date=dt.date(2020, 1, 6))
    client = staff_client(clerk)
    page = client.get("/staff/?status=open&overdue=on").content.decode()
    assert case.reference in page
    assert "期限超過" in page
    Case.objects.filter(pk=case.pk).update(due_date=dt.date(2999, 1, 6))
    page = client.get("/staff/?status=open&overdue=on").content.decode()
    assert case.reference not in page


def test_the_event_log_gives_lead_time_per_step(case, clerk, approver) -> None:
    services.start_review(case, actor=clerk)
    services.draft_decision(case, actor=clerk, outcome="approve", reason="")
    services.sign_off(case, actor=approver)
    steps = list(selectors.step_durations(Case.objects.filter(pk=case.pk)))
    assert [(s["from_status"], s["to_status"]) for s in steps] == [
        ("", "received"),
        ("received", "in_review"),
        ("in_review", "awaiting_approval"),
        ("awaiting_approval", "approved"),
    ]
    times = [s["at"] for s in steps]
    assert times == sorted(times)
    actors = list(case.events.filter(kind="transition").values_list("actor__username", flat=True))
    assert actors[1:] == ["nakagyo-clerk", "nakagyo-clerk", "nakagyo-approver"]


def test_case_events_are_never_edited(case) -> None:
    event = case.events.first()
    event.reason = "changed"
    with pytest.raises(ValueError, match="never edited"):
        event.save()
    with pytest.raises(ValueError, match="never"):
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_a_workflow_definition_must_let_every_case_end() -> None:
    from madoguchi.cases.workflow import CLERK_DECIDES, STANDARD, validate_definition

    validate_definition(STANDARD)
    validate_definition(CLERK_DECIDES)
    with pytest.raises(ValueError, match="could never end"):
        validate_definition({"received": ["in_review"], "in_review": ["correction_requested"]})
    with pytest.raises(ValueError, match="Unknown state"):
        validate_definition({"received": ["approved", "teleported"]})
