from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality, OrgUnit


class IssuedDocument(models.Model):
    """A certificate or notice the city issued, kept privately and handed only to its owner."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    kind = models.SlugField(_("種類"), max_length=60)
    title_ja = models.CharField(_("表題"), max_length=100)
    title_en = models.CharField(_("表題（英語）"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents"
    )
    # The application it answers (its 受付番号); one document of a kind per application.
    reference = models.CharField(_("受付番号"), max_length=20)
    issuing_office = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    # Stored under a random name: the path never carries personal data.
    file = models.FileField(upload_to="issued/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    available_until = models.DateTimeField(_("ダウンロード期限"))
    # Printed on the document with a QR code: anyone holding the paper or the file can check
    # it on the public verification page. Random, so that codes cannot be enumerated.
    verification_code = models.CharField(
        _("検証コード"), max_length=20, unique=True, null=True, blank=True
    )
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)
    revocation_reason = models.TextField(_("失効の理由"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("交付物")
        verbose_name_plural = _("交付物")
        constraints = [
            models.UniqueConstraint(fields=["reference", "kind"], name="one_document_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.title_ja} {self.reference}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.reference}.pdf"
