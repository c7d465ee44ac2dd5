import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.i18n import localized
from madoguchi.forms.models import FormVersion
from madoguchi.organizations.models import Municipality
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission


class Bundle(models.Model):
    """A life event (転入, 出生 …) that several procedures of the city answer together."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    slug = models.SlugField(_("識別子"), max_length=60)
    name_ja = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("名称（英語）"), max_length=200, blank=True)
    description_ja = models.TextField(_("説明"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    active = models.BooleanField(_("公開中"), default=True)
    procedures = models.ManyToManyField(
        Procedure, through="BundleComponent", related_name="+", verbose_name=_("手続")
    )

    class Meta:
        verbose_name = _("ワンストップ手続")
        verbose_name_plural = _("ワンストップ手続")
        ordering = ["municipality", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="bundle_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name_ja

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class BundleComponent(models.Model):
    """One procedure of a bundle, in the order its questions are asked."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="components")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("順番"), default=0)

    class Meta:
        verbose_name = _("構成する手続")
        verbose_name_plural = _("構成する手続")
        ordering = ["bundle", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "procedure"], name="bundle_component_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bundle.slug}: {self.procedure.code}"


class BundleApplication(models.Model):
    """A resident's answers to a bundle's shared questions: a draft until submitted once, when
    it fans out into one ``Submission`` per procedure."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("申請済み")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bundle_applications"
    )
    person = models.ForeignKey(
        "residents.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The clerk who fills it in with the resident at the counter (書かない窓口); its applications
    # are then counter applications.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受付補助をした職員"),
    )
    answers = models.JSONField(_("回答"), default=dict)
    # Once-only: question key -> the value a prefill source gave when the bundle started.
    prefilled = models.JSONField(_("市が保有する情報から入力した回答"), default=dict, blank=True)
    completed_steps = models.JSONField(default=list)
    language = models.CharField(_("言語"), max_length=8, default="ja")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("ワンストップ申請")
        verbose_name_plural = _("ワンストップ申請")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["applicant", "status"])]

    def __str__(self) -> str:
        return str(self.uuid)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def municipality(self) -> Municipality:
        return self.bundle.municipality


class BundleItem(models.Model):
    """One procedure of a bundle application, with the form version its answers are checked
    against (fixed when the resident starts) and, once submitted, its own application."""

    application = models.ForeignKey(
        BundleApplication, on_delete=models.CASCADE, related_name="items"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="bundle_item"
    )

    class Meta:
        ordering = ["application", "position"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.procedure.code}"
