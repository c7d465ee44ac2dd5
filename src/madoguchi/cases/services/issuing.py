"""After approval: ask for the fee when it is paid after review (事後決済), then issue the
signed document in the worker."""

from django.db import transaction

from madoguchi.payments import selectors as payments

from ..models import Case, Status
from .common import lock, notify, transition

NOTICE_KIND = "decision_notice"


def after_approval(case: Case) -> None:
    """Called inside the approving transaction with the case locked."""
    if payments.amount_due(case.submission, case.fee_yen or 0) > 0:
        transition(case, Status.AWAITING_PAYMENT, actor=None)
        notify(case, "payment_required", fee=case.fee_yen)
        return
    if case.procedure.issued_document:
        case_id = case.pk
        transaction.on_commit(lambda: _enqueue_issue(case_id))
    else:
        notify(case, "application_approved")


def on_payment_paid(submission_id: int) -> None:
    """A payment for an application waiting for it has come in: issue."""
    case = Case.objects.filter(submission_id=submission_id).first()
    if case is None or case.status != Status.AWAITING_PAYMENT:
        return
    if payments.amount_due(case.submission, case.fee_yen or 0) > 0:
        return
    if case.procedure.issued_document:
        _enqueue_issue(case.pk)


def _enqueue_issue(case_id: int) -> None:
    from ..tasks import issue_document

    issue_document.enqueue(case_id)


def issue(case_id: int) -> Case:
    """Issue the approved and paid case's signed document. Safe to run twice."""
    from madoguchi.issuance import services as issuance

    case = Case.objects.select_related("submission", "procedure", "section").get(pk=case_id)
    if case.status not in {Status.APPROVED, Status.AWAITING_PAYMENT}:
        return case
    if payments.amount_due(case.submission, case.fee_yen or 0) > 0:
        return case
    document = issuance.issue_for_submission(
        case.submission, kind=case.procedure.issued_document, office=case.section
    )
    with transaction.atomic():
        locked = lock(case_id)
        if locked.status not in {Status.APPROVED, Status.AWAITING_PAYMENT}:
            return locked
        locked.document = document
        locked.save(update_fields=["document"])
        transition(locked, Status.ISSUED, actor=None)
        notify(locked, "document_issued")
    return locked


def _enqueue_notice(case_id: int) -> None:
    from ..tasks import issue_rejection_notice

    issue_rejection_notice.enqueue(case_id)


def issue_notice(case_id: int) -> Case:
    """The signed 却下通知書 of a rejected case, downloadable like a certificate."""
    from madoguchi.issuance import services as issuance

    case = Case.objects.select_related("submission", "procedure", "section").get(pk=case_id)
    if case.status != Status.REJECTED or case.document_id:
        return case
    document = issuance.issue_for_submission(
        case.submission,
        kind=NOTICE_KIND,
        office=case.section,
        details={"reason": case.decision_reason},
    )
    Case.objects.filter(pk=case_id, document__isnull=True).update(document=document)
    case.refresh_from_db()
    return case
