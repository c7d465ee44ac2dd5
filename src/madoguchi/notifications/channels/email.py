from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from ..models import Delivery, Message
from .base import Channel
from .registry import register


@register
class EmailChannel(Channel):
    """E-mail through the configured SMTP server. The text says what happened and links to the
    portal; it carries no personal data beyond the procedure and the reference number."""

    key = "email"

    def applies_to(self, message: Message) -> bool:
        return bool(message.recipient.email)

    def deliver(self, delivery: Delivery) -> None:
        message = delivery.message
        with translation.override(message.recipient.preferred_language or "ja"):
            subject, body = message.subject, message.body
        if message.link:
            body = f"{body}\n\n{settings.MADOGUCHI_BASE_URL.rstrip('/')}{message.link}\n"
        EmailMessage(
            subject=subject,
            body=body,
            to=[message.recipient.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send(fail_silently=False)
