from typing import Any

from django.db.models import Sum
from django.shortcuts import get_object_or_404

from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission

from .models import Payment


def fee_for_submission(submission: Submission) -> int | None:
    """The fee the procedure fixes for these answers (per copy: × 通数); None when the clerk
    sets it during review."""
    procedure = submission.procedure
    if procedure.fee_kind == Procedure.FeeKind.SET_BY_CLERK:
        return None
    try:
        copies = max(int(submission.answers.get("copies") or 1), 1)
    except (TypeError, ValueError):
        copies = 1
    return procedure.fee_for(copies)


def paid_total(submission: Submission) -> int:
    paid = Payment.objects.filter(submission=submission, status=Payment.Status.PAID)
    return paid.aggregate(total=Sum("amount"))["total"] or 0


def amount_due(submission: Submission, fee: int) -> int:
    return max(fee - paid_total(submission), 0)


def due_before_submission(submission: Submission) -> int:
    """What a draft must pay before it can be submitted (0 for procedures paid afterwards)."""
    if not submission.procedure.pays_before_submission:
        return 0
    return amount_due(submission, fee_for_submission(submission) or 0)


def payments_of(submission: Submission) -> list[Payment]:
    return list(Payment.objects.filter(submission=submission).order_by("created_at", "id"))


def own_payment(user: Any, payment_uuid: Any) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("submission__procedure"), uuid=payment_uuid, payer=user
    )
