"""The demo data `make demo` loads: Kyoto's wards full of plausible residents, and logins."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from madoguchi.accounts.models import User
from madoguchi.residents.models import Person


@pytest.fixture
def seeded(db) -> None:
    call_command("seed_demo", persons=100, stdout=io.StringIO())


def test_every_ward_has_residents_and_demo_logins(seeded) -> None:
    per_ward = Counter(Person.objects.values_list("household__ward__name_ja", flat=True))
    assert len(per_ward) == 11
    assert min(per_ward.values()) >= 3
    demo_residents = User.objects.filter(kind="resident", is_demo=True)
    assert demo_residents.count() == 22
    assert all(user.person_id for user in demo_residents)
    assert User.objects.filter(username="nakagyo-clerk", kind="staff").exists()


def test_residents_look_like_kyoto_residents(seeded) -> None:
    person = Person.objects.select_related("household").order_by("id").first()
    assert person.household.address.startswith("京都府京都市")
    assert person.family_name_kana
    assert all("ァ" <= ch <= "ヶ" or ch == "ー" for ch in person.family_name_kana)
    heads = Person.objects.filter(relationship=Person.Relationship.HEAD).count()
    assert heads == Person.objects.values("household").distinct().count()


def test_seeding_twice_changes_nothing(seeded) -> None:
    before = (Person.objects.count(), User.objects.count())
    call_command("seed_demo", persons=100, stdout=io.StringIO())
    assert (Person.objects.count(), User.objects.count()) == before


def test_the_open_data_portal_holds_standard_datasets_and_statistics(seeded) -> None:
    from madoguchi.opendata.models import Dataset

    shelters = Dataset.objects.get(name="kyoto-evacuation-sites")
    assert shelters.extras == {"standard": "evacuation_sites", "standard_conforms": True}
    assert Dataset.objects.filter(extras__standard_conforms=True).count() == 3
    barriers = Dataset.objects.get(name="madoguchi-online-barriers")
    assert barriers.resources.get().format == "CSV"
