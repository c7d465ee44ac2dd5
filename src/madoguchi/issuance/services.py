import datetime as dt
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.organizations.models import OrgUnit

from .documents import registry
from .models import IssuedDocument


def issue_for_submission(submission: Any, *, kind: str, office: OrgUnit) -> IssuedDocument:
    """Render and store the document that answers ``submission``.

    Idempotent: when the document already exists (a retried task), it is returned unchanged.
    """
    existing = IssuedDocument.objects.filter(reference=submission.reference, kind=kind).first()
    if existing is not None:
        return existing
    document_type = registry.get(kind)
    now = timezone.now()
    pdf = document_type.render(submission, office=office, issued_on=timezone.localdate(now))
    document = IssuedDocument(
        municipality=submission.municipality,
        kind=kind,
        title_ja=document_type.title_ja,
        title_en=document_type.title_en,
        owner=submission.applicant,
        reference=submission.reference,
        issuing_office=office,
        sha256=hashlib.sha256(pdf).hexdigest(),
        available_until=now + dt.timedelta(days=settings.MADOGUCHI_DOWNLOAD_DAYS),
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # another worker issued it first: keep theirs
        document.file.delete(save=False)
        return IssuedDocument.objects.get(reference=submission.reference, kind=kind)
    audit.record(actor=None, action="issue", target=document, detail={"kind": kind})
    return document
