import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality


def _random_name(_instance: "Attachment", _filename: str) -> str:
    # The stored name never carries the resident's file name (personal data) or a guessable id.
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file uploaded for a file question of an application. Kept in private storage (never
    under a public URL) and streamed only by views that check who asks.

    It belongs to one application, or to a life-event bundle's draft until the bundle is
    submitted and each application it makes gets its own copy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    bundle_application = models.ForeignKey(
        "bundles.BundleApplication",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The clerk who took the file in at the counter (書かない窓口); empty: the resident did.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取り込んだ職員"),
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False, bundle_application__isnull=True)
                | models.Q(submission__isnull=True, bundle_application__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def municipality(self) -> Municipality:
        """For the audit log, which files each entry under the target's municipality."""
        if self.submission_id:
            return self.submission.municipality
        return self.bundle_application.municipality
