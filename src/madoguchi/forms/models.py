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

    class Meta:
        verbose_name = _("フォームの版")
        verbose_name_plural = _("フォームの版")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def parsed(self) -> FormSchema:
        return FormSchema.parse(self.schema)
