import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.forms.models import FormVersion
from madoguchi.organizations.models import Municipality
from madoguchi.procedures.models import Procedure


class Submission(models.Model):
    """What a resident filled in for one procedure: a draft until submitted, then fixed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("申請済み")

    class Channel(models.TextChoices):
        ONLINE = "online", _("オンライン")
        COUNTER = "counter", _("窓口")

    # The public handle of a draft in URLs: not guessable, and no personal data.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    # The applicant's registry record when they started, for prefill and routing.
    person = models.ForeignKey(
        "residents.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("受付経路"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    answers = models.JSONField(_("回答"), default=dict)
    # Once-only: question key -> the value a prefill source gave when the draft started. An
    # answer that differs from it was changed by the resident, and staff see the flag.
    prefilled = models.JSONField(_("市が保有する情報から入力した回答"), default=dict, blank=True)
    # The clerk who filled this in with the resident at the counter (書かない窓口).
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受付補助をした職員"),
    )
    completed_steps = models.JSONField(default=list)
    language = models.CharField(_("言語"), max_length=8, default="ja")
    reference = models.CharField(_("受付番号"), max_length=20, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["applicant", "status"])]

    def __str__(self) -> str:
        return self.reference or str(self.uuid)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class IdempotencyKey(models.Model):
    """A key a client sent with a request that creates something (an ``Idempotency-Key`` header
    or a browser form's token): the same key again returns what the first request made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=40)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "operation", "key"], name="idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
