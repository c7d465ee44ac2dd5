import secrets

from django.db import models


def _charge_id() -> str:
    return f"ch_{secrets.token_urlsafe(18)}"


class Charge(models.Model):
    """The provider's side of a payment: what its own database would hold."""

    class Status(models.TextChoices):
        OPEN = "open"
        SUCCEEDED = "succeeded"
        DECLINED = "declined"
        CANCELLED = "cancelled"
        REFUNDED = "refunded"

    charge_id = models.CharField(max_length=40, unique=True, default=_charge_id)
    merchant_reference = models.CharField(max_length=64)
    amount = models.PositiveIntegerField()
    description = models.CharField(max_length=200)
    return_url = models.CharField(max_length=500)
    webhook_url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decline_code = models.CharField(max_length=40, blank=True)
    # A test card that pays but whose webhook is never sent (for reconciliation).
    drop_webhooks = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    refund_id = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.charge_id


class Webhook(models.Model):
    """An event the provider sends to the merchant, retried until it is accepted."""

    event_id = models.CharField(max_length=40, unique=True)
    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="webhooks")
    payload = models.JSONField()
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id
