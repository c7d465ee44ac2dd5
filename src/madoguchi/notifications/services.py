"""The one way to tell a resident something: ``notify``. Delivery happens after the caller's
transaction commits, and a channel that fails is retried without holding anything up."""

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import templates_text
from .channels import registry
from .models import Delivery, Message

MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS = 30
# How long a worker may take to send before another may try the same delivery.
CLAIM_SECONDS = 120


def notify(
    recipient: Any,
    *,
    event: str,
    context: dict[str, Any],
    link: str = "",
    subject_object: models.Model | None = None,
    channels: Collection[str] | None = None,
) -> Message | None:
    """Write the message to the recipient's inbox and queue its other deliveries: through every
    channel, or only those named in ``channels`` where the recipient chose how to be told."""
    about = f"{subject_object._meta.label_lower}:{subject_object.pk}" if subject_object else ""
    texts = templates_text.render_all(event, context)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                recipient=recipient, event=event, texts=texts, link=link, about=about
            )
    except IntegrityError:  # the same event for the same case: already told
        return None
    for channel in registry.all_channels():
        if channels is not None and channel.key not in channels:
            continue
        if not channel.applies_to(message):
            continue
        if channel.immediate and _delivered_now(channel, message):
            continue
        delivery = Delivery.objects.create(message=message, channel=channel.key)
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return message


def _delivered_now(channel: Any, message: Message) -> bool:
    """A channel that delivers inside the caller's transaction (the inbox) is recorded as sent
    at once; if it fails, the delivery is queued and retried like any other."""
    delivery = Delivery(message=message, channel=channel.key, attempts=1)
    try:
        with transaction.atomic():
            channel.deliver(delivery)
    except Exception:  # retried by the worker; the error's text may quote an address
        return False
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.save()
    return True


def _enqueue(delivery_id: int, delay_seconds: int = 0) -> None:
    from .tasks import deliver_task

    if delay_seconds:
        run_after = timezone.now() + dt.timedelta(seconds=delay_seconds)
        deliver_task.using(run_after=run_after).enqueue(delivery_id)
    else:
        deliver_task.enqueue(delivery_id)


def deliver(delivery_id: int) -> Delivery:
    """Try one delivery. A sent delivery, or one another worker is sending right now, is left
    alone, so a duplicate task sends nothing twice.

    The channel is called outside any transaction: a slow SMTP server must not hold database
    locks that the web pages need.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != Delivery.Status.PENDING or (
            delivery.claimed_until and delivery.claimed_until > now
        ):
            return delivery
        delivery.attempts += 1
        delivery.claimed_until = now + dt.timedelta(seconds=CLAIM_SECONDS)
        delivery.save(update_fields=["attempts", "claimed_until"])
    delivery = Delivery.objects.select_related("message__recipient").get(pk=delivery_id)
    try:
        registry.get(delivery.channel).deliver(delivery)
    except Exception as error:
        # Only the kind of error is kept: its text may quote an address.
        delivery.last_error = type(error).__name__
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            _enqueue(delivery_id, RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1))
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    delivery.claimed_until = None
    delivery.save(update_fields=["status", "last_error", "sent_at", "claimed_until"])
    return delivery


def drop_links(links: list[str]) -> int:
    """Messages that pointed at a page which no longer exists (an application anonymised after
    its retention period) keep their text and lose the link."""
    return Message.objects.filter(link__in=links).update(link="")


def mark_read(message: Message) -> None:
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])


def save_template(*, event: str, language: str, subject: str, body: str, actor: Any) -> None:
    """Staff replace the default text of ``event`` in ``language`` (checked first)."""
    from madoguchi.audit import services as audit

    from .models import MessageTemplate

    templates_text.check_staff_template(subject)
    templates_text.check_staff_template(body)
    template, _created = MessageTemplate.objects.update_or_create(
        event=event,
        language=language,
        defaults={"subject": subject, "body": body, "updated_by": actor},
    )
    audit.record(actor=actor, action="update", target=template, detail={"event": event})


def reset_template(*, event: str, language: str, actor: Any) -> None:
    from .models import MessageTemplate

    MessageTemplate.objects.filter(event=event, language=language).delete()
