"""The interface every payment provider implements. A real Japanese provider (a card or PayPay
gateway with a hosted payment page) is added as another implementation and registered by key.

The flow: ``start`` creates the payment at the provider and returns the URL of its hosted page;
the payer pays there and comes back to ``return_url``; the provider sends a signed webhook that
``parse_webhook`` verifies; ``query`` asks for the status when a webhook never came
(reconciliation); ``refund`` gives the money back.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class InvalidWebhook(Exception):
    """The signature, its timestamp or the payload is not acceptable: answer 400."""


@dataclass(frozen=True)
class Checkout:
    redirect_url: str
    reference: str  # the provider's id of the payment


@dataclass(frozen=True)
class ProviderStatus:
    reference: str
    # One of Payment.Status: pending, paid, failed, cancelled, refunded.
    status: str
    amount: int
    failure_code: str = ""


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    status: ProviderStatus


class PaymentProvider:
    key: str
    # Shown to residents ("お支払いは○○のページで行います").
    name_ja: str
    name_en: str
    # Demo providers are refused in production.
    demo: bool = False

    def start(
        self, payment: Any, *, description: str, return_url: str, webhook_url: str
    ) -> Checkout:
        raise NotImplementedError

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Verify the signature (and its freshness) and read the event; raise InvalidWebhook."""
        raise NotImplementedError

    def query(self, payment: Any) -> ProviderStatus:
        raise NotImplementedError

    def refund(self, payment: Any, amount: int) -> str:
        """Refund ``amount`` yen of a paid payment; return the provider's refund id."""
        raise NotImplementedError
