"""The write path for payments: start one at the provider, apply what the provider says (by
webhook, on return or by reconciliation), refund. Every state change is idempotent: the same
news from two sources changes the payment once."""

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.notifications import services as notifications
from madoguchi.submissions.models import Submission

from .models import Payment, WebhookEvent
from .providers import registry
from .providers.base import InvalidWebhook, ProviderStatus
from .selectors import paid_total
from .signals import payment_paid

logger = logging.getLogger(__name__)
S = Payment.Status
# Which news may change which state; a paid payment only becomes refunded.
_MOVES = {
    S.CREATED: {S.PENDING, S.PAID, S.FAILED, S.CANCELLED},
    S.PENDING: {S.PAID, S.FAILED, S.CANCELLED},
    S.PAID: {S.REFUNDED},
}


def start(
    submission: Submission, *, payer: Any, amount: int, return_url: Callable[[Payment], str]
) -> tuple[Payment, str]:
    """Create the payment at the active provider; returns (payment, URL of its page).
    ``return_url`` gives the page the payer comes back to, which names the payment."""
    provider = registry.active()
    payment = Payment.objects.create(
        municipality=submission.municipality,
        submission=submission,
        payer=payer,
        amount=amount,
        provider=provider.key,
    )
    webhook_path = reverse("payments:webhook", kwargs={"provider": provider.key})
    checkout = provider.start(
        payment,
        description=f"{submission.procedure.name_ja}",
        return_url=return_url(payment),
        webhook_url=f"{settings.MADOGUCHI_BASE_URL.rstrip('/')}{webhook_path}",
    )
    payment.provider_reference = checkout.reference
    payment.status = S.PENDING
    payment.save(update_fields=["provider_reference", "status", "updated_at"])
    audit.record(actor=payer, action="create", target=payment, detail={"amount": amount})
    _schedule_check(payment.pk)
    return payment, checkout.redirect_url


def apply_status(payment: Payment, news: ProviderStatus, *, source: str) -> Payment:
    """Apply the provider's status if it moves the payment forward; anything else (old news,
    a duplicate) is ignored."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if news.status not in _MOVES.get(locked.status, set()):
            return locked
        if news.status == S.PAID and news.amount != locked.amount:
            logger.warning("Payment %s: provider amount differs; not marked paid.", locked.pk)
            return locked
        locked.status = news.status
        locked.failure_code = news.failure_code
        now = timezone.now()
        if news.status == S.PAID:
            locked.paid_at = now
        if news.status == S.REFUNDED:
            locked.refunded_at = locked.refunded_at or now
        locked.save()
        audit.record(
            actor=None,
            action="transition",
            target=locked,
            detail={"to": news.status, "source": source},
        )
        if news.status == S.PAID:
            payment_id = locked.pk
            transaction.on_commit(lambda: _after_paid(payment_id))
    return locked


def _after_paid(payment_id: int) -> None:
    payment = Payment.objects.select_related("submission__procedure").get(pk=payment_id)
    # Paid twice (two tabs, a retried page): the later payment goes back at once.
    if paid_total(payment.submission) - payment.amount >= payment.amount:
        refund(payment, reason="duplicate")
        return
    payment_paid.send(sender=Payment, payment=payment)


def handle_webhook(provider_key: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Verify and apply one webhook. Returns "applied", "duplicate" or "unknown"; raises
    InvalidWebhook for a forged, stale or malformed one."""
    try:
        provider = registry.get(provider_key)
    except KeyError as missing:
        raise InvalidWebhook("Unknown provider.") from missing
    event = provider.parse_webhook(body, headers)
    payment = Payment.objects.filter(
        provider=provider_key, provider_reference=event.status.reference
    ).first()
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                provider=provider_key,
                event_id=event.event_id,
                payment=payment,
                status=event.status.status,
            )
    except IntegrityError:
        return "duplicate"
    if payment is None:
        return "unknown"
    apply_status(payment, event.status, source="webhook")
    return "applied"


def refresh(payment: Payment) -> Payment:
    """Ask the provider now (the payer's return, or reconciliation)."""
    provider = registry.get(payment.provider)
    news = provider.query(payment)
    Payment.objects.filter(pk=payment.pk).update(checked_at=timezone.now())
    return apply_status(payment, news, source="query")


def reconcile(older_than: dt.timedelta | None = None) -> int:
    """Ask the provider about every payment still open after ``older_than`` (its webhook may
    have been lost). Returns how many changed state."""
    if older_than is None:
        older_than = dt.timedelta(seconds=settings.MADOGUCHI_PAYMENT_RECONCILE_SECONDS)
    cutoff = timezone.now() - older_than
    changed = 0
    open_payments = Payment.objects.filter(status=S.PENDING, created_at__lte=cutoff)
    for payment in open_payments:
        try:
            if refresh(payment).status != S.PENDING:
                changed += 1
        except Exception:  # one provider error must not stop the others
            logger.exception("Reconciliation of payment %s failed.", payment.pk)
    return changed


def _schedule_check(payment_id: int) -> None:
    def enqueue() -> None:
        from .tasks import check_payment

        run_after = timezone.now() + dt.timedelta(
            seconds=settings.MADOGUCHI_PAYMENT_RECONCILE_SECONDS
        )
        check_payment.using(run_after=run_after).enqueue(payment_id)

    transaction.on_commit(enqueue)


def refund(payment: Payment, *, reason: str) -> Payment:
    """Refund a paid payment in full (rejection, withdrawal, a duplicate). Safe to repeat."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != S.PAID:
            return locked
        reference = registry.get(locked.provider).refund(locked, locked.amount)
        locked.status = S.REFUNDED
        locked.refund_reference = reference
        locked.refund_reason = reason
        locked.refunded_at = timezone.now()
        locked.save()
        audit.record(actor=None, action="transition", target=locked, detail={"to": "refunded"})
        submission = locked.submission
        if submission.reference:
            notifications.notify(
                locked.payer,
                event="payment_refunded",
                context={
                    "reference": submission.reference,
                    "procedure": submission.procedure,
                    "amount": locked.amount,
                },
                link=reverse("portal:application", kwargs={"reference": submission.reference}),
                subject_object=locked,
            )
    return locked


def refund_all(submission_id: int, *, reason: str) -> list[Payment]:
    paid = Payment.objects.filter(submission_id=submission_id, status=S.PAID)
    return [refund(payment, reason=reason) for payment in paid]


def detach_payer(submission_ids: Iterable[int], *, owner: Any) -> int:
    """Retention: the payments of anonymised applications stay (amounts, dates, the provider's
    reference, for the accounts) but no longer name the payer."""
    return Payment.objects.filter(submission_id__in=list(submission_ids)).update(payer=owner)
