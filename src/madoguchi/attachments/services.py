"""Receiving an upload: size, type by content, virus scan, then private storage."""

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.core.i18n import pick
from madoguchi.forms.schema import Question

from . import scanners
from .models import Attachment

logger = logging.getLogger(__name__)

# What each kind of a file question's ``accept`` is, by the file's content (magic bytes).
KIND_MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "gif": "image/gif",
    "tiff": "image/tiff",
}


class UploadRefused(Exception):
    """The upload is not kept; ``message`` tells the resident why, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _limit_mb(question: Question) -> int:
    return question.max_size_mb or settings.MADOGUCHI_ATTACHMENT_MAX_MB


def receive(submission: Any, question: Question, field_name: str, upload: Any) -> Attachment:
    """Check and keep one uploaded file for ``field_name`` of a draft; an earlier file of the
    same field is replaced. Raises ``UploadRefused`` and keeps nothing when the file is refused;
    the draft's answers are never touched here."""
    label = pick(question.label)
    limit = _limit_mb(question)
    if upload.size == 0:
        raise UploadRefused(_("「%(label)s」のファイルが空です。") % {"label": label})
    if upload.size > limit * 1024 * 1024:
        raise UploadRefused(
            _("「%(label)s」のファイルは%(size)dMB以下にしてください。")
            % {"label": label, "size": limit}
        )
    content = b"".join(upload.chunks())
    kinds = question.accept or tuple(KIND_MIME)
    guessed = filetype.guess_mime(content)
    kind = next((k for k in kinds if KIND_MIME[k] == guessed), None)
    if kind is None:
        raise UploadRefused(
            _("「%(label)s」は%(kinds)sのファイルにしてください（中身がその形式ではありません）。")
            % {"label": label, "kinds": "、".join(k.upper() for k in kinds)}
        )
    try:
        result = scanners.scanner().scan(content)
    except scanners.ScanFailed:
        logger.exception("The virus scanner did not answer; the upload was refused.")
        raise UploadRefused(
            _("「%(label)s」のファイルを確認できませんでした。時間をおいてもう一度お試しください。")
            % {"label": label}
        ) from None
    if result.infected:
        logger.warning("An upload was refused: %s", result.signature)
        raise UploadRefused(
            _("「%(label)s」のファイルからウイルスが見つかったため、受け付けませんでした。")
            % {"label": label}
        )
    with transaction.atomic():
        for earlier in Attachment.objects.filter(submission=submission, field_name=field_name):
            earlier.delete()
        attachment = Attachment(
            submission=submission,
            field_name=field_name,
            original_name=(getattr(upload, "name", "") or "file")[-255:],
            kind=kind,
            content_type=KIND_MIME[kind],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        attachment.file.save("upload", ContentFile(content), save=False)
        attachment.save()
    return attachment


def delete_for_submissions(submission_ids: Iterable[int]) -> int:
    """Retention: remove the files of anonymised applications (the stored files go after
    commit, see signals.delete_stored_file)."""
    _total, per_model = Attachment.objects.filter(submission_id__in=list(submission_ids)).delete()
    return per_model.get(Attachment._meta.label, 0)
