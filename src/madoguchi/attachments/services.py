"""Receiving an upload: size, type by content, virus scan, then private storage."""

import hashlib
import logging
import uuid
from collections.abc import Iterable
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.core.i18n import pick
from madoguchi.forms import engine
from madoguchi.forms.schema import Question, Step

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


def owner_filter(owner: Any) -> dict[str, Any]:
    """The attachments of an application (``Submission``) or of a bundle's draft."""
    if owner._meta.label == "bundles.BundleApplication":
        return {"bundle_application": owner}
    return {"submission": owner}


def receive(
    owner: Any,
    question: Question,
    field_name: str,
    upload: Any,
    *,
    uploaded_by: Any = None,
    replace: bool = True,
) -> Attachment:
    """Check and keep one uploaded file for ``field_name`` of ``owner`` (a draft, a bundle's
    draft, or a submitted application under correction). With ``replace`` an earlier file of the
    same field is deleted; a correction keeps it, since the application's history refers to it.
    ``uploaded_by``: the clerk taking the file in at the counter. Raises ``UploadRefused`` and
    keeps nothing when the file is refused; the answers are never touched here."""
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
    owned_by = owner_filter(owner)
    with transaction.atomic():
        if replace:
            for earlier in Attachment.objects.filter(**owned_by, field_name=field_name):
                earlier.delete()
        attachment = Attachment(
            **owned_by,
            uploaded_by=uploaded_by,
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


def receive_uploads(
    owner: Any, step: Step, data: Any, files: Any, *, uploaded_by: Any = None, replace: bool = True
) -> tuple[Any, dict[str, str]]:
    """Keep each posted file of ``step`` that passes its checks before the step is validated, so
    that an error elsewhere on the page does not make the user choose it again. Returns the
    posted data with each kept file as its field's current attachment, and the refusals by field
    name (shown on their question; nothing else changes)."""
    data = data.copy()
    refused: dict[str, str] = {}
    for name, upload in files.items():
        question = engine.file_question(step, name)
        if question is None:
            continue
        try:
            attachment = receive(
                owner, question, name, upload, uploaded_by=uploaded_by, replace=replace
            )
        except UploadRefused as refusal:
            refused[name] = refusal.message
        else:
            data[f"{name}{engine.SEP}current"] = str(attachment.id)
    return data, refused


def hand_over(
    bundle_application: Any, submission: Any, renamed: dict[str, str]
) -> list[Attachment]:
    """Give an application made by a bundle its own copy of the bundle's files (old id -> the
    new id its answers already name), so that each application's files live and are purged with
    it, and only the section handling it reads them. Returns the copies: if the surrounding
    transaction fails, the caller removes their stored files (``remove_stored``)."""
    copies = []
    for source in Attachment.objects.filter(
        bundle_application=bundle_application, pk__in=list(renamed)
    ):
        copy = Attachment(
            id=uuid.UUID(renamed[str(source.pk)]),
            submission=submission,
            uploaded_by=source.uploaded_by,
            field_name=source.field_name,
            original_name=source.original_name,
            kind=source.kind,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
        )
        with source.file.open("rb") as stored:
            copy.file.save("upload", ContentFile(stored.read()), save=False)
        copies.append(copy)
        copy.save()
    return copies


def remove_stored(attachments: Iterable[Attachment]) -> None:
    """The stored files of attachments whose rows were rolled back: nothing else names them."""
    for attachment in attachments:
        attachment.file.storage.delete(attachment.file.name)


def discard_bundle_files(bundle_application: Any) -> int:
    """A submitted bundle's own files, once every application has its copies (the stored files
    go after commit, see signals.delete_stored_file)."""
    _total, per_model = Attachment.objects.filter(bundle_application=bundle_application).delete()
    return per_model.get(Attachment._meta.label, 0)


def discard_unreferenced(submission: Any, referenced: Iterable[str]) -> int:
    """After a correction: delete the application's files that no version of its answers names
    (a file chosen and then replaced again before resubmitting)."""
    kept = {str(pk) for pk in referenced}
    unused = [
        pk
        for pk in Attachment.objects.filter(submission=submission).values_list("pk", flat=True)
        if str(pk) not in kept
    ]
    if not unused:
        return 0
    _total, per_model = Attachment.objects.filter(pk__in=unused).delete()
    return per_model.get(Attachment._meta.label, 0)


def delete_for_submissions(submission_ids: Iterable[int]) -> int:
    """Retention: remove the files of anonymised applications (the stored files go after
    commit, see signals.delete_stored_file)."""
    _total, per_model = Attachment.objects.filter(submission_id__in=list(submission_ids)).delete()
    return per_model.get(Attachment._meta.label, 0)
