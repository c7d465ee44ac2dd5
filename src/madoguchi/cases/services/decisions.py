"""Decisions: a clerk drafts (起案), a 決裁者 of the same section approves (決裁) — never the
drafter. Workflows without 決裁 let the clerk decide in review."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from madoguchi.procedures.models import Procedure

from .. import selectors
from ..models import Case, Outcome, Status
from .common import lock, notify, require_staff, transition
from .issuing import _enqueue_notice, after_approval
from .review import _refund


class SameDrafter(PermissionDenied):
    """The four-eyes rule: who drafted a decision may not approve it."""


def _check_reason(outcome: str, reason: str) -> None:
    if outcome == Outcome.REJECT and not reason.strip():
        raise ValidationError("A rejection needs a reason the resident will read.")


def _check_fee(case: Case, outcome: str) -> None:
    if (
        outcome == Outcome.APPROVE
        and case.procedure.fee_kind == Procedure.FeeKind.SET_BY_CLERK
        and case.fee_yen is None
    ):
        raise ValidationError("Set the fee before approving.")


def draft_decision(case: Case, *, actor: Any, outcome: str, reason: str) -> Case:
    """審査中 → 決裁待ち with the drafted outcome and reason."""
    _check_reason(outcome, reason)
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        _check_fee(locked, outcome)
        transition(locked, Status.AWAITING_APPROVAL, actor=actor, outcome=outcome)
        locked.draft_outcome = outcome
        locked.draft_reason = reason.strip()
        locked.drafted_by = actor
        locked.drafted_at = timezone.now()
        locked.save(update_fields=["draft_outcome", "draft_reason", "drafted_by", "drafted_at"])
    return locked


def sign_off(case: Case, *, actor: Any) -> Case:
    """決裁: a 決裁者 of the section approves the draft; the case is approved or rejected."""
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        if not selectors.is_approver(actor, locked):
            raise PermissionDenied
        if locked.drafted_by_id == actor.pk:
            raise SameDrafter
        _decide(locked, actor, locked.draft_outcome, locked.draft_reason)
    return locked


def send_back(case: Case, *, actor: Any, reason: str) -> Case:
    """差戻し: the 決裁者 returns the draft to review, saying why."""
    if not reason.strip():
        raise ValidationError("Say why the draft goes back.")
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        if not selectors.is_approver(actor, locked):
            raise PermissionDenied
        transition(locked, Status.IN_REVIEW, actor=actor, reason=reason.strip())
        locked.draft_outcome = ""
        locked.save(update_fields=["draft_outcome"])
    return locked


def decide(case: Case, *, actor: Any, approve: bool, reason: str) -> Case:
    """A clerk decides directly, where the procedure's workflow needs no 決裁."""
    outcome = Outcome.APPROVE if approve else Outcome.REJECT
    _check_reason(outcome, reason)
    with transaction.atomic():
        locked = lock(case)
        require_staff(actor, locked)
        _check_fee(locked, outcome)
        _decide(locked, actor, outcome, reason.strip())
    return locked


def _decide(case: Case, actor: Any, outcome: str, reason: str) -> None:
    approve = outcome == Outcome.APPROVE
    transition(case, Status.APPROVED if approve else Status.REJECTED, actor=actor, reason=reason)
    case.decision_reason = reason
    case.decided_at = timezone.now()
    case.decided_by = actor
    case.save(update_fields=["decision_reason", "decided_at", "decided_by"])
    if approve:
        after_approval(case)
    else:
        notify(case, "application_rejected")
        submission_id, case_id = case.submission_id, case.pk
        transaction.on_commit(lambda: _refund(submission_id, "rejected"))
        transaction.on_commit(lambda: _enqueue_notice(case_id))
