"""The registry (住民基本台帳) as a prefill source: what the city holds is never asked again."""

from typing import Any

from madoguchi.forms.prefill import PrefillAttribute, PrefillContext, register_prefill_source

from .models import Person
from .selectors import household_members

SOURCE = {"ja": "住民基本台帳", "en": "Resident registry"}
ATTRIBUTES = [
    PrefillAttribute("registry.full_name", {"ja": "氏名", "en": "Name"}, SOURCE),
    PrefillAttribute(
        "registry.full_name_kana", {"ja": "氏名（カナ）", "en": "Name (kana)"}, SOURCE
    ),
    PrefillAttribute("registry.birth_date", {"ja": "生年月日", "en": "Date of birth"}, SOURCE),
    PrefillAttribute("registry.sex", {"ja": "性別", "en": "Sex"}, SOURCE),
    PrefillAttribute("registry.address", {"ja": "住所", "en": "Address"}, SOURCE),
    PrefillAttribute(
        "registry.household_members", {"ja": "世帯員", "en": "Household members"}, SOURCE
    ),
    PrefillAttribute(
        "registry.relationship", {"ja": "続柄", "en": "Relationship to the head"}, SOURCE
    ),
]


def address(person: Person) -> dict[str, str]:
    household = person.household
    return {
        "postal_code": household.postal_code.replace("-", ""),
        "prefecture": household.prefecture,
        "city": household.city,
        "town": household.town,
        "block": household.block,
        "building": household.building,
    }


def fetch(context: PrefillContext, keys: list[str]) -> dict[str, Any]:
    person = context.person
    if not isinstance(person, Person):
        return {}
    values: dict[str, Any] = {
        "registry.full_name": person.full_name,
        "registry.full_name_kana": person.full_name_kana,
        "registry.birth_date": person.birth_date.isoformat(),
        "registry.sex": person.sex,
        "registry.relationship": person.relationship,
    }
    if "registry.address" in keys:
        values["registry.address"] = address(person)
    if "registry.household_members" in keys:
        # The members' ids, as the household-member choice source offers them.
        values["registry.household_members"] = [str(m.id) for m in household_members(person)]
    return {key: values[key] for key in keys if key in values}


register_prefill_source("registry", ATTRIBUTES, fetch)
