"""The demo data `make demo` loads: Kyoto's wards full of plausible residents, and logins."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from madoguchi.accounts.models import User
from madoguchi.bundles.models import Bundle, BundleComponent
from madoguchi.forms import selectors as form_selectors
from madoguchi.procedures.models import Procedure
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


def test_demo_residents_have_encrypted_valid_my_numbers(seeded) -> None:
    from django.db import connection

    from madoguchi.residents.models import is_valid_my_number

    numbers = [p.my_number for p in Person.objects.all()]
    assert all(is_valid_my_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    with connection.cursor() as cursor:
        cursor.execute("SELECT my_number, my_number_digest FROM residents_person")
        stored = cursor.fetchall()
    assert all(raw.startswith("enc1:") and digest for raw, digest in stored)
    assert not {raw for raw, _digest in stored} & set(numbers)


def test_moving_in_and_birth_bundles_combine_procedures_residents_can_apply_for(seeded) -> None:
    bundles = {
        bundle.slug: [c.procedure.code for c in bundle.components.order_by("position")]
        for bundle in Bundle.objects.all()
    }
    assert bundles == {
        "moving-in": ["tennyu", "nhi-enrollment", "child-allowance-claim", "child-medical-subsidy"],
        "birth": ["child-allowance-claim", "child-medical-subsidy", "nhi-enrollment"],
    }
    for code in {code for codes in bundles.values() for code in codes}:
        procedure = Procedure.objects.get(code=code)
        assert procedure.online_available
        assert form_selectors.current_version(procedure) is not None
    call_command("seed_demo", persons=100, stdout=io.StringIO())
    assert BundleComponent.objects.count() == 7


def test_the_open_data_portal_holds_standard_datasets_and_statistics(seeded) -> None:
    from madoguchi.opendata.models import Dataset

    shelters = Dataset.objects.get(name="kyoto-evacuation-sites")
    assert shelters.extras == {
        "standard": "evacuation_sites",
        "standard_conforms": True,
        "standard_version": "2026-08-01",
    }
    assert Dataset.objects.filter(extras__standard_conforms=True).count() == 3
    barriers = Dataset.objects.get(name="madoguchi-online-barriers")
    assert barriers.resources.get().format == "CSV"


def test_the_demo_admin_publishes_for_every_organization_and_a_clerk_for_none(
    seeded, client
) -> None:
    from madoguchi.opendata.models import ApiToken

    def patch(username: str, name: str) -> int:
        token = ApiToken.issue(User.objects.get(username=username), "demo")[1]
        return client.post(
            "/api/3/action/package_patch",
            {"id": name, "notes": "更新しました"},
            content_type="application/json",
            headers={"Authorization": token},
        ).status_code

    for name in ["kyoto-evacuation-sites", "kyoto-aed-locations", "madoguchi-online-barriers"]:
        assert patch("admin", name) == 200
    assert patch("nakagyo-clerk", "kyoto-aed-locations") == 403
