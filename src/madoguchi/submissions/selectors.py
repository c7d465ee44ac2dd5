from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from madoguchi.core.i18n import pick
from madoguchi.forms import engine
from madoguchi.forms.schema import Step

from .models import Submission
from .services import choice_context, draft_cutoff


def own_submissions(user: Any) -> QuerySet[Submission]:
    """A resident's own applications; nobody else's are reachable from here."""
    return Submission.objects.filter(applicant=user).select_related("procedure")


def own_draft(user: Any, draft_uuid: Any) -> Submission:
    """A resident's draft that has not expired; an expired one is not resumed."""
    return get_object_or_404(
        Submission.objects.select_related("procedure", "form_version", "person"),
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


def drafts_untouched_since(procedure: Any, cutoff: Any) -> QuerySet[Submission]:
    """Drafts of ``procedure`` last saved before ``cutoff`` (retention)."""
    return Submission.objects.filter(
        procedure=procedure, status=Submission.Status.DRAFT, updated_at__lt=cutoff
    )


def references_of(procedure: Any) -> QuerySet[Submission]:
    """The reference numbers of ``procedure``'s applications, as a subquery."""
    return (
        Submission.objects.filter(procedure=procedure).exclude(reference=None).values("reference")
    )


def unchanged_prefills(submission: Submission) -> set[str]:
    """The questions still holding the value a prefill source gave."""
    return engine.unchanged_prefills(submission.answers, submission.prefilled)


def split_prefilled(
    submission: Submission, step: Step, *, change: bool
) -> tuple[Step, list[engine.AnswerRow]]:
    """See ``forms.engine.split_prefilled``."""
    return engine.split_prefilled(
        step, submission.answers, submission.prefilled, choice_context(submission), change=change
    )


@dataclass(frozen=True)
class ChangedPrefill:
    label: str
    held: str  # what the city's source held
    answered: str  # what the resident answered instead


def changed_prefills(submission: Submission) -> list[ChangedPrefill]:
    """Prefilled answers the resident changed: staff check these against the source."""
    changed = set(submission.prefilled) - unchanged_prefills(submission)
    if not changed:
        return []
    context = choice_context(submission)
    answers = submission.answers
    return [
        ChangedPrefill(
            label=pick(question.label),
            held=engine.display(question, submission.prefilled[question.key], context),
            answered=engine.display(question, answers.get(question.key), context),
        )
        for step in submission.form_version.parsed.steps
        for question in step.questions
        if question.key in changed
    ]


def counter_application(clerk: Any, draft_uuid: Any) -> Submission:
    """An application a clerk is filling in with a resident at the counter: only theirs."""
    return get_object_or_404(
        Submission.objects.select_related("procedure", "form_version", "person"),
        uuid=draft_uuid,
        assisted_by=clerk,
    )


def next_step_to_ask(submission: Submission, after: str | None = None) -> str | None:
    """The first step (after ``after``) holding a question no source answered, or None."""
    steps = list(submission.form_version.parsed.visible_steps(submission.answers))
    if after is not None:
        steps = steps[[s.key for s in steps].index(after) + 1 :]
    for step in steps:
        asked, _rows = split_prefilled(submission, step, change=False)
        if any(q.asks for q in asked.visible_questions(submission.answers)):
            return step.key
    return None
