"""The provider's server side: what its HTTPS API and payment page do. The adapter in
``provider.py`` calls these functions where a real provider would be called over HTTPS; the
webhooks go over real HTTP to the merchant's URL."""

import datetime as dt
import json
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Charge, Webhook

# Test cards, as real providers document them.
CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_WEBHOOK_LOST = "4000000000000341"
# An open charge nobody paid expires, as a hosted page session does.
EXPIRES_AFTER = dt.timedelta(minutes=30)


def create_charge(
    *, merchant_reference: str, amount: int, description: str, return_url: str, webhook_url: str
) -> Charge:
    return Charge.objects.create(
        merchant_reference=merchant_reference,
        amount=amount,
        description=description[:200],
        return_url=return_url,
        webhook_url=webhook_url,
    )


def get_charge(charge_id: str) -> Charge:
    charge = Charge.objects.get(charge_id=charge_id)
    if charge.status == Charge.Status.OPEN and timezone.now() - charge.created_at > EXPIRES_AFTER:
        charge.status = Charge.Status.CANCELLED
        charge.decline_code = "expired"
        charge.save(update_fields=["status", "decline_code", "updated_at"])
    return charge


def pay(charge: Charge, card_number: str) -> Charge:
    """The payer submitted the card form."""
    digits = "".join(ch for ch in card_number if ch.isdigit())
    with transaction.atomic():
        charge = Charge.objects.select_for_update().get(pk=charge.pk)
        if charge.status != Charge.Status.OPEN:
            return charge
        if digits in {CARD_OK, CARD_WEBHOOK_LOST}:
            charge.status = Charge.Status.SUCCEEDED
            charge.drop_webhooks = digits == CARD_WEBHOOK_LOST
        else:
            charge.status = Charge.Status.DECLINED
            charge.decline_code = "card_declined"
        charge.save()
        _send(charge, "charge.succeeded" if charge.status == "succeeded" else "charge.failed")
    return charge


def cancel(charge: Charge) -> Charge:
    with transaction.atomic():
        charge = Charge.objects.select_for_update().get(pk=charge.pk)
        if charge.status == Charge.Status.OPEN:
            charge.status = Charge.Status.CANCELLED
            charge.decline_code = "cancelled_by_payer"
            charge.save()
            _send(charge, "charge.cancelled")
    return charge


def refund(charge_id: str, amount: int) -> Charge:
    with transaction.atomic():
        charge = Charge.objects.select_for_update().get(charge_id=charge_id)
        if charge.status == Charge.Status.SUCCEEDED and amount == charge.amount:
            charge.status = Charge.Status.REFUNDED
            charge.refund_id = f"re_{secrets.token_urlsafe(12)}"
            charge.save()
            _send(charge, "charge.refunded")
        elif charge.status != Charge.Status.REFUNDED:
            raise ValueError("Only a succeeded charge is refunded, in full.")
    return charge


def event_payload(charge: Charge, event_type: str) -> dict:
    return {
        "id": f"evt_{secrets.token_urlsafe(16)}",
        "type": event_type,
        "created": int(timezone.now().timestamp()),
        "data": {
            "charge": charge.charge_id,
            "merchant_reference": charge.merchant_reference,
            "amount": charge.amount,
            "status": charge.status,
            "decline_code": charge.decline_code,
        },
    }


def _send(charge: Charge, event_type: str) -> None:
    if charge.drop_webhooks:
        return
    payload = event_payload(charge, event_type)
    webhook = Webhook.objects.create(event_id=payload["id"], charge=charge, payload=payload)
    delay = settings.MADOGUCHI_SANDBOX_WEBHOOK_DELAY_SECONDS

    def enqueue() -> None:
        from .tasks import deliver_webhook

        if delay:
            run_after = timezone.now() + dt.timedelta(seconds=delay)
            deliver_webhook.using(run_after=run_after).enqueue(webhook.pk)
        else:
            deliver_webhook.enqueue(webhook.pk)

    transaction.on_commit(enqueue)


def body_of(webhook: Webhook) -> bytes:
    return json.dumps(webhook.payload, separators=(",", ":")).encode()
