"""Reads of cases, already scoped to what the caller may see."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from madoguchi.organizations.models import OrgUnit

from . import workflow
from .models import Case, CaseEvent


def staff_sections(user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(memberships__user=user).select_related("parent")


def can_act_on(user: Any, case: Case) -> bool:
    return (
        user.is_authenticated
        and user.is_city_staff
        and user.municipality_id == case.municipality_id
        and user.memberships.filter(section_id=case.section_id).exists()
    )


def queue(user: Any, *, status: str = "") -> QuerySet[Case]:
    """The cases of the sections the staff member belongs to, oldest first."""
    cases = Case.objects.filter(
        municipality_id=user.municipality_id, section__memberships__user=user
    ).select_related("procedure", "section__parent", "submission")
    if status == "open":
        cases = cases.filter(status__in=workflow.OPEN)
    elif status:
        cases = cases.filter(status=status)
    return cases.order_by("due_date", "received_at")


def case_for_staff(user: Any, case_id: int) -> Case:
    """A case the staff member may open; any other case is a 404, as if it did not exist."""
    try:
        case = Case.objects.select_related(
            "procedure", "section__parent", "submission__person__household__ward"
        ).get(pk=case_id)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    if not can_act_on(user, case):
        raise Http404
    return case


def case_for_submission(submission: Any) -> Case | None:
    return Case.objects.filter(submission=submission).select_related("document").first()


def resident_history(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(visible_to_resident=True)
