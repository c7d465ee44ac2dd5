"""The resident's earlier submissions as a prefill source: the phone number and e-mail address
they last gave."""

from typing import Any

from madoguchi.forms.prefill import PrefillAttribute, PrefillContext, register_prefill_source

from .models import Submission

SOURCE = {"ja": "過去の申請", "en": "Your earlier applications"}
ATTRIBUTES = [
    PrefillAttribute("submissions.phone", {"ja": "電話番号", "en": "Phone number"}, SOURCE),
    PrefillAttribute("submissions.email", {"ja": "メールアドレス", "en": "E-mail address"}, SOURCE),
]
# How far back to look: the newest answers are the ones the resident still uses.
LOOK_BACK = 20


def fetch(context: PrefillContext, keys: list[str]) -> dict[str, Any]:
    user = context.user
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    wanted = {key.split(".", 1)[1]: key for key in keys}  # question type -> attribute key
    found: dict[str, Any] = {}
    earlier = (
        Submission.objects.filter(applicant=user, status=Submission.Status.SUBMITTED)
        .select_related("form_version")
        .order_by("-submitted_at")[:LOOK_BACK]
    )
    for submission in earlier:
        for step in submission.form_version.parsed.steps:
            for question in step.questions:
                key = wanted.get(question.type) or (
                    question.prefill if question.prefill in keys else None
                )
                value = submission.answers.get(question.key)
                if key and key not in found and isinstance(value, str) and value:
                    found[key] = value
        if len(found) == len(wanted):
            break
    return found


register_prefill_source("submissions", ATTRIBUTES, fetch)
