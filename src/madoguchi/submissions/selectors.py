from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from madoguchi.forms import engine

from .models import Submission
from .services import choice_context, draft_cutoff


def own_submissions(user: Any) -> QuerySet[Submission]:
    """A resident's own applications; nobody else's are reachable from here."""
    return Submission.objects.filter(applicant=user).select_related("procedure")


def own_draft(user: Any, draft_uuid: Any) -> Submission:
    """A resident's draft that has not expired; an expired one is not resumed."""
    return get_object_or_404(
        Submission,
        uuid=draft_uuid,
        applicant=user,
        status=Submission.Status.DRAFT,
        updated_at__gte=draft_cutoff(),
    )


def own_submitted(user: Any, reference: str) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("procedure", "form_version"),
        reference=reference,
        applicant=user,
        status=Submission.Status.SUBMITTED,
    )


def answer_rows(
    submission: Submission, answers: dict[str, Any] | None = None
) -> list[engine.AnswerRow]:
    """The answers (or an earlier version of them), displayed with the form version they were
    filled with."""
    return engine.summarize(
        submission.form_version.parsed,
        submission.answers if answers is None else answers,
        choice_context(submission),
    )
