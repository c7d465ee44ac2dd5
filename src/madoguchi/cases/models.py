from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission


class Status(models.TextChoices):
    RECEIVED = "received", _("受付")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("却下")
    ISSUED = "issued", _("交付済")


class Case(models.Model):
    """The back office's handling of one submitted application."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="case")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("担当課")
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    received_at = models.DateTimeField(_("受付日時"))
    due_date = models.DateField(_("処理期限"), null=True, blank=True)
    decision_reason = models.TextField(_("理由"), blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The issued document (a key into the issuance app), once there is one.
    document = models.ForeignKey(
        "issuance.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["received_at"]
        indexes = [models.Index(fields=["section", "status"])]

    def __str__(self) -> str:
        return self.submission.reference or str(self.pk)

    @property
    def reference(self) -> str:
        return self.submission.reference or ""


class CaseEvent(models.Model):
    """Every change to a case: who, when, from which state to which, and why. The raw material
    for process analysis (lead time per step), so it is never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(blank=True)
    # Shown to the resident in their application's history (internal notes are not).
    visible_to_resident = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"
