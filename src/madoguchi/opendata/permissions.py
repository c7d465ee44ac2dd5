"""Who may write what in the catalog: CKAN's organization roles, held explicitly or derived
from the city's organization chart. The CKAN actions and the staff pages both ask here.

- A **catalog administrator** (the model permission ``opendata.manage_catalog``, given through a
  Django group in the admin; superusers hold every permission) writes every organization's
  datasets, creates organizations and groups and updates them, and manages every
  organization's members (CKAN's sysadmin).
- Any other staff member of this portal's municipality publishes (creates, updates and deletes
  datasets and their files) for the organizations whose ``unit`` is one of their sections
  (``StaffMembership``, any role) or the bureau or ward office that a section of theirs belongs
  to (CKAN's editor, from the chart). Memberships are held in sections only, so a clerk of
  中京区役所 市民窓口課 publishes for that section and for 中京区役所, never for a sibling
  section nor another bureau.
- **Explicit members** (``OrganizationMember``, CKAN's capacities), for staff of this portal's
  municipality only: an *editor* publishes for that organization as above, whatever their
  section; an *admin* publishes too, updates the organization (organization_update) and adds,
  changes and removes its members, but creates no organization; a *member* reads the
  organization's private datasets and writes nothing.
- **Private datasets** are read by those who publish for their organization or hold any
  capacity there, and by catalog administrators (``private_readable``, applied by
  ``selectors.datasets_for`` and the search); other staff see them as the public does: not at
  all.
- Organizations without a unit (harvested, the platform's statistics) are the administrators'
  and their explicit editors' and admins'.
- Moving a dataset to another organization needs rights on both.

The services write as whoever they are given: the system's own writes (harvesting, the
statistics, the demo) pass no user and are not checked here.
"""

from typing import Any

from django.db.models import Q, QuerySet

from madoguchi.organizations.models import OrgUnit

from . import selectors
from .models import Dataset, Organization, OrganizationMember, State

MANAGE_CATALOG = "opendata.manage_catalog"
Capacity = OrganizationMember.Capacity
# CKAN's permissions and the capacities holding them. manage_group is narrowed to admins (in
# CKAN editors and members hold it too, to add datasets to groups, which here anyone may);
# any other permission (admin, membership, …) is the admin's, as CKAN's admin holds them all.
EDITING = {"create_dataset", "update_dataset", "delete_dataset"}
READING = {"read"}
PUBLISHERS = [Capacity.ADMIN, Capacity.EDITOR]
RANK = {"member": 1, "editor": 2, "admin": 3}


def is_catalog_admin(user: Any) -> bool:
    return selectors.is_staff(user) and user.has_perm(MANAGE_CATALOG)


def _unit_ids(user: Any) -> set[int]:
    """The user's sections and every unit above them."""
    found: set[int] = set()
    level = set(OrgUnit.objects.filter(memberships__user=user).values_list("pk", flat=True))
    while level:
        found |= level
        level = (
            set(
                OrgUnit.objects.filter(pk__in=level, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - found
        )
    return found


def _organizations(user: Any, capacities: list[str], *, chart: bool) -> QuerySet[Organization]:
    """Active organizations where the user holds one of ``capacities`` explicitly (or, with
    ``chart``, is an editor through the organization chart); all for catalog administrators."""
    organizations = Organization.objects.filter(state=State.ACTIVE)
    if is_catalog_admin(user):
        return organizations
    if not selectors.is_staff(user):
        return organizations.none()
    held = OrganizationMember.objects.filter(user=user, capacity__in=capacities)
    where = Q(pk__in=held.values("organization_id"))
    if chart:
        where |= Q(unit__in=_unit_ids(user), unit__municipality_id=user.municipality_id)
    return organizations.filter(where)


def publishable_organizations(user: Any) -> QuerySet[Organization]:
    """The active organizations the user may publish datasets for."""
    return _organizations(user, PUBLISHERS, chart=True)


def administered_organizations(user: Any) -> QuerySet[Organization]:
    """The active organizations the user may update and whose members they manage."""
    return _organizations(user, [Capacity.ADMIN], chart=False)


def managed_organizations(user: Any, permission: str) -> QuerySet[Organization]:
    """CKAN's organization_list_for_user: where ``user`` holds ``permission``."""
    if permission in EDITING:
        return publishable_organizations(user)
    if permission in READING:
        return _organizations(user, list(Capacity), chart=True)
    return administered_organizations(user)


def private_readable(user: Any) -> Q | None:
    """Which private datasets a staff member reads, as a condition on the dataset: those of
    the organizations they publish for or hold any capacity in (CKAN's member), so that data
    not yet published (statistics before their release date, say) is seen by those who need
    it; None for catalog administrators, who read them all."""
    if is_catalog_admin(user):
        return None
    return Q(owner_org__in=_organizations(user, list(Capacity), chart=True).values("pk"))


def capacities(user: Any, organizations: list[Organization]) -> dict[Any, str]:
    """The user's capacity in each of ``organizations`` (CKAN's ``capacity``): the higher of
    the explicit one and the chart's editor; admin everywhere for catalog administrators."""
    if is_catalog_admin(user):
        return {org.pk: Capacity.ADMIN.value for org in organizations}
    if not selectors.is_staff(user):
        return {}
    units = _unit_ids(user)
    held = dict(
        OrganizationMember.objects.filter(
            user=user, organization__in=[org.pk for org in organizations]
        ).values_list("organization_id", "capacity")
    )
    found = {}
    for org in organizations:
        chart = Capacity.EDITOR.value if org.unit_id in units else ""
        candidates = [c for c in (held.get(org.pk, ""), chart) if c]
        if candidates:
            found[org.pk] = max(candidates, key=RANK.__getitem__)
    return found


def can_publish_for(user: Any, organization: Organization | None) -> bool:
    if organization is None:
        return False
    if is_catalog_admin(user):
        return True
    return publishable_organizations(user).filter(pk=organization.pk).exists()


def can_write_dataset(user: Any, dataset: Dataset) -> bool:
    """Edit, delete, add or replace files of ``dataset`` (in its current organization)."""
    return can_publish_for(user, dataset.owner_org)


def can_administer(user: Any, organization: Organization) -> bool:
    """Update the organization and add, change and remove its members."""
    if is_catalog_admin(user):
        return True
    return administered_organizations(user).filter(pk=organization.pk).exists()


def can_manage_catalog_groups(user: Any) -> bool:
    """Create organizations, and create and update groups."""
    return is_catalog_admin(user)
