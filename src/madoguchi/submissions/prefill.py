"""The resident's earlier submissions as a prefill source: the phone number and e-mail address
they last gave."""

from typing import Any

from madoguchi.forms.models import FormVersion
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
    # The answers only, and each form version's definition once (not once per application).
    earlier = list(
        Submission.objects.filter(applicant=user, status=Submission.Status.SUBMITTED)
        .order_by("-submitted_at")
        .values_list("form_version_id", "answers")[:LOOK_BACK]
    )
    schemas = {
        version.pk: version.parsed
        for version in FormVersion.objects.filter(pk__in={pk for pk, _answers in earlier})
    }
    for form_version_id, answers in earlier:
        for step in schemas[form_version_id].steps:
            for question in step.questions:
                key = wanted.get(question.type) or (
                    question.prefill if question.prefill in keys else None
                )
                value = answers.get(question.key)
                if key and key not in found and isinstance(value, str) and value:
                    found[key] = value
        if len(found) == len(wanted):
            break
    return found


register_prefill_source("submissions", ATTRIBUTES, fetch)
