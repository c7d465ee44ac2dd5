"""What a resident can do next on their application's page: fix a correction, pay a fee due
after review, withdraw."""

from typing import Any

from madoguchi.cases import selectors as cases
from madoguchi.cases import workflow
from madoguchi.cases.models import Case, Status
from madoguchi.payments import selectors as payments


def case_actions(case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    awaiting_payment = case.status == Status.AWAITING_PAYMENT
    return {
        "correction": cases.open_correction(case)
        if case.status == Status.CORRECTION_REQUESTED
        else None,
        "amount_due": payments.amount_due(case.submission, case.fee_yen or 0)
        if awaiting_payment
        else 0,
        "can_withdraw": case.status in workflow.WITHDRAWABLE
        and Status.WITHDRAWN in cases.next_statuses(case),
        # Reasons the resident reads in the history: rejection, withdrawal, correction requests.
        "resident_reasons": [Status.REJECTED, Status.CORRECTION_REQUESTED],
    }
