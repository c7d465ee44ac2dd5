"""Writes of the registry held by Madoguchi (the standard systems' copy)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Person, is_valid_my_number


def set_my_number(person: Person, number: str) -> None:
    """Record a person's 個人番号 (full-width digits, spaces and hyphens accepted)."""
    number = unicodedata.normalize("NFKC", number).replace("-", "").replace(" ", "")
    if not is_valid_my_number(number):
        raise ValidationError(_("個人番号は、検査用数字を含む12桁の数字で入力してください。"))
    person.my_number = number
    person.save(update_fields=["my_number"])
