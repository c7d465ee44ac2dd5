import json
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse

from madoguchi.payments.providers.base import (
    Checkout,
    InvalidWebhook,
    PaymentProvider,
    ProviderEvent,
    ProviderStatus,
)
from madoguchi.payments.providers.registry import register

from . import server, signing
from .models import Charge

# The provider's words for a charge, in the merchant's terms (Payment.Status).
STATUSES = {
    Charge.Status.OPEN: "pending",
    Charge.Status.SUCCEEDED: "paid",
    Charge.Status.DECLINED: "failed",
    Charge.Status.CANCELLED: "cancelled",
    Charge.Status.REFUNDED: "refunded",
}


@register
class SandboxProvider(PaymentProvider):
    key = "sandbox"
    name_ja = "Sandbox Pay（デモ用の決済サービス）"
    name_en = "Sandbox Pay (a demo payment service)"
    demo = True

    def start(
        self, payment: Any, *, description: str, return_url: str, webhook_url: str
    ) -> Checkout:
        charge = server.create_charge(
            merchant_reference=str(payment.uuid),
            amount=payment.amount,
            description=description,
            return_url=return_url,
            webhook_url=webhook_url,
        )
        url = reverse("payments_sandbox:checkout", kwargs={"charge_id": charge.charge_id})
        return Checkout(redirect_url=url, reference=charge.charge_id)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        header = headers.get(signing.HEADER, "")
        if not signing.verify(
            settings.MADOGUCHI_SANDBOX_WEBHOOK_SECRET,
            body,
            header,
            tolerance=settings.MADOGUCHI_PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
            now=time.time(),
        ):
            raise InvalidWebhook("Bad or stale signature.")
        try:
            payload = json.loads(body)
            data = payload["data"]
            return ProviderEvent(
                event_id=str(payload["id"]),
                status=ProviderStatus(
                    reference=str(data["charge"]),
                    status=STATUSES[data["status"]],
                    amount=int(data["amount"]),
                    failure_code=str(data.get("decline_code", "")),
                ),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidWebhook("Malformed event.") from error

    def query(self, payment: Any) -> ProviderStatus:
        charge = server.get_charge(payment.provider_reference)
        return ProviderStatus(
            reference=charge.charge_id,
            status=STATUSES[charge.status],
            amount=charge.amount,
            failure_code=charge.decline_code,
        )

    def refund(self, payment: Any, amount: int) -> str:
        return server.refund(payment.provider_reference, amount).refund_id
