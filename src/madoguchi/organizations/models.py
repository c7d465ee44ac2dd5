from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.i18n import localized

from . import codes


def validate_local_government_code(value: str) -> None:
    if not codes.is_valid(value):
        raise ValidationError(_("全国地方公共団体コードは検査数字を含む6桁で入力してください。"))


class Municipality(models.Model):
    """A local government (市区町村). Every domain record belongs to exactly one."""

    code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
    )
    name_ja = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("名称（英語）"), max_length=100, blank=True)
    prefecture_ja = models.CharField(_("都道府県"), max_length=10)

    class Meta:
        verbose_name = _("自治体")
        verbose_name_plural = _("自治体")

    def __str__(self) -> str:
        return self.name_ja

    @property
    def name(self) -> str:
        return localized(self, "name")


class OrgUnit(models.Model):
    """A bureau (局), a ward office (区役所) or a section (課) inside either."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("局・部")
        WARD = "ward", _("区役所")
        SECTION = "section", _("課・担当")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices)
    code = models.SlugField(_("コード"), max_length=60)
    # Wards of a designated city have their own 全国地方公共団体コード (北区 261017 …).
    local_government_code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        blank=True,
        validators=[validate_local_government_code],
    )
    # What a section does, so that a ward-handled procedure finds the right section in any
    # ward: e.g. every ward's 市民窓口課 has function "citizen_services".
    function = models.SlugField(_("所掌"), max_length=60, blank=True)
    name_ja = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("名称（英語）"), max_length=100, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address_ja = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["municipality", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="orgunit_code_unique")
        ]

    def __str__(self) -> str:
        if self.parent_id and self.kind == self.Kind.SECTION:
            return f"{self.parent.name_ja} {self.name_ja}"
        return self.name_ja

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def full_name(self) -> str:
        """区役所 and section together, as a resident would write it: 北区役所 市民窓口課."""
        if self.parent_id and self.kind == self.Kind.SECTION:
            return f"{self.parent.name} {self.name}"
        return self.name

    @property
    def ward(self) -> "OrgUnit | None":
        unit: OrgUnit | None = self
        while unit is not None and unit.kind != self.Kind.WARD:
            unit = unit.parent
        return unit
