from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.procedures.models import Procedure

from .schema import FormSchema


class FormVersion(models.Model):
    """One published version of a procedure's form. Never edited once published: a change
    publishes a new version, and every submission keeps the version it was filled with."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="form_versions")
    number = models.PositiveIntegerField(_("版"))
    schema = models.JSONField(_("定義"))
    published_at = models.DateTimeField(_("公開日時"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("フォームの版")
        verbose_name_plural = _("フォームの版")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @cached_property
    def parsed(self) -> FormSchema:
        # Once per loaded version: a published version never changes, and a request reads its
        # definition many times (each step, choices, validation).
        return FormSchema.parse(self.schema)


class FormDraft(models.Model):
    """The definition staff are editing in the builder, one per procedure. Residents never see
    it: only publishing turns it into a ``FormVersion``."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="form_draft")
    schema = models.JSONField(_("定義"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("フォームの下書き")
        verbose_name_plural = _("フォームの下書き")

    def __str__(self) -> str:
        return f"{self.procedure.code} draft"
