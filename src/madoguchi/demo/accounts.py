"""Demo logins: staff with a shared demo password, and residents picked on the demo login page."""

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.models import StaffMembership, User
from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.residents.models import Household, Person

DEMO_STAFF_PASSWORD = "madoguchi-demo"  # noqa: S105 - demo mode only
DEMO_RESIDENTS_PER_WARD = 2


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


@transaction.atomic
def create_staff(municipality: Municipality) -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    wards = OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.WARD)
    for ward in wards.order_by("local_government_code"):
        section = OrgUnit.objects.get(parent=ward, function="citizen_services")
        for suffix, role, title in [
            ("clerk", StaffMembership.Role.CLERK, "担当"),
            ("approver", StaffMembership.Role.APPROVER, "係長"),
        ]:
            username = f"{ward.code}-{suffix}"
            user = _staff_user(
                municipality, username, f"{ward.name_ja.removesuffix('役所')} {title}"
            )
            StaffMembership.objects.get_or_create(
                user=user, section=section, defaults={"role": role}
            )
            logins.append(DemoLogin(username, role, section.full_name))
    admin = _staff_user(municipality, "admin", "システム管理者", superuser=True)
    digital = OrgUnit.objects.get(municipality=municipality, code="digital-strategy")
    StaffMembership.objects.get_or_create(
        user=admin, section=digital, defaults={"role": StaffMembership.Role.ADMIN}
    )
    logins.append(DemoLogin("admin", StaffMembership.Role.ADMIN, digital.full_name))
    return logins


def _staff_user(
    municipality: Municipality, username: str, name: str, *, superuser: bool = False
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "kind": User.Kind.STAFF,
            "municipality": municipality,
            "full_name": name,
            "is_staff": superuser,
            "is_superuser": superuser,
            "is_demo": True,
        },
    )
    if created:
        user.set_password(DEMO_STAFF_PASSWORD)
        user.save(update_fields=["password"])
    # An authenticator already set up: the demo's code page shows its current code, labelled.
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "demo"})
    return user


@transaction.atomic
def create_residents(municipality: Municipality) -> list[User]:
    """Two residents per ward, heads of households with several members where possible."""
    users = []
    wards = OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.WARD)
    for ward in wards.order_by("local_government_code"):
        households = (
            Household.objects.filter(ward=ward).prefetch_related("members").order_by("number")
        )
        picked = sorted(households, key=lambda h: -h.members.count())[:DEMO_RESIDENTS_PER_WARD]
        for index, household in enumerate(picked, start=1):
            head = household.members.get(relationship=Person.Relationship.HEAD)
            user, _ = User.objects.get_or_create(
                username=f"resident-{ward.code}-{index}",
                defaults={
                    "kind": User.Kind.RESIDENT,
                    "municipality": municipality,
                    "full_name": head.full_name,
                    "email": f"{ward.code}{index}@resident.example.jp",
                    "person": head,
                    "is_demo": True,
                },
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            users.append(user)
    return users
