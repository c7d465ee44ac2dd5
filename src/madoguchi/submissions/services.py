"""The write path for applications: start a draft, save a step, submit exactly once."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.attachments import selectors as attachments
from madoguchi.audit import services as audit
from madoguchi.datause import services as datause
from madoguchi.forms import engine, prefill
from madoguchi.forms.models import FormVersion
from madoguchi.forms.schema import FormSchema
from madoguchi.forms.sources import ChoiceContext

from . import guards, references, registration
from .models import IdempotencyKey, Submission


class SubmissionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("The answers do not satisfy the form definition.")
        self.errors = errors


def choice_context(submission: Submission) -> ChoiceContext:
    # A form without file questions never shows an attachment: no query for their names.
    files = submission.form_version.parsed.has_file
    return ChoiceContext(
        person=submission.person, attachments=attachments.names_for(submission) if files else {}
    )


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


def start_draft(
    *,
    applicant: Any,
    form_version: FormVersion,
    language: str,
    assisted_by: Any = None,
    idempotency_key: str = "",
) -> Submission:
    """Resume the applicant's open draft for this procedure, or start one with every question
    the city can answer already answered (once-only).

    With ``idempotency_key`` (a browser form's token, an API client's header), the same key
    always returns the draft it first made, even once that draft was submitted.
    """
    if idempotency_key:
        earlier = _by_key(applicant, "start_draft", idempotency_key)
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            existing = (
                Submission.objects.filter(
                    applicant=applicant,
                    procedure=form_version.procedure,
                    status=Submission.Status.DRAFT,
                    assisted_by=assisted_by,
                    updated_at__gte=draft_cutoff(),
                )
                .order_by("-updated_at")
                .first()
            )
            draft = existing or _new_draft(applicant, form_version, language, assisted_by)
            if idempotency_key:
                IdempotencyKey.objects.create(
                    user=applicant, operation="start_draft", key=idempotency_key, submission=draft
                )
    except IntegrityError:  # a request with the same key raced this one: the first one wins
        earlier = _by_key(applicant, "start_draft", idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return earlier
    return draft


def _by_key(user: Any, operation: str, key: str) -> Submission | None:
    found = (
        IdempotencyKey.objects.filter(user=user, operation=operation, key=key)
        .select_related("submission")
        .first()
    )
    return found.submission if found else None


def _new_draft(
    applicant: Any, form_version: FormVersion, language: str, assisted_by: Any
) -> Submission:
    person = applicant.person
    values = prefill_answers(form_version.parsed, person=person, user=applicant)
    draft = Submission.objects.create(
        municipality=form_version.procedure.municipality,
        procedure=form_version.procedure,
        form_version=form_version,
        applicant=applicant,
        person=person,
        language=language,
        channel=Submission.Channel.COUNTER if assisted_by else Submission.Channel.ONLINE,
        assisted_by=assisted_by,
        answers={key: value for key, (_attribute, value) in values.items()},
        prefilled={key: value for key, (_attribute, value) in values.items()},
    )
    if values:
        datause.record_prefill(
            submission=draft,
            attributes=[attribute for attribute, _value in values.values()],
            used_by=assisted_by,
        )
    return draft


def prefill_answers(schema: FormSchema, *, person: Any, user: Any) -> dict[str, tuple[str, Any]]:
    """Question key -> (prefill attribute, value) for every question a source can answer."""
    wanted = {
        question.key: question.prefill
        for step in schema.steps
        for question in step.questions
        if question.prefill
    }
    if not wanted:
        return {}
    values = prefill.prefill_values(
        prefill.PrefillContext(person=person, user=user), wanted.values()
    )
    return {key: (attr, values[attr]) for key, attr in wanted.items() if attr in values}


def save_step(submission: Submission, step_key: str, answers: dict[str, Any]) -> None:
    """Keep a valid step's answers in the draft, so that nothing is lost if the resident leaves."""
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("form_version")
            .get(pk=submission.pk)
        )
        if not locked.is_draft:
            submission.status = locked.status
            return
        # Answers to questions an answer here now hides are dropped, not kept.
        locked.answers = engine.prune(locked.form_version.parsed, {**locked.answers, **answers})
        if step_key not in locked.completed_steps:
            locked.completed_steps = [*locked.completed_steps, step_key]
        locked.save(update_fields=["answers", "completed_steps", "updated_at"])
    # The caller goes on with what was saved (as a reload would give it, without the query).
    submission.answers = locked.answers
    submission.completed_steps = locked.completed_steps
    submission.updated_at = locked.updated_at


class IdempotencyConflict(Exception):
    """The key was already used to submit another draft."""


def submit(submission: Submission, *, actor: Any = None, idempotency_key: str = "") -> Submission:
    """Submit the draft once. A second call (a double click, a resent form, an API retry)
    returns the same submission unchanged: there is only ever one application per draft.

    ``actor`` is who pressed submit (the clerk at the counter; the applicant by default).
    """
    if idempotency_key:
        earlier = _by_key(submission.applicant, "submit", idempotency_key)
        if earlier is not None and earlier.pk != submission.pk:
            raise IdempotencyConflict
    for _attempt in range(3):
        try:
            return _submit_once(submission, actor, idempotency_key)
        except IntegrityError:  # a reference number collided; draw another
            continue
    raise RuntimeError("Could not allocate a unique reference number.")


def _lock(submission: Submission) -> Submission:
    """The submission's row, locked, with the related records the caller already loaded (the
    same rows; joining them again costs the database more planning than reading them)."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    for name in ("municipality", "procedure", "form_version", "person", "applicant"):
        field = Submission._meta.get_field(name)
        same = getattr(locked, field.attname) == getattr(submission, field.attname)
        if same and field.is_cached(submission):
            field.set_cached_value(locked, field.get_cached_value(submission))
    return locked


def _submit_once(submission: Submission, actor: Any, idempotency_key: str) -> Submission:
    # The audit entries (this one, the case's) are appended together at the end, so that the
    # audit chain's lock is held only from there to the commit.
    with transaction.atomic(), audit.appended_together():
        locked = _lock(submission)
        if idempotency_key:
            used, created = IdempotencyKey.objects.get_or_create(
                user_id=locked.applicant_id,
                operation="submit",
                key=idempotency_key,
                defaults={"submission": locked},
            )
            if not created and used.submission_id != locked.pk:  # raced by another draft
                raise IdempotencyConflict
        if not locked.is_draft:
            return locked
        errors = engine.validate_answers(
            locked.form_version.parsed, locked.answers, choice_context(locked)
        )
        if errors:
            raise SubmissionInvalid(errors)
        _complete(locked, actor)
    return locked


def _complete(draft: Submission, actor: Any) -> None:
    """Make the checked draft an application: the guards, its reference number, the audit
    entry and its registration targets (the case), inside the caller's transaction."""
    guards.check(draft)
    draft.status = Submission.Status.SUBMITTED
    draft.reference = references.new_reference()
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["status", "reference", "submitted_at", "updated_at"])
    audit.record(
        actor=actor or draft.applicant,
        action="submit",
        target=draft,
        detail={"procedure": draft.procedure.code, "reference": draft.reference},
    )
    registration.run_targets(draft)


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


def anonymise(submission_ids: Iterable[int], *, owner: Any) -> int:
    """Retention: keep the record of the application (procedure, reference, status, dates) and
    drop what it said and whose it was: the answers, the registry person and the applicant, who
    becomes ``owner``, an account that names nobody (accounts.services.anonymised_account)."""
    return Submission.objects.filter(pk__in=list(submission_ids)).update(
        answers={}, completed_steps=[], person=None, applicant=owner
    )


def delete_drafts(submission_ids: Iterable[int]) -> int:
    """Retention: delete abandoned drafts (never submitted; nothing else points at them)."""
    drafts = Submission.objects.filter(pk__in=list(submission_ids), status=Submission.Status.DRAFT)
    _total, per_model = drafts.delete()
    return per_model.get(Submission._meta.label, 0)


def update_draft(submission: Submission, answers: dict[str, Any]) -> dict[str, list[str]]:
    """Save answers sent as JSON (the API). Each step they touch is validated as a whole with
    the draft's other answers, as when the step's page is posted; nothing is saved unless every
    touched step is valid. Returns the errors by step key (empty when saved)."""
    cleaned, errors = _clean_json_answers(
        submission.form_version.parsed,
        submission.answers,
        answers,
        choice_context(submission),
        every_step=False,
    )
    if not errors:
        for step_key, values in cleaned.items():
            save_step(submission, step_key, values)
    return errors


def _clean_json_answers(
    schema: FormSchema,
    held: dict[str, Any],
    answers: dict[str, Any],
    context: ChoiceContext,
    *,
    every_step: bool,
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Check JSON ``answers`` (with the ``held`` ones) step by step, as each step's page would:
    the cleaned answers by step key, and the errors by step key. Only the steps the answers
    touch are checked, or ``every_step`` visible one."""
    known = {q.key for step in schema.steps for q in step.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        return {}, {"": [_("この申請にない項目です：%(keys)s") % {"keys": "、".join(unknown)}]}
    merged = {**held, **answers}
    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for step in schema.visible_steps(merged):
        if not every_step and not any(q.key in answers for q in step.questions):
            continue
        form = engine.step_form(step, context, data=engine.form_data(step, merged), answers=merged)
        if form.is_valid():
            cleaned[step.key] = engine.to_answers(form)
        else:
            errors[step.key] = [message for _anchor, message in form.error_links]
    return cleaned, errors


def apply_at_once(
    *,
    applicant: Any,
    form_version: FormVersion,
    language: str,
    answers: dict[str, Any],
    idempotency_key: str = "",
) -> Submission:
    """A whole application in one call (an API client that holds every answer): prefilled from
    what the city holds, checked as the portal checks each step, and submitted exactly once.
    Nothing is kept when it is refused; the same ``idempotency_key`` again returns the first
    application."""
    if idempotency_key:
        earlier = _by_key(applicant, "submit", idempotency_key)
        if earlier is not None:
            return earlier
    schema = form_version.parsed
    prefilled = {
        key: value
        for key, (_attribute, value) in prefill_answers(
            schema, person=applicant.person, user=applicant
        ).items()
    }
    cleaned, errors = _clean_json_answers(
        schema,
        prefilled,
        answers,
        ChoiceContext(person=applicant.person),
        every_step=True,
    )
    if errors:
        raise SubmissionInvalid(errors)
    complete = {**prefilled, **{k: v for values in cleaned.values() for k, v in values.items()}}
    for _attempt in range(3):
        try:
            with transaction.atomic(), audit.appended_together():
                draft = create_draft(
                    applicant=applicant,
                    form_version=form_version,
                    language=language,
                    answers=engine.prune(schema, complete),
                    prefilled=prefilled,
                )
                # Nobody else sees the new row before the commit: no lock to take. A request
                # racing with the same key fails on the key's unique index instead.
                if idempotency_key:
                    IdempotencyKey.objects.create(
                        user=applicant, operation="submit", key=idempotency_key, submission=draft
                    )
                _complete(draft, None)
            return draft
        except IntegrityError:  # that race (the first one wins), or a reference collision
            earlier = _by_key(applicant, "submit", idempotency_key) if idempotency_key else None
            if earlier is not None:
                return earlier
    raise RuntimeError("Could not allocate a unique reference number.")


def create_draft(
    *,
    applicant: Any,
    form_version: FormVersion,
    language: str,
    answers: dict[str, Any],
    prefilled: dict[str, Any] | None = None,
    assisted_by: Any = None,
) -> Submission:
    """A new draft already filled in (a bundle's shared answers), never resuming another.
    ``prefilled``: those of the answers a prefill source gave, recorded in the data-use log."""
    schema = form_version.parsed
    prefilled = prefilled or {}
    draft = Submission.objects.create(
        municipality=form_version.procedure.municipality,
        procedure=form_version.procedure,
        form_version=form_version,
        applicant=applicant,
        person=applicant.person,
        language=language,
        channel=Submission.Channel.COUNTER if assisted_by else Submission.Channel.ONLINE,
        assisted_by=assisted_by,
        answers=answers,
        prefilled=prefilled,
        completed_steps=[step.key for step in schema.steps],
    )
    attributes = [
        question.prefill
        for step in schema.steps
        for question in step.questions
        if question.key in prefilled and question.prefill
    ]
    if attributes:
        datause.record_prefill(submission=draft, attributes=attributes, used_by=assisted_by)
    return draft
