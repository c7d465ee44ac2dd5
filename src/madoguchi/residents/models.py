"""住民基本台帳: the resident records the city already holds, as its standard systems keep them.

Madoguchi reads these to prefill (once-only) and to issue certificates; it never asks a resident
for what is here.
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core import crypto
from madoguchi.core.fields import EncryptedTextField
from madoguchi.organizations.models import Municipality, OrgUnit


class Household(models.Model):
    """世帯: the people living together at one address, with one 世帯主."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    ward = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.WARD},
        related_name="households",
    )
    number = models.CharField(_("世帯番号"), max_length=20)
    postal_code = models.CharField(_("郵便番号"), max_length=8)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    city = models.CharField(_("市区町村"), max_length=40)
    town = models.CharField(_("町字"), max_length=100)
    block = models.CharField(_("番地"), max_length=40)
    building = models.CharField(_("方書"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="household_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def address(self) -> str:
        """The address as written on a 住民票: 京都府京都市北区紫野東御所田町12番地."""
        parts = [self.prefecture, self.city, self.town, self.block]
        text = "".join(parts)
        return f"{text} {self.building}" if self.building else text

    @property
    def head(self) -> "Person | None":
        return self.members.filter(relationship=Person.Relationship.HEAD).first()


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Relationship(models.TextChoices):
        """続柄 as the 住民票 writes it."""

        HEAD = "head", _("世帯主")
        SPOUSE_WIFE = "wife", _("妻")
        SPOUSE_HUSBAND = "husband", _("夫")
        CHILD = "child", _("子")
        FATHER = "father", _("父")
        MOTHER = "mother", _("母")
        GRANDCHILD = "grandchild", _("孫")
        SIBLING = "sibling", _("兄弟姉妹")
        OTHER = "other", _("縁故者")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    resident_code = models.CharField(_("住民票コード"), max_length=11)
    family_name = models.CharField(_("氏"), max_length=40)
    given_name = models.CharField(_("名"), max_length=40)
    family_name_kana = models.CharField(_("氏（カナ）"), max_length=80)
    given_name_kana = models.CharField(_("名（カナ）"), max_length=80)
    birth_date = models.DateField(_("生年月日"))
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices)
    relationship = models.CharField(_("続柄"), max_length=20, choices=Relationship.choices)
    honseki = models.CharField(_("本籍"), max_length=200, blank=True)
    hittousha = models.CharField(_("筆頭者"), max_length=80, blank=True)
    # 個人番号 (特定個人情報): encrypted at rest; found by its keyed digest; never logged,
    # never in a URL, and every staff read of it is audited (residents.selectors).
    my_number = EncryptedTextField(_("個人番号"), blank=True, editable=False)
    my_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    became_resident_on = models.DateField(_("住民となった年月日"))
    address_since = models.DateField(_("住所を定めた年月日"))

    class Meta:
        verbose_name = _("住民")
        verbose_name_plural = _("住民")
        ordering = ["household", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "resident_code"], name="person_resident_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.my_number_digest = my_number_digest(self.my_number) if self.my_number else ""
        if kwargs.get("update_fields") and "my_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "my_number_digest"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}"

    @property
    def ward(self) -> OrgUnit:
        return self.household.ward

    def age_on(self, day: dt.date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


def my_number_digest(number: str) -> str:
    return crypto.lookup_digest(number, context="residents.person.my_number")


def my_number_check_digit(first_eleven: str) -> int:
    """The check digit of 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
    第8条 over the first 11 digits."""
    digits = [int(d) for d in first_eleven][::-1]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(digits, start=1))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(number: str) -> bool:
    """12 digits whose last is the check digit."""
    if len(number) != 12 or not number.isdigit():
        return False
    return int(number[11]) == my_number_check_digit(number[:11])


def masked_my_number(number: str) -> str:
    """How staff see a 個人番号 until they reveal it: only the last four digits."""
    return f"****-****-{number[-4:]}" if number else ""


def formatted_my_number(number: str) -> str:
    """A revealed 個人番号 in groups of four, as the card prints it."""
    return f"{number[:4]} {number[4:8]} {number[8:]}"


class TaxLedgerEntry(models.Model):
    """個人住民税の課税台帳: one person's income for one fiscal year, as the tax system holds it.

    No row, or an empty figure, means the city does not know the income (moved in after
    1 January, not declared): rules treat it as unknown, never as zero.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tax_entries")
    fiscal_year = models.PositiveSmallIntegerField(_("課税年度"))
    income = models.BigIntegerField(_("総収入金額"), null=True, blank=True)
    shotoku = models.BigIntegerField(_("合計所得金額"), null=True, blank=True)
    social_insurance_deduction = models.BigIntegerField(_("社会保険料控除"), default=0)
    single_parent = models.BooleanField(_("ひとり親控除"), default=False)
    widow = models.BooleanField(_("寡婦控除"), default=False)

    class Meta:
        verbose_name = _("課税台帳")
        verbose_name_plural = _("課税台帳")
        constraints = [
            models.UniqueConstraint(fields=["person", "fiscal_year"], name="one_ledger_entry")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.fiscal_year}"


class DisabilityCertificate(models.Model):
    """障害者手帳: 身体障害者手帳 (1-7級), 療育手帳 (A / B), 精神障害者保健福祉手帳 (1-3級)."""

    class Kind(models.TextChoices):
        SHINTAI = "shintai", _("身体障害者手帳")
        RYOIKU = "ryoiku", _("療育手帳")
        SEISHIN = "seishin", _("精神障害者保健福祉手帳")

    GRADES = {
        Kind.SHINTAI: ("1", "2", "3", "4", "5", "6", "7"),
        Kind.RYOIKU: ("A", "B"),
        Kind.SEISHIN: ("1", "2", "3"),
    }

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("手帳の種類"), max_length=10, choices=Kind.choices)
    grade = models.CharField(_("等級"), max_length=2)
    issued_on = models.DateField(_("交付日"))
    valid_until = models.DateField(_("有効期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("障害者手帳")
        verbose_name_plural = _("障害者手帳")
        # One of each kind per person, as the 手帳 system keeps it (a renewal replaces it).
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_certificate_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.grade}"


class BenefitReceipt(models.Model):
    """A household currently receiving a benefit, as the benefit's own system records it."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="benefits")
    program = models.SlugField(_("制度"), max_length=60)
    since = models.DateField(_("受給開始日"))
    until = models.DateField(_("受給終了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("受給者")
        verbose_name_plural = _("受給者")
        constraints = [
            models.UniqueConstraint(fields=["household", "program", "since"], name="one_receipt")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.program}"
