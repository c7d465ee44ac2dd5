"""The write path for applications: start a draft, save a step, submit exactly once."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.forms import engine
from madoguchi.forms.models import FormVersion
from madoguchi.forms.sources import ChoiceContext

from . import guards, references, registration
from .models import Submission


class SubmissionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("The answers do not satisfy the form definition.")
        self.errors = errors


def choice_context(submission: Submission) -> ChoiceContext:
    return ChoiceContext(person=submission.person)


def start_draft(*, applicant: Any, form_version: FormVersion, language: str) -> Submission:
    """Resume the applicant's open draft for this procedure, or start one."""
    existing = (
        Submission.objects.filter(
            applicant=applicant,
            procedure=form_version.procedure,
            status=Submission.Status.DRAFT,
        )
        .order_by("-updated_at")
        .first()
    )
    if existing is not None:
        return existing
    return Submission.objects.create(
        municipality=form_version.procedure.municipality,
        procedure=form_version.procedure,
        form_version=form_version,
        applicant=applicant,
        person=applicant.person,
        language=language,
    )


def save_step(submission: Submission, step_key: str, answers: dict[str, Any]) -> None:
    """Keep a valid step's answers in the draft, so that nothing is lost if the resident leaves."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.is_draft:
            return
        locked.answers = {**locked.answers, **answers}
        if step_key not in locked.completed_steps:
            locked.completed_steps = [*locked.completed_steps, step_key]
        locked.save(update_fields=["answers", "completed_steps", "updated_at"])
    submission.refresh_from_db()


def submit(submission: Submission) -> Submission:
    """Submit the draft once. A second call (a double click, a resent form) returns the same
    submission unchanged: there is only ever one application per draft."""
    for _attempt in range(3):
        try:
            return _submit_once(submission)
        except IntegrityError:  # a reference number collided; draw another
            continue
    raise RuntimeError("Could not allocate a unique reference number.")


def _submit_once(submission: Submission) -> Submission:
    # The audit entries (this one, the case's) are appended together at the end, so that the
    # audit chain's lock is held only from there to the commit.
    with transaction.atomic(), audit.appended_together():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related(
                "municipality", "procedure", "form_version", "person__household", "applicant"
            )
            .get(pk=submission.pk)
        )
        if not locked.is_draft:
            return locked
        errors = engine.validate_answers(
            locked.form_version.parsed, locked.answers, choice_context(locked)
        )
        if errors:
            raise SubmissionInvalid(errors)
        guards.check(locked)
        locked.status = Submission.Status.SUBMITTED
        locked.reference = references.new_reference()
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "reference", "submitted_at", "updated_at"])
        audit.record(
            actor=locked.applicant,
            action="submit",
            target=locked,
            detail={"procedure": locked.procedure.code, "reference": locked.reference},
        )
        registration.run_targets(locked)
    return locked


def amend_answers(submission: Submission, changed: dict[str, Any]) -> Submission:
    """Replace some answers of a submitted application (a correction the city asked for). The
    whole application must still be valid; the caller keeps the earlier version."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        answers = {**locked.answers, **changed}
        errors = engine.validate_answers(
            locked.form_version.parsed, answers, choice_context(locked)
        )
        if errors:
            raise SubmissionInvalid(errors)
        locked.answers = answers
        locked.save(update_fields=["answers", "updated_at"])
    return locked


def create_draft(
    *,
    applicant: Any,
    form_version: FormVersion,
    language: str,
    answers: dict[str, Any],
    channel: str = Submission.Channel.ONLINE,
) -> Submission:
    """A new draft already filled in (a bundle's shared answers), never resuming another."""
    schema = form_version.parsed
    return Submission.objects.create(
        municipality=form_version.procedure.municipality,
        procedure=form_version.procedure,
        form_version=form_version,
        applicant=applicant,
        person=applicant.person,
        language=language,
        channel=channel,
        answers=answers,
        completed_steps=[step.key for step in schema.steps],
    )
