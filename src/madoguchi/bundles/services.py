"""Bundles: start one, keep its shared answers step by step, and submit it once, fanning out to
one application per procedure inside a single transaction."""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from madoguchi.attachments import selectors as attachments
from madoguchi.attachments import services as attachment_services
from madoguchi.audit import services as audit
from madoguchi.forms import engine
from madoguchi.forms import selectors as form_selectors
from madoguchi.forms.schema import FormSchema
from madoguchi.forms.sources import ChoiceContext
from madoguchi.organizations.models import Municipality
from madoguchi.procedures.models import Procedure
from madoguchi.submissions import services as submission_services

from . import schema as shared
from .models import Bundle, BundleApplication, BundleComponent, BundleItem


class BundleUnavailable(Exception):
    """A procedure of the bundle has no published form, so the bundle cannot be started."""


@transaction.atomic
def define(
    municipality: Municipality, slug: str, procedures: list[Procedure], **names: str
) -> Bundle:
    """Create or replace a bundle: its names and descriptions (``name_ja``, ``name_en``,
    ``description_ja``, ``description_en``) and its procedures in order."""
    bundle, _created = Bundle.objects.update_or_create(
        municipality=municipality, slug=slug, defaults=names
    )
    wanted = {procedure.pk: position for position, procedure in enumerate(procedures)}
    current = {c.procedure_id: c for c in bundle.components.all()}
    bundle.components.exclude(procedure_id__in=wanted).delete()
    BundleComponent.objects.bulk_create(
        BundleComponent(bundle=bundle, procedure_id=pk, position=position)
        for pk, position in wanted.items()
        if pk not in current
    )
    moved = [c for pk, c in current.items() if pk in wanted and c.position != wanted[pk]]
    for component in moved:
        component.position = wanted[component.procedure_id]
    BundleComponent.objects.bulk_update(moved, ["position"])
    return bundle


def shared_schema(application: BundleApplication) -> FormSchema:
    """The questions the resident answers, from the form versions fixed when they started."""
    items = application.items.select_related("form_version").order_by("position")
    return FormSchema.parse(shared.shared_definition([item.form_version.schema for item in items]))


def choice_context(application: BundleApplication) -> ChoiceContext:
    return ChoiceContext(person=application.person, attachments=attachments.names_for(application))


@transaction.atomic
def start(
    *,
    applicant: Any,
    bundle: Bundle,
    language: str,
    procedures: list[Procedure] | None = None,
    assisted_by: Any = None,
) -> BundleApplication:
    """Resume the applicant's open draft of this bundle, or start one. It covers ``procedures``
    (those of the bundle that apply to the resident; all by default), each with its current
    form version; answers already given are kept, and what the city holds is filled in
    (once-only). ``assisted_by``: the clerk filling it in at the counter."""
    components = [
        c.procedure
        for c in bundle.components.select_related("procedure").order_by("position", "id")
        if procedures is None or c.procedure in procedures
    ]
    if not components:
        raise BundleUnavailable(bundle.slug)
    application = (
        BundleApplication.objects.select_for_update()
        .filter(
            applicant=applicant,
            bundle=bundle,
            status=BundleApplication.Status.DRAFT,
            assisted_by=assisted_by,
            updated_at__gte=submission_services.draft_cutoff(),  # an expired draft is not resumed
        )
        .order_by("-updated_at")
        .first()
    )
    if application is None:
        application = BundleApplication.objects.create(
            bundle=bundle,
            applicant=applicant,
            person=applicant.person,
            language=language,
            assisted_by=assisted_by,
        )
    kept = {item.procedure_id: item for item in application.items.all()}
    application.items.exclude(procedure__in=components).delete()
    items = []
    for position, procedure in enumerate(components):
        item = kept.get(procedure.pk)
        if item is None:
            version = form_selectors.current_version(procedure)
            if version is None:
                raise BundleUnavailable(bundle.slug)
            item = BundleItem(application=application, procedure=procedure, form_version=version)
        item.position = position
        items.append(item)
    BundleItem.objects.bulk_create([item for item in items if item.pk is None])
    BundleItem.objects.bulk_update([item for item in items if item.pk is not None], ["position"])
    _prefill(application)
    return application


def purge_expired_drafts() -> int:
    """Delete bundle drafts not saved for ``MADOGUCHI_DRAFT_TTL_DAYS`` with their files, as
    single drafts are (the daily retention task; ``manage.py purge_expired_bundle_drafts`` by
    hand). Returns how many."""
    expired = BundleApplication.objects.filter(
        status=BundleApplication.Status.DRAFT, updated_at__lt=submission_services.draft_cutoff()
    )
    _total, per_model = expired.delete()
    return per_model.get(BundleApplication._meta.label, 0)


def _prefill(application: BundleApplication) -> None:
    """Answer from the city's sources every question not answered yet."""
    values = submission_services.prefill_answers(
        shared_schema(application), person=application.person, user=application.applicant
    )
    new = {key: value for key, (_attr, value) in values.items() if key not in application.answers}
    if new:
        application.answers = {**application.answers, **new}
        application.prefilled = {**application.prefilled, **new}
        application.save(update_fields=["answers", "prefilled", "updated_at"])


def save_step(application: BundleApplication, step_key: str, answers: dict[str, Any]) -> None:
    """Keep a valid step's shared answers in the draft."""
    with transaction.atomic():
        locked = BundleApplication.objects.select_for_update().get(pk=application.pk)
        if not locked.is_draft:
            return
        # Answers to questions an answer here now hides are dropped, not kept.
        locked.answers = engine.prune(shared_schema(locked), {**locked.answers, **answers})
        if step_key not in locked.completed_steps:
            locked.completed_steps = [*locked.completed_steps, step_key]
        locked.save(update_fields=["answers", "completed_steps", "updated_at"])
    application.refresh_from_db()


def submit(application: BundleApplication) -> BundleApplication:
    """Submit the bundle once: one application per procedure, each with its own form version,
    reference number and case, or none at all. A second call returns the same bundle."""
    copies: list = []
    try:
        with transaction.atomic(), audit.appended_together():
            return _submit(application, copies)
    except BaseException:
        # Nothing was made (a later procedure refused, say): the files copied for the
        # applications that were rolled back go too.
        attachment_services.remove_stored(copies)
        raise


def _submit(application: BundleApplication, copies: list) -> BundleApplication:
    locked = BundleApplication.objects.select_for_update().get(pk=application.pk)
    if not locked.is_draft:
        return locked
    errors = engine.validate_answers(shared_schema(locked), locked.answers, choice_context(locked))
    if errors:
        raise submission_services.SubmissionInvalid(errors)
    items = list(locked.items.select_related("form_version__procedure").order_by("position"))
    for item in items:
        schema = item.form_version.parsed
        answers = shared.answers_for(schema, locked.answers)
        # Each application gets its own copy of the files its form asks for (a shared file
        # question gives every procedure asking it one), under a new id its answers name.
        renamed = {old: str(uuid.uuid4()) for old in engine.attachment_ids(schema, answers)}
        draft = submission_services.create_draft(
            applicant=locked.applicant,
            form_version=item.form_version,
            language=locked.language,
            answers=engine.rename_attachments(schema, answers, renamed),
            prefilled=shared.answers_for(schema, locked.prefilled),
            assisted_by=locked.assisted_by,
        )
        if renamed:
            copies += attachment_services.hand_over(locked, draft, renamed)
        item.submission = submission_services.submit(draft, actor=locked.assisted_by)
    BundleItem.objects.bulk_update(items, ["submission"])
    attachment_services.discard_bundle_files(locked)
    locked.status = BundleApplication.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(
        actor=locked.assisted_by or locked.applicant,
        action="submit",
        target=locked,
        detail={
            "bundle": locked.bundle.slug,
            "references": [item.submission.reference for item in items],
        },
    )
    return locked
