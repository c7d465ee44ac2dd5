"""What every case service shares: locking, the checked transition, notifying the resident."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from madoguchi.audit import services as audit
from madoguchi.notifications import services as notifications

from .. import selectors, workflow
from ..models import Case, CaseEvent, EventKind, Status

# Moves the resident does not need to see in their history (internal steps of the office).
INTERNAL = {
    (Status.IN_REVIEW, Status.AWAITING_APPROVAL),
    (Status.AWAITING_APPROVAL, Status.IN_REVIEW),
}


def lock(case: Case | int) -> Case:
    pk = case if isinstance(case, int) else case.pk
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("workflow", "procedure", "submission", "section")
        .get(pk=pk)
    )


def require_staff(actor: Any, case: Case) -> None:
    if not selectors.can_act_on(actor, case):
        raise PermissionDenied


def transition(case: Case, to_status: str, *, actor: Any, reason: str = "", **detail: Any) -> None:
    """Move ``case`` (locked by the caller) to ``to_status`` if its workflow allows it."""
    workflow.check(selectors.transitions_of(case), case.status, to_status)
    from_status = case.status
    case.status = to_status
    case.save(update_fields=["status"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.TRANSITION,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        detail=detail,
        visible_to_resident=(from_status, to_status) not in INTERNAL,
    )
    audit.record(
        actor=actor,
        action="transition",
        target=case,
        detail={"from": from_status, "to": to_status},
    )


def notify(case: Case, event: str, *, about: Any = None, **extra: Any) -> None:
    """Tell the resident; ``about`` (default: the case) keeps one message per event and object."""
    submission = case.submission
    notifications.notify(
        submission.applicant,
        event=event,
        context={
            "reference": submission.reference,
            "procedure": case.procedure,
            "reason": case.decision_reason,
            "office": case.section,
            **extra,
        },
        link=reverse("portal:application", kwargs={"reference": submission.reference}),
        subject_object=about or case,
    )
