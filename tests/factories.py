"""Builders for test data: Kyoto's real organization and catalog, and hand-made residents whose
every detail a test can assert on."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.models import StaffMembership, User
from madoguchi.accounts.staff_auth import current_code as totp_now
from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.residents.models import Household, Person

_numbers = itertools.count(1)
PASSWORD = "correct horse battery staple"


def ward(municipality: Municipality, code: str) -> OrgUnit:
    return OrgUnit.objects.get(municipality=municipality, code=code, kind=OrgUnit.Kind.WARD)


def section(municipality: Municipality, code: str) -> OrgUnit:
    return OrgUnit.objects.get(municipality=municipality, code=code)


def household(
    municipality: Municipality,
    ward_code: str,
    members: list[tuple[str, str, str, str, str, dt.date, str]],
) -> list[Person]:
    """``members``: (family, given, family kana, given kana, relationship, birth date, sex)."""
    number = next(_numbers)
    ward_unit = ward(municipality, ward_code)
    ward_name = ward_unit.name_ja.removesuffix("役所")
    home = Household.objects.create(
        municipality=municipality,
        ward=ward_unit,
        number=f"T{number:08d}",
        postal_code="604-8571",
        prefecture="京都府",
        city=f"京都市{ward_name}",
        town="上本能寺前町",
        block=f"{number}番地",
    )
    persons = []
    for family, given, family_kana, given_kana, relationship, birth, sex in members:
        persons.append(
            Person.objects.create(
                municipality=municipality,
                household=home,
                resident_code=f"{next(_numbers):011d}",
                family_name=family,
                given_name=given,
                family_name_kana=family_kana,
                given_name_kana=given_kana,
                birth_date=birth,
                sex=sex,
                relationship=relationship,
                honseki=f"京都府京都市{ward_name}上本能寺前町{number}番地",
                hittousha=f"{persons[0].full_name if persons else family + ' ' + given}",
                became_resident_on=birth,
                address_since=birth,
            )
        )
    return persons


def resident_user(person: Person, *, email: str = "", assurance: str = "high") -> User:
    """A resident linked to ``person``. A test client's force_login logs them in at
    ``assurance`` (as a My Number card login by default)."""
    user = User.objects.create(
        username=f"resident-{person.resident_code}",
        kind=User.Kind.RESIDENT,
        municipality=person.municipality,
        full_name=person.full_name,
        email=email or f"{person.resident_code}@resident.example.jp",
        person=person,
        is_demo=True,
    )
    user.login_assurance = assurance
    return user


def staff_user(
    municipality: Municipality,
    username: str,
    section_code: str,
    role: str = StaffMembership.Role.CLERK,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        kind=User.Kind.STAFF,
        municipality=municipality,
        full_name=username,
    )
    StaffMembership.objects.create(
        user=user, section=section(municipality, section_code), role=role
    )
    # An authenticator app, confirmed: a test client's force_login counts as password + code
    # (django-otp keeps ``otp_device`` in the session). Tests of the login itself use the key.
    user.otp_device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def catalog_admin(user: User) -> User:
    """Make ``user`` an open data catalog administrator, as an administrator would in the
    admin: a group holding ``opendata.manage_catalog``."""
    group, _created = Group.objects.get_or_create(name="オープンデータ カタログ管理者")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="opendata", codename="manage_catalog")
    )
    user.groups.add(group)
    return user


def current_totp(user: User) -> str:
    """The code the staff member's authenticator app shows now."""
    return totp_now(TOTPDevice.objects.get(user=user, confirmed=True))


def other_municipality() -> Municipality:
    """大津市 (252018): a second city on the same deployment, for isolation tests."""
    otsu = Municipality.objects.create(
        code="252018", name_ja="大津市", name_en="Otsu City", prefecture_ja="滋賀県"
    )
    OrgUnit.objects.create(
        municipality=otsu, kind=OrgUnit.Kind.WARD, code="otsu-hq", name_ja="大津市役所"
    )
    return otsu
