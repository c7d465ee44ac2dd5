import logging
from typing import Any

from madoguchi.submissions import services as submission_services
from madoguchi.submissions.guards import SubmissionBlocked

from . import services

logger = logging.getLogger(__name__)


def on_payment_paid(sender: Any, payment: Any, **kwargs: Any) -> None:
    """A fee came in: a paid draft is submitted (even if the payer never came back from the
    provider's page); a case waiting for its fee goes on to issuance."""
    submission = payment.submission
    if submission.is_draft:
        try:
            submission_services.submit(submission)
        except (submission_services.SubmissionInvalid, SubmissionBlocked):
            # The draft stays, with its payment: the resident submits it from "my applications".
            logger.warning("Paid draft %s could not be submitted.", submission.pk)
        return
    services.on_payment_paid(submission.pk)
