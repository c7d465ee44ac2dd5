"""Retention and purging per procedure (as Open Forms does per form).

N days (``Procedure.retention_days``) after a case ended (issued, rejected, withdrawn), its
application is anonymised: answers, attachments, the registry person, the applicant's account,
free texts of the case and the issued file are removed; the case with its status, procedure,
section (ward), dates and events stays for statistics. Drafts untouched for
``draft_retention_days`` are deleted with their attachments, except those with a payment attempt
(the payment record needs them). Issued files are removed from storage once their download
period is over. Each procedure's purge is one audit entry with counts only.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts import services as accounts
from madoguchi.attachments import selectors as attachments
from madoguchi.attachments import services as attachment_services
from madoguchi.audit import services as audit
from madoguchi.cases import selectors as cases
from madoguchi.cases.models import Case
from madoguchi.cases.services import retention as case_retention
from madoguchi.issuance import selectors as issuance
from madoguchi.issuance import services as issuance_services
from madoguchi.issuance.models import IssuedDocument
from madoguchi.notifications import services as notifications
from madoguchi.payments import services as payments
from madoguchi.procedures.models import Procedure
from madoguchi.submissions import selectors as submissions
from madoguchi.submissions import services as submission_services

T = TypeVar("T")


@dataclass
class ProcedurePurge:
    """What the purge does (or, in a dry run, would do) to one procedure's records."""

    procedure: Procedure
    anonymised: int = 0
    drafts_deleted: int = 0
    drafts_kept: int = 0  # past their time but with a payment attempt
    files_removed: int = 0
    attachments_removed: int = 0

    @property
    def anything(self) -> bool:
        return any(self.counts().values())

    def counts(self) -> dict[str, int]:
        return {
            "anonymised": self.anonymised,
            "drafts_deleted": self.drafts_deleted,
            "drafts_kept": self.drafts_kept,
            "files_removed": self.files_removed,
            "attachments_removed": self.attachments_removed,
        }


def purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[ProcedurePurge]:
    """Apply every procedure's retention at ``now``; a dry run only counts. Returns the
    procedures with something to do."""
    now = now or timezone.now()
    done = []
    for procedure in Procedure.objects.select_related("municipality").order_by("pk"):
        if dry_run:
            result = _survey(procedure, now).result
        else:
            with transaction.atomic():
                result = _apply(procedure, now)
        if result.anything:
            done.append(result)
    return done


@dataclass
class _Survey:
    result: ProcedurePurge
    expired: list[Case]
    drafts: list[int]
    files: list[IssuedDocument]


def _survey(procedure: Procedure, now: dt.datetime) -> _Survey:
    expired: list[Case] = []
    if procedure.retention_days is not None:
        cutoff = now - dt.timedelta(days=procedure.retention_days)
        closed = cases.closed_before(procedure, cutoff).select_related("submission")
        owner = accounts.anonymised_account_id(procedure.municipality)
        expired = list(closed.exclude(submission__applicant_id=owner) if owner else closed)
    drafts: list[int] = []
    kept = 0
    if procedure.draft_retention_days is not None:
        cutoff = now - dt.timedelta(days=procedure.draft_retention_days)
        old = submissions.drafts_untouched_since(procedure, cutoff)
        kept = old.filter(payments__isnull=False).distinct().count()
        drafts = list(old.filter(payments__isnull=True).values_list("pk", flat=True))
    references = [c.submission.reference for c in expired]
    files = {
        d.pk: d for d in issuance.files_past_download(now, submissions.references_of(procedure))
    }
    for batch in _batches(references):
        files.update((d.pk, d) for d in issuance.stored_files_of(batch))
    result = ProcedurePurge(
        procedure,
        anonymised=len(expired),
        drafts_deleted=len(drafts),
        drafts_kept=kept,
        files_removed=len(files),
        attachments_removed=sum(
            attachments.count_for_submissions([c.submission_id for c in batch])
            for batch in _batches(expired)
        ),
    )
    return _Survey(result, expired, drafts, list(files.values()))


def _apply(procedure: Procedure, now: dt.datetime) -> ProcedurePurge:
    survey = _survey(procedure, now)
    result = survey.result
    if not (survey.expired or survey.drafts or survey.files):
        return result  # at most drafts kept for a payment: nothing to record
    for files in _batches(survey.files):
        issuance_services.remove_files(files)
    owner = accounts.anonymised_account(procedure.municipality) if survey.expired else None
    for expired in _batches(survey.expired):
        submission_ids = [c.submission_id for c in expired]
        attachment_services.delete_for_submissions(submission_ids)
        case_retention.anonymise([c.pk for c in expired], owner=owner)
        submission_services.anonymise(submission_ids, owner=owner)
        payments.detach_payer(submission_ids, owner=owner)
        references = [c.submission.reference for c in expired]
        issuance_services.detach_owner(references, owner=owner)
        # The resident's inbox keeps what it was told, without links to the page now gone.
        notifications.drop_links(
            [reverse("portal:application", kwargs={"reference": r}) for r in references]
        )
    result.drafts_deleted = sum(
        submission_services.delete_drafts(drafts) for drafts in _batches(survey.drafts)
    )
    audit.record(
        actor=None,
        action="purge",
        target=procedure,
        purpose="保存期間の経過",
        detail=result.counts(),
    )
    return result


def _batches(items: list[T], size: int = 500) -> Iterator[list[T]]:
    """Bounded ``IN (…)`` lists: a first run may find years of applications at once."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
