import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality
from madoguchi.submissions.models import Submission


class Payment(models.Model):
    """One attempt to pay an application's fee through a provider. A failed attempt is kept
    and a new one started; the application itself is never touched by a failure."""

    class Status(models.TextChoices):
        CREATED = "created", _("未払い")
        PENDING = "pending", _("確認中")
        PAID = "paid", _("支払済み")
        FAILED = "failed", _("支払失敗")
        CANCELLED = "cancelled", _("取消")
        REFUNDED = "refunded", _("返金済み")

    # The public handle in URLs and the merchant reference the provider sees: no personal data.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField(_("金額（円）"))
    provider = models.SlugField(_("決済事業者"), max_length=30)
    # The provider's own id for this payment, set when it was started there.
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.CREATED
    )
    failure_code = models.CharField(max_length=40, blank=True)
    refund_reference = models.CharField(max_length=100, blank=True)
    refund_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    # When the reconciliation last asked the provider (a webhook may never come).
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("支払")
        verbose_name_plural = _("支払")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.uuid} {self.status}"

    @property
    def is_settled(self) -> bool:
        return self.status not in {self.Status.CREATED, self.Status.PENDING}


class WebhookEvent(models.Model):
    """Every provider event accepted once: a second delivery of the same event id changes
    nothing (providers retry, and replays are refused by their id)."""

    provider = models.SlugField(max_length=30)
    event_id = models.CharField(max_length=100)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="webhooks"
    )
    status = models.CharField(max_length=10, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="one_webhook_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
