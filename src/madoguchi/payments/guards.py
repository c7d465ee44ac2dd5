from django.utils.translation import gettext_lazy as _

from madoguchi.submissions.guards import SubmissionBlocked, register_guard
from madoguchi.submissions.models import Submission

from .selectors import due_before_submission


@register_guard
def fee_paid(submission: Submission) -> None:
    """A procedure paid at application is submitted only once its fee is paid."""
    if due_before_submission(submission) > 0:
        raise SubmissionBlocked(_("手数料のお支払いが済んでいません。"))
