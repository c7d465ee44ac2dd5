import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what to which record, and why. Entries are written once and never changed.

    ``detail`` holds identifiers and states only, never personal data itself: the log must be
    safe to show to an auditor.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("ログイン")
        VIEW_PERSONAL_DATA = "view_personal_data", _("個人情報の閲覧")
        CREATE = "create", _("作成")
        UPDATE = "update", _("更新")
        SUBMIT = "submit", _("申請")
        TRANSITION = "transition", _("状態の変更")
        ISSUE = "issue", _("交付物の発行")
        DOWNLOAD = "download", _("ダウンロード")
        REVEAL_MY_NUMBER = "reveal_my_number", _("個人番号の表示")
        PURGE = "purge", _("保存期間経過による削除・匿名化")

    # Set by audit.services.record before hashing (see audit.chain).
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    # The hash chain (audit.chain): position, the previous entry's hash, this entry's hash.
    sequence = models.PositiveBigIntegerField(_("通し番号"), unique=True, null=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)
    municipality_code = models.CharField(_("自治体コード"), max_length=6, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_kind = models.CharField(_("操作者の種別"), max_length=10, blank=True)
    action = models.CharField(_("操作"), max_length=30, choices=Action.choices)
    target_type = models.CharField(_("対象の種類"), max_length=60)
    target_id = models.CharField(_("対象ID"), max_length=64)
    purpose = models.CharField(_("目的"), max_length=200, blank=True)
    detail = models.JSONField(_("詳細"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")


class AuditAnchorQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit anchors are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit anchors are append-only.")


class AuditAnchor(models.Model):
    """The chain's head hash at one moment (``audit_anchor``), also published outside the
    database. A chain whose tail was cut is still a valid chain; only a kept head shows that
    entries after it existed."""

    created_at = models.DateTimeField(_("日時"), default=timezone.now)
    # The head entry's sequence (0 for an empty log) and its hash.
    sequence = models.PositiveBigIntegerField(_("通し番号"))
    head_hash = models.CharField(max_length=64)

    objects = AuditAnchorQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログのアンカー")
        verbose_name_plural = _("監査ログのアンカー")
        ordering = ["sequence", "id"]

    def __str__(self) -> str:
        return self.line

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit anchors are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit anchors are append-only.")

    @property
    def line(self) -> str:
        """What staff publish (e.g. on the city's website): enough to check the log later."""
        stamp = self.created_at.astimezone(dt.UTC).isoformat(timespec="seconds")
        return f"madoguchi-audit-anchor {stamp} seq={self.sequence} sha256={self.head_hash}"
