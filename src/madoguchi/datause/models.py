"""The data-use log (やりとり履歴): which of a resident's data the city used, from which source,
when and why. Residents read it; only the system writes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality
from madoguchi.procedures.models import Procedure


class DataUse(models.Model):
    class Kind(models.TextChoices):
        PREFILL = "prefill", _("申請への自動入力")
        COUNTER_LOOKUP = "counter_lookup", _("窓口での住民記録の確認")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    # Whose data: the registry person and, when they have one, their account (a resident
    # without a registry record can still have earlier submissions read).
    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_uses",
    )
    kind = models.CharField(_("利用の種類"), max_length=20, choices=Kind.choices)
    # The prefill attribute read ("registry.full_name"); empty for a whole-record lookup.
    attribute = models.CharField(_("項目"), max_length=80, blank=True)
    source = models.CharField(_("情報源"), max_length=40)
    # Why: the procedure the data was used for (empty for a counter lookup before one started).
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The clerk who read it; empty when the system read it for the resident's own application.
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(_("利用日時"), default=timezone.now)

    class Meta:
        verbose_name = _("情報の利用記録")
        verbose_name_plural = _("情報の利用記録")
        ordering = ["-used_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-used_at"]),
            models.Index(fields=["account", "-used_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.attribute or self.source}"
