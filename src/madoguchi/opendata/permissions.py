"""Who may write what in the catalog: CKAN's organization roles, mapped onto the city's
organization chart. The CKAN write actions and the staff pages both ask here.

- A **catalog administrator** (the model permission ``opendata.manage_catalog``, given through a
  Django group in the admin; superusers hold every permission) writes every organization's
  datasets and creates and updates organizations and groups (CKAN's sysadmin).
- Any other staff member of this portal's municipality publishes for the organizations whose
  ``unit`` is one of their sections (``StaffMembership``, any role) or the bureau or ward office
  that a section of theirs belongs to (CKAN's editor). Memberships are held in sections only, so
  a clerk of 中京区役所 市民窓口課 publishes for that section and for 中京区役所, never for a
  sibling section nor another bureau. Organizations without a unit (harvested, the platform's
  statistics) are the administrators' alone.
- Moving a dataset to another organization needs rights on both.

The services write as whoever they are given: the system's own writes (harvesting, the
statistics, the demo) pass no user and are not checked here.
"""

from typing import Any

from django.db.models import QuerySet

from madoguchi.organizations.models import OrgUnit

from . import selectors
from .models import Dataset, Organization, State

MANAGE_CATALOG = "opendata.manage_catalog"
# CKAN's permission names that an editor holds in its organizations (manage_group is the
# organization admin's: here the catalog administrators').
PUBLISHING = {"read", "create_dataset", "update_dataset", "delete_dataset", "manage_group"}


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


def publishable_organizations(user: Any) -> QuerySet[Organization]:
    """The active organizations the user may publish datasets for."""
    organizations = Organization.objects.filter(state=State.ACTIVE)
    if is_catalog_admin(user):
        return organizations
    if not selectors.is_staff(user):
        return organizations.none()
    return organizations.filter(
        unit__in=_unit_ids(user), unit__municipality_id=user.municipality_id
    )


def managed_organizations(user: Any, permission: str) -> QuerySet[Organization]:
    """CKAN's organization_list_for_user: where ``user`` holds ``permission``."""
    if is_catalog_admin(user):
        return Organization.objects.filter(state=State.ACTIVE)
    if permission == "manage_group" or permission not in PUBLISHING:
        return Organization.objects.none()
    return publishable_organizations(user)


def can_publish_for(user: Any, organization: Organization | None) -> bool:
    if organization is None:
        return False
    if is_catalog_admin(user):
        return True
    return publishable_organizations(user).filter(pk=organization.pk).exists()


def can_write_dataset(user: Any, dataset: Dataset) -> bool:
    """Edit, delete, add or replace files of ``dataset`` (in its current organization)."""
    return can_publish_for(user, dataset.owner_org)


def can_manage_catalog_groups(user: Any) -> bool:
    """Create and update organizations and groups."""
    return is_catalog_admin(user)
