"""Review: starting it, assignment, internal notes, fees set by the clerk, correction requests
and the resident's answer to them, withdrawal."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from madoguchi.attachments import services as attachment_services
from madoguchi.audit import services as audit
from madoguchi.forms import engine
from madoguchi.procedures.models import Procedure
from madoguchi.submissions import services as submission_services

from .. import selectors, workflow
from ..models import Case, CaseEvent, CaseNote, Correction, EventKind, Status
from .common import lock, notify, require_staff, transition


def start_review(case: Case, *, actor: Any) -> Case:
    """受付 → 審査中; the clerk who starts it takes the case if nobody has it yet."""
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        transition(locked, Status.IN_REVIEW, actor=actor)
        if locked.assignee_id is None:
            _assign(locked, actor, by=actor)
    return locked


def assign(case: Case, *, actor: Any, assignee: Any) -> Case:
    """Assign or reassign (``assignee=None`` releases the case). Only staff of the section."""
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        if assignee is not None and not selectors.can_act_on(assignee, locked):
            raise ValidationError("The assignee is not a member of the section.")
        if locked.assignee_id != getattr(assignee, "pk", None):
            _assign(locked, assignee, by=actor)
    return locked


def _assign(case: Case, assignee: Any, *, by: Any) -> None:
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    _internal_event(case, EventKind.ASSIGNMENT, by, assignee=getattr(assignee, "pk", None))


def _internal_event(case: Case, kind: str, actor: Any, **detail: Any) -> None:
    """An event that changes no state (assignment, fee), kept for the log and never shown to
    the resident."""
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        from_status=case.status,
        to_status=case.status,
        detail=detail,
        visible_to_resident=False,
    )


def add_note(case: Case, *, actor: Any, text: str) -> CaseNote:
    require_staff(actor, case)
    return CaseNote.objects.create(case=case, author=actor, text=text.strip())


def set_fee(case: Case, *, actor: Any, amount: int) -> Case:
    """For procedures whose fee the clerk sets during review (審査時に決定)."""
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        if locked.procedure.fee_kind != Procedure.FeeKind.SET_BY_CLERK:
            raise ValidationError("This procedure's fee is fixed.")
        if locked.status not in {Status.RECEIVED, Status.IN_REVIEW}:
            raise workflow.TransitionNotAllowed("The fee is set during review.")
        locked.fee_yen = amount
        locked.save(update_fields=["fee_yen"])
        _internal_event(locked, EventKind.FEE, actor, fee_yen=amount)
    return locked


def request_correction(
    case: Case, *, actor: Any, message: str, question_keys: list[str]
) -> Correction:
    """審査中 → 補正依頼: tell the resident exactly what to fix and open only those answers."""
    known = selectors.question_keys(case.submission)
    if not question_keys or not set(question_keys) <= known:
        raise ValidationError("Choose the answers the resident may change.")
    if not message.strip():
        raise ValidationError("Say what to fix.")
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        transition(locked, Status.CORRECTION_REQUESTED, actor=actor, reason=message.strip())
        correction = Correction.objects.create(
            case=locked,
            requested_by=actor,
            message=message.strip(),
            question_keys=list(question_keys),
            answers_before=dict(locked.submission.answers),
        )
        notify(locked, "correction_requested", about=correction, message=correction.message)
    return correction


def resubmit_correction(case: Case, *, resident: Any, answers: dict[str, Any]) -> Correction:
    """補正依頼 → 審査中: the resident's corrected answers replace only the requested ones; the
    whole application is validated again and both versions are kept."""
    with transaction.atomic():
        locked = lock(case)
        if locked.submission.applicant_id != resident.pk:
            raise PermissionDenied
        correction = selectors.open_correction(locked)
        if correction is None or locked.status != Status.CORRECTION_REQUESTED:
            raise workflow.TransitionNotAllowed("No correction is open.")
        changed = {key: answers[key] for key in correction.question_keys if key in answers}
        submission = submission_services.amend_answers(locked.submission, changed)
        correction.answers_after = dict(submission.answers)
        correction.resubmitted_at = timezone.now()
        correction.save(update_fields=["answers_after", "resubmitted_at"])
        transition(locked, Status.IN_REVIEW, actor=resident, correction=correction.pk)
        schema = submission.form_version.parsed
        files_before = engine.attachment_ids(schema, correction.answers_before)
        files_after = engine.attachment_ids(schema, correction.answers_after)
        detail: dict[str, Any] = {"correction": correction.pk, "changed": sorted(changed)}
        if files_before != files_after:  # ids only: which file went, which came
            detail["files_removed"] = sorted(set(files_before) - set(files_after))
            detail["files_added"] = sorted(set(files_after) - set(files_before))
        audit.record(actor=resident, action="update", target=locked.submission, detail=detail)
        # Every version of the answers keeps its files (staff read the replaced one in the
        # history); only files chosen during a correction and then replaced again go.
        referenced = set(files_after)
        for earlier in locked.corrections.all():
            referenced.update(engine.attachment_ids(schema, earlier.answers_before))
            referenced.update(engine.attachment_ids(schema, earlier.answers_after or {}))
        attachment_services.discard_unreferenced(submission, referenced)
    return correction


def withdraw(case: Case, *, resident: Any, reason: str = "") -> Case:
    """取下げ by the resident, until the decision or while a payment is still due. A fee
    already paid is refunded."""
    with transaction.atomic():
        locked = lock(case)
        if locked.submission.applicant_id != resident.pk:
            raise PermissionDenied
        if locked.status not in workflow.WITHDRAWABLE:
            raise workflow.TransitionNotAllowed("This case can no longer be withdrawn.")
        transition(locked, Status.WITHDRAWN, actor=resident, reason=reason.strip())
        notify(locked, "application_withdrawn")
        submission_id = locked.submission_id
        transaction.on_commit(lambda: _refund(submission_id, "withdrawn"))
    return locked


def _refund(submission_id: int, reason: str) -> None:
    from madoguchi.payments import services as payments

    payments.refund_all(submission_id, reason=reason)
