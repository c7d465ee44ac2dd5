import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality


def _random_name(_instance: "Attachment", _filename: str) -> str:
    # The stored name never carries the resident's file name (personal data) or a guessable id.
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file a resident uploaded for a file question of an application. Kept in private
    storage (never under a public URL) and streamed only by views that check who asks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    # The form field it was uploaded through ("id_document", "children__0__certificate").
    field_name = models.CharField(max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=255)
    kind = models.CharField(_("種類"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大きさ"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_random_name)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        indexes = [models.Index(fields=["submission", "field_name"])]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def municipality(self) -> Municipality:
        """For the audit log, which files each entry under the target's municipality."""
        return self.submission.municipality
