"""The write path for applications: start a draft, save a step, submit exactly once."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from madoguchi.attachments import selectors as attachments
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
    return ChoiceContext(person=submission.person, attachments=attachments.names_for(submission))


def draft_cutoff() -> dt.datetime:
    """Drafts last saved before this have expired (``MADOGUCHI_DRAFT_TTL_DAYS``)."""
    return timezone.now() - dt.timedelta(days=settings.MADOGUCHI_DRAFT_TTL_DAYS)


def purge_expired_drafts() -> int:
    """Delete expired drafts with their attachments; a draft something else still refers to
    (a fee paid before submitting) is kept. Returns how many were deleted."""
    deleted = 0
    expired = Submission.objects.filter(
        status=Submission.Status.DRAFT, updated_at__lt=draft_cutoff()
    )
    for draft in expired.only("pk"):
        try:
            with transaction.atomic():
                draft.delete()
        except ProtectedError:
            continue
        deleted += 1
    return deleted


def start_draft(*, applicant: Any, form_version: FormVersion, language: str) -> Submission:
    """Resume the applicant's open draft for this procedure, or start one."""
    existing = (
        Submission.objects.filter(
            applicant=applicant,
            procedure=form_version.procedure,
            status=Submission.Status.DRAFT,
            updated_at__gte=draft_cutoff(),
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
        # Answers to questions an answer here now hides are dropped, not kept.
        locked.answers = engine.prune(locked.form_version.parsed, {**locked.answers, **answers})
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
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
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
