import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from madoguchi.submissions.references import normalize

from . import signing
from .models import IssuedDocument


def downloadable(user: Any, document_id: int) -> IssuedDocument:
    """The owner's document while it may still be downloaded; anything else is a 404."""
    document = IssuedDocument.objects.filter(pk=document_id, owner=user).first()
    if document is None or document.available_until < timezone.now() or document.is_revoked:
        raise Http404
    return document


def by_verification_code(code: str) -> IssuedDocument | None:
    """The document with this printed code, however it was typed (全角, lower case, spaces)."""
    return (
        IssuedDocument.objects.select_related("issuing_office__parent", "municipality")
        .filter(verification_code=normalize(code, length=12))
        .first()
    )


@dataclass(frozen=True)
class FileVerification:
    signature: signing.SignatureCheck
    document: IssuedDocument | None  # the city's record of exactly these bytes

    @property
    def genuine(self) -> bool:
        return self.signature.valid and self.document is not None


def verify_file(data: bytes) -> FileVerification:
    """Check an uploaded PDF: its signature (pyHanko, against the trust roots) and whether the
    city issued exactly these bytes."""
    digest = hashlib.sha256(data).hexdigest()
    document = (
        IssuedDocument.objects.select_related("issuing_office__parent", "municipality")
        .filter(sha256=digest)
        .first()
    )
    return FileVerification(signature=signing.check(data), document=document)


def files_past_download(
    now: dt.datetime, references: Iterable[str] | None = None
) -> QuerySet[IssuedDocument]:
    """Documents whose file is still stored after its download period ended (retention);
    with ``references``, only those answering these applications."""
    documents = IssuedDocument.objects.exclude(file="").filter(available_until__lt=now)
    if references is not None:
        documents = documents.filter(reference__in=references)
    return documents


def stored_files_of(references: Iterable[str]) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.exclude(file="").filter(reference__in=references)
