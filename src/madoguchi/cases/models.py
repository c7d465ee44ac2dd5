from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.i18n import localized
from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission


class Status(models.TextChoices):
    RECEIVED = "received", _("受付")
    IN_REVIEW = "in_review", _("審査中")
    CORRECTION_REQUESTED = "correction_requested", _("補正依頼")
    AWAITING_APPROVAL = "awaiting_approval", _("決裁待ち")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("却下")
    AWAITING_PAYMENT = "awaiting_payment", _("支払待ち")
    ISSUED = "issued", _("交付済")
    WITHDRAWN = "withdrawn", _("取下げ")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("承認")
    REJECT = "reject", _("却下")


class Workflow(models.Model):
    """The states a procedure's cases pass through, as a table of allowed transitions that a
    procedure points at by ``code``. Editing one changes what open cases may do next."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name_ja = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("名称（英語）"), max_length=100, blank=True)
    # {"received": ["in_review", "withdrawn"], …}; a state missing here ends the case.
    transitions = models.JSONField(_("遷移"))

    class Meta:
        verbose_name = _("ワークフロー")
        verbose_name_plural = _("ワークフロー")

    def __str__(self) -> str:
        return self.name_ja

    @property
    def name(self) -> str:
        return localized(self, "name")


class Case(models.Model):
    """The back office's handling of one submitted application."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="case")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("担当課")
    )
    # The workflow in force when the case opened; the case keeps it.
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField(
        _("状態"), max_length=30, choices=Status.choices, default=Status.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    received_at = models.DateTimeField(_("受付日時"))
    due_date = models.DateField(_("処理期限"), null=True, blank=True)
    # The fee the resident pays (yen): from the procedure, or set by the clerk during review.
    fee_yen = models.PositiveIntegerField(_("手数料（円）"), null=True, blank=True)
    # 起案: the decision a clerk drafts for a 決裁者 to approve.
    draft_outcome = models.CharField(
        _("起案した決定"), max_length=10, choices=Outcome.choices, blank=True
    )
    draft_reason = models.TextField(_("起案の理由"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(_("起案日時"), null=True, blank=True)
    decision_reason = models.TextField(_("理由"), blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The issued document (a key into the issuance app), once there is one.
    document = models.ForeignKey(
        "issuance.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["section", "status"]),
            models.Index(fields=["section", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.submission.reference or str(self.pk)

    @property
    def reference(self) -> str:
        return self.submission.reference or ""


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("状態の変更")
    ASSIGNMENT = "assignment", _("担当者の変更")
    FEE = "fee", _("手数料の決定")


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise ValueError("Case events are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("Case events are never deleted.")


class CaseEvent(models.Model):
    """Every change to a case: who, when, from which state to which, and why. The raw material
    for process analysis (lead time per step), so it is written once and never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.TRANSITION)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=30, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    reason = models.TextField(blank=True)
    # Identifiers only (the new assignee's id, the drafted outcome), never personal data.
    detail = models.JSONField(default=dict, blank=True)
    # Shown to the resident in their application's history (internal steps are not).
    visible_to_resident = models.BooleanField(default=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_status", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Case events are never edited.")
        super().save(*args, **kwargs)


class CaseNote(models.Model):
    """An internal note between staff. Never shown to the resident."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("メモ"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("内部メモ")
        verbose_name_plural = _("内部メモ")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"


class Correction(models.Model):
    """A correction request (補正依頼): what the resident must fix, which answers they may
    change, and the answers before and after, so that the history keeps both versions."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(_("補正の内容"))
    question_keys = models.JSONField(_("修正できる項目"), default=list)
    answers_before = models.JSONField(default=dict)
    answers_after = models.JSONField(null=True, blank=True)
    resubmitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("補正依頼")
        verbose_name_plural = _("補正依頼")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.resubmitted_at is None
