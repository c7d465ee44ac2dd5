"""Runs of the eligibility engine over the whole registry, what they found, and the notices sent.

Only changes are stored (who newly qualifies, may qualify, no longer qualifies), never a result
for every household: a run of the whole city keeps a few thousand rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.residents.models import Household


class Category(models.TextChoices):
    """What residents may opt out of, one kind of support at a time."""

    CHILD = "child", _("子育て")
    SINGLE_PARENT = "single_parent", _("ひとり親家庭")
    DISABILITY = "disability", _("障害のある方")
    ELDERLY = "elderly", _("高齢の方")
    LIVING = "living", _("生活の支援")


class Change(models.TextChoices):
    NEW = "new", _("新たに対象")
    POSSIBLE = "possible", _("対象の可能性")
    ENDED = "ended", _("対象外になった受給者")


class Run(models.Model):
    class Status(models.TextChoices):
        EVALUATING = "evaluating", _("評価中")
        READY = "ready", _("確認待ち")
        FAILED = "failed", _("失敗")
        APPROVED = "approved", _("送信中")
        SENT = "sent", _("送信済み")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.EVALUATING)
    as_of = models.DateField(_("判定日"))
    snapshot_at = models.DateTimeField(_("住民記録の取得日時"), null=True, blank=True)
    rule_versions = models.JSONField(_("ルールの版"), default=dict)
    # program code → ward id (str) → change → households
    counts = models.JSONField(_("件数"), default=dict)
    households = models.PositiveIntegerField(_("評価した世帯数"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    notices_sent = models.PositiveIntegerField(_("送信した通知"), default=0)
    notices_skipped = models.PositiveIntegerField(_("送らなかった通知"), default=0)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("判定の実行")
        verbose_name_plural = _("判定の実行")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} {self.status}"


class Finding(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="findings")
    program = models.SlugField(max_length=60)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(max_length=10, choices=Change.choices)
    # Monthly yen for cash benefits, persons covered otherwise; low < high for a range.
    low = models.PositiveIntegerField(default=0)
    high = models.PositiveIntegerField(default=0)
    # Why: the facts that decided it (children counted, income unknown, …).
    facts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("判定結果")
        verbose_name_plural = _("判定結果")
        indexes = [models.Index(fields=["run", "program", "ward"])]

    def __str__(self) -> str:
        return f"{self.program} {self.household_id} {self.change}"


class Notice(models.Model):
    """One proactive notice to one household about one program: never sent twice, whatever
    the number of runs that find the same thing in the same fiscal year."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    program = models.SlugField(max_length=60)
    change = models.CharField(max_length=10, choices=Change.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, related_name="+")
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("送信した通知")
        verbose_name_plural = _("送信した通知")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "program", "change", "fiscal_year"], name="notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.household_id} {self.fiscal_year}"


class OptOut(models.Model):
    """A resident who asked not to be told proactively about one category."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eligibility_opt_outs"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("お知らせの停止")
        verbose_name_plural = _("お知らせの停止")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}"


class EmailChoice(models.Model):
    """A resident who asked to receive proactive notices by e-mail too. Without a row they reach
    the portal inbox only: e-mail is opt-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eligibility_email"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("お知らせのメール受信")
        verbose_name_plural = _("お知らせのメール受信")

    def __str__(self) -> str:
        return str(self.user_id)
