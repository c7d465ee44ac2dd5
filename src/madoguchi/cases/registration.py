from madoguchi.submissions.models import Submission
from madoguchi.submissions.registration import register_target

from .services import open_case


@register_target("case")
def register_case(submission: Submission) -> None:
    open_case(submission)
