"""The write path for cases: open, decide, issue. Each change is a CaseEvent and an audit entry,
and the resident hears about it after the transaction commits."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.core.business_days import add_business_days
from madoguchi.notifications import services as notifications
from madoguchi.procedures.selectors import responsible_section
from madoguchi.submissions.models import Submission

from . import workflow
from .models import Case, CaseEvent, Status
from .selectors import can_act_on


def open_case(submission: Submission) -> Case:
    """Open a case in the responsible section's queue for a just-submitted application."""
    procedure = submission.procedure
    ward = submission.person.household.ward if submission.person_id else None
    received_at = submission.submitted_at or timezone.now()
    due_date = None
    if procedure.standard_processing_days:
        due_date = add_business_days(
            timezone.localtime(received_at).date(), procedure.standard_processing_days
        )
    case = Case.objects.create(
        municipality=submission.municipality,
        submission=submission,
        procedure=procedure,
        section=responsible_section(procedure, ward=ward),
        received_at=received_at,
        due_date=due_date,
    )
    CaseEvent.objects.create(case=case, actor=submission.applicant, to_status=Status.RECEIVED)
    audit.record(
        actor=submission.applicant,
        action="create",
        target=case,
        detail={"section": case.section.code, "reference": submission.reference},
    )
    _notify(case, "application_received")
    return case


def decide(case: Case, *, actor: Any, approve: bool, reason: str) -> Case:
    """A clerk approves or rejects. Rejection needs a reason the resident will read."""
    to_status = Status.APPROVED if approve else Status.REJECTED
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not can_act_on(actor, locked):
            raise PermissionDenied
        if not approve and not reason.strip():
            raise ValueError("A rejection needs a reason.")
        _transition(locked, to_status, actor=actor, reason=reason)
        locked.decision_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["decision_reason", "decided_at", "decided_by"])
        if approve and locked.procedure.issued_document:
            case_id = locked.pk
            transaction.on_commit(lambda: _enqueue_issue(case_id))
        else:
            _notify(locked, "application_approved" if approve else "application_rejected")
    return locked


def _enqueue_issue(case_id: int) -> None:
    from .tasks import issue_document

    issue_document.enqueue(case_id)


def issue(case_id: int) -> Case:
    """Issue the approved case's document. Safe to run twice: a second run changes nothing."""
    from madoguchi.issuance import services as issuance

    case = Case.objects.select_related("submission", "procedure", "section").get(pk=case_id)
    if case.status != Status.APPROVED:
        return case
    document = issuance.issue_for_submission(
        case.submission, kind=case.procedure.issued_document, office=case.section
    )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case_id)
        if locked.status != Status.APPROVED:
            return locked
        locked.document = document
        locked.save(update_fields=["document"])
        _transition(locked, Status.ISSUED, actor=None, reason="")
        _notify(locked, "document_issued")
    return locked


def _transition(case: Case, to_status: str, *, actor: Any, reason: str) -> None:
    workflow.check(case.status, to_status)
    from_status = case.status
    case.status = to_status
    case.save(update_fields=["status"])
    CaseEvent.objects.create(
        case=case, actor=actor, from_status=from_status, to_status=to_status, reason=reason
    )
    audit.record(
        actor=actor,
        action="transition",
        target=case,
        detail={"from": from_status, "to": to_status},
    )


def _notify(case: Case, event: str) -> None:
    submission = case.submission
    notifications.notify(
        submission.applicant,
        event=event,
        context={
            "reference": submission.reference,
            "procedure": case.procedure,
            "reason": case.decision_reason,
            "office": case.section,
        },
        link=reverse("portal:application", kwargs={"reference": submission.reference}),
        subject_object=case,
    )
