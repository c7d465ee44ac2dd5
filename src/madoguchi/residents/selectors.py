import datetime as dt
import re
import unicodedata
from typing import Any

import jaconv
from django.db.models import CharField, QuerySet
from django.db.models.functions import Concat

from madoguchi.audit import services as audit

from .models import Household, Person, my_number_digest


def household_members(person: Person) -> QuerySet[Person]:
    """The people registered in ``person``'s household, the head first."""
    return (
        Person.objects.filter(household_id=person.household_id)
        .select_related("household", "household__ward")
        .order_by("id")
    )


def persons_in_household(person: Person, ids: list[int]) -> list[Person]:
    """The persons among ``ids`` who share ``person``'s household, in household order.

    Used whenever an answer names household members: an id outside the household is dropped,
    so that no form can reach another family's record.
    """
    return list(household_members(person).filter(id__in=ids))


def _plain(text: str) -> str:
    """Full-width and half-width, spaces and 「丁目・番地・号」 written either way compare equal."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(丁目|番地の?|番の?|号)", "-", text)
    text = re.sub(r"[‐‑–—−ー－]+(?=\d)", "-", text)
    return text.strip("-")


def person_for_verified_identity(*, name: str, birth_date: dt.date, address: str) -> Person | None:
    """The one registry person whose name, birth date and address are those a provider
    verified (e.g. read from the My Number card), or None when none or several match.

    Only claims a provider verified come here, never what a user typed: this is what links an
    account to the registry.
    """
    wanted_name, wanted_address = _plain(name), _plain(address)
    if not wanted_name or not wanted_address:
        return None
    candidates = Person.objects.filter(birth_date=birth_date).select_related("household")
    matches = [
        person
        for person in candidates
        if _plain(person.family_name + person.given_name) == wanted_name
        and _address_matches(person, wanted_address)
    ]
    return matches[0] if len(matches) == 1 else None


def _plain_street(household: Household) -> str:
    return _plain(household.prefecture + household.city + household.town + household.block)


def _address_matches(person: Person, wanted: str) -> bool:
    """The card's address may add the building (方書) after the street address."""
    street = _plain_street(person.household)
    return wanted == street or (wanted.startswith(street) and not wanted[len(street)].isdigit())


def person_by_my_number(
    municipality: Any, number: str, *, actor: Any, purpose: str
) -> Person | None:
    """Find a person by 個人番号 (by its keyed digest). A staff read of special personal data:
    audited with its purpose, without the number itself."""
    number = unicodedata.normalize("NFKC", number).replace("-", "").replace(" ", "")
    person = Person.objects.filter(
        municipality=municipality, my_number_digest=my_number_digest(number)
    ).first()
    audit.record(
        actor=actor,
        action="view_personal_data",
        target=person or municipality,
        purpose=purpose,
        detail={"lookup": "my_number", "found": person is not None},
    )
    return person


def reveal_my_number(person: Person, *, actor: Any, purpose: str, case: Any) -> str:
    """A staff member shows a person's 個人番号 in full while handling ``case``: audited with
    the purpose they gave, and the case, never the number."""
    audit.record(
        actor=actor,
        action="reveal_my_number",
        target=person,
        purpose=purpose,
        detail={"field": "my_number", "case": case.pk},
    )
    return person.my_number


COUNTER_PURPOSE = "書かない窓口での本人確認と申請の補助"
SEARCH_LIMIT = 20


def search_people(
    municipality: Any,
    *,
    name: str = "",
    kana: str = "",
    birth_date: dt.date | None = None,
    actor: Any,
) -> list[Person]:
    """Registry search at the counter (name, kana, birth date); a staff read of personal data,
    audited with its purpose and the number of results, never the search terms."""
    people = Person.objects.filter(municipality=municipality).select_related("household")
    if birth_date:
        people = people.filter(birth_date=birth_date)
    if name:
        people = people.annotate(
            search_name=Concat("family_name", "given_name", output_field=CharField())
        ).filter(search_name__contains=_spaceless(name))
    if kana:
        people = people.annotate(
            search_kana=Concat("family_name_kana", "given_name_kana", output_field=CharField())
        ).filter(search_kana__contains=jaconv.hira2kata(_spaceless(kana)))
    found = list(people.order_by("family_name_kana", "given_name_kana", "id")[:SEARCH_LIMIT])
    audit.record(
        actor=actor,
        action="view_personal_data",
        target=municipality,
        purpose=COUNTER_PURPOSE,
        detail={"lookup": "counter_search", "results": len(found)},
    )
    return found


def _spaceless(text: str) -> str:
    """NFKC (half-width kana become full-width) without spaces, as names are stored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def person_at_counter(municipality: Any, person_id: int, *, actor: Any) -> Person | None:
    """One person's record opened at the counter, audited."""
    person = (
        Person.objects.filter(municipality=municipality, pk=person_id)
        .select_related("household", "household__ward")
        .first()
    )
    if person is not None:
        audit.record(
            actor=actor,
            action="view_personal_data",
            target=person,
            purpose=COUNTER_PURPOSE,
            detail={"lookup": "counter_person"},
        )
    return person
