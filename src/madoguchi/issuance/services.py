import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from madoguchi.audit import services as audit
from madoguchi.organizations.models import OrgUnit

from . import signing
from .documents import registry
from .documents.base import Verification
from .models import IssuedDocument

# 12 characters without look-alikes (0/O, 1/I): 60 bits, read out or typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


def verification_url(code: str) -> str:
    with translation.override("ja"):
        path = reverse("portal:verify-code", kwargs={"code": code})
    return f"{settings.MADOGUCHI_BASE_URL.rstrip('/')}{path}"


def issue_for_submission(
    submission: Any, *, kind: str, office: OrgUnit, details: dict[str, str] | None = None
) -> IssuedDocument:
    """Render, sign and store the document that answers ``submission``.

    Idempotent: when the document already exists (a retried task), it is returned unchanged.
    """
    existing = IssuedDocument.objects.filter(reference=submission.reference, kind=kind).first()
    if existing is not None:
        return existing
    document_type = registry.get(kind)
    now = timezone.now()
    code = new_verification_code()
    pdf = document_type.render(
        submission,
        office=office,
        issued_on=timezone.localdate(now),
        verification=Verification(code=code, url=verification_url(code)),
        details=details or {},
    )
    signed = signing.sign(pdf, reason=f"{document_type.title_ja}の交付", location=office.full_name)
    document = IssuedDocument(
        municipality=submission.municipality,
        kind=kind,
        title_ja=document_type.title_ja,
        title_en=document_type.title_en,
        owner=submission.applicant,
        reference=submission.reference,
        issuing_office=office,
        sha256=hashlib.sha256(signed).hexdigest(),
        available_until=now + dt.timedelta(days=settings.MADOGUCHI_DOWNLOAD_DAYS),
        verification_code=code,
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # another worker issued it first: keep theirs
        document.file.delete(save=False)
        return IssuedDocument.objects.get(reference=submission.reference, kind=kind)
    audit.record(actor=None, action="issue", target=document, detail={"kind": kind})
    return document


def revoke(document: IssuedDocument, *, actor: Any, reason: str) -> IssuedDocument:
    """Staff revoke a certificate (issued in error, superseded); the verification page then
    says so. A reason is required; revoking twice keeps the first."""
    if not reason.strip():
        raise ValueError("A revocation needs a reason.")
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revocation_reason = reason.strip()
            locked.revoked_by = actor
            locked.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
            audit.record(actor=actor, action="update", target=locked, detail={"revoked": True})
    return locked


def remove_files(documents: Iterable[IssuedDocument]) -> int:
    """Retention: take documents' files out of storage once the commit is done (past their
    download period, or their application was anonymised). The record stays, so that a printed
    copy can still be verified by its code and hash."""
    documents = [d for d in documents if d.file]
    names = [d.file.name for d in documents]
    IssuedDocument.objects.filter(pk__in=[d.pk for d in documents]).update(file="")
    storage = IssuedDocument._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
    return len(documents)


def detach_owner(references: Iterable[str], *, owner: Any) -> int:
    """Retention: documents of anonymised applications no longer name who received them."""
    return IssuedDocument.objects.filter(reference__in=list(references)).update(owner=owner)
