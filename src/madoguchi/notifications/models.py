from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.i18n import current_language


class Message(models.Model):
    """One notice to one person, shown in their portal inbox and sent through other channels."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    event = models.SlugField(_("種類"), max_length=60)
    # The subject and body in every language the site offers, written when the message is
    # created: the inbox shows the reader's language, e-mail the recipient's chosen one.
    texts = models.JSONField(_("本文"), default=dict)
    link = models.CharField(_("リンク"), max_length=200, blank=True)
    # What the message is about, so that one event never produces two messages.
    about = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event", "about"],
                condition=~models.Q(about=""),
                name="one_message_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def _text(self, part: str) -> str:
        language = current_language()
        chosen = self.texts.get(language) or self.texts.get("ja") or {}
        return chosen.get(part, "")

    @property
    def subject(self) -> str:
        return self._text("subject")

    @property
    def body(self) -> str:
        return self._text("body")


class Delivery(models.Model):
    """The sending of a message through one channel, retried with backoff until it succeeds or
    gives up. A failed delivery never blocks the case that caused it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.SlugField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("配信記録")
        verbose_name_plural = _("配信記録")
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="one_delivery_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.channel} {self.status}"


class MessageTemplate(models.Model):
    """A staff-edited subject and body for one event in one language. Without one, the
    default file template and gettext subject are used."""

    event = models.SlugField(_("種類"), max_length=60)
    language = models.CharField(_("言語"), max_length=8)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("通知の文面")
        verbose_name_plural = _("通知の文面")
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="one_template_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"
