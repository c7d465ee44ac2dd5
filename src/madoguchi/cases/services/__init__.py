"""The write path for cases. Each change is a CaseEvent and an audit entry, checked against the
case's workflow, and the resident hears about it after the transaction commits."""

from .decisions import decide, draft_decision, send_back, sign_off
from .intake import open_case
from .issuing import issue, issue_notice, on_payment_paid
from .review import (
    add_note,
    assign,
    request_correction,
    resubmit_correction,
    set_fee,
    start_review,
    withdraw,
)

__all__ = [
    "add_note",
    "assign",
    "decide",
    "draft_decision",
    "issue",
    "issue_notice",
    "on_payment_paid",
    "open_case",
    "request_correction",
    "resubmit_correction",
    "send_back",
    "set_fee",
    "sign_off",
    "start_review",
    "withdraw",
]
