"""Reads of cases, already scoped to what the caller may see."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from madoguchi.accounts.models import StaffMembership, User
from madoguchi.organizations.models import OrgUnit
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission

from . import workflow
from .models import Case, CaseEvent, Correction, Workflow


def staff_sections(user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(memberships__user=user).select_related("parent")


def can_act_on(user: Any, case: Case) -> bool:
    return (
        user.is_authenticated
        and user.is_city_staff
        and user.municipality_id == case.municipality_id
        and user.memberships.filter(section_id=case.section_id).exists()
    )


def is_approver(user: Any, case: Case) -> bool:
    """A 決裁者 of the case's section."""
    return user.memberships.filter(
        section_id=case.section_id, role=StaffMembership.Role.APPROVER
    ).exists()


def section_staff(case: Case) -> QuerySet[User]:
    return User.objects.filter(memberships__section_id=case.section_id).order_by("username")


def workflow_for(procedure: Procedure) -> Workflow | None:
    code = getattr(procedure, "workflow", "") or workflow.DEFAULT_CODE
    return (
        Workflow.objects.filter(code=code).first()
        or Workflow.objects.filter(code=workflow.DEFAULT_CODE).first()
    )


def transitions_of(case: Case) -> dict[str, list[str]]:
    return case.workflow.transitions if case.workflow_id else workflow.STANDARD


def next_statuses(case: Case) -> list[str]:
    return workflow.allowed(transitions_of(case), case.status)


def question_keys(submission: Submission) -> set[str]:
    schema = submission.form_version.parsed
    return {q.key for step in schema.steps for q in step.questions}


def open_correction(case: Case) -> Correction | None:
    return case.corrections.filter(resubmitted_at__isnull=True).order_by("-requested_at").first()


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"
    procedure: int | None = None
    ward: int | None = None
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False


def overdue_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(due_date__lt=today, status__in=workflow.OPEN)


def queue(user: Any, filters: QueueFilter | None = None) -> QuerySet[Case]:
    """The cases of the sections the staff member belongs to, most urgent first."""
    filters = filters or QueueFilter()
    cases = (
        Case.objects.filter(municipality_id=user.municipality_id, section__memberships__user=user)
        .select_related("procedure", "section__parent", "submission", "assignee")
        .distinct()
    )
    if filters.status == "open":
        cases = cases.filter(status__in=workflow.OPEN)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.procedure:
        cases = cases.filter(procedure_id=filters.procedure)
    if filters.ward:
        cases = cases.filter(Q(section__parent_id=filters.ward))
    if filters.assignee == "me":
        cases = cases.filter(assignee=user)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        cases = cases.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        cases = cases.filter(overdue_q())
    return cases.order_by("due_date", "received_at")


def queue_procedures(user: Any) -> QuerySet[Procedure]:
    return Procedure.objects.filter(
        pk__in=Case.objects.filter(section__memberships__user=user).values("procedure_id")
    ).order_by("code")


def queue_staff(user: Any) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__section__memberships__user=user)
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class SectionLoad:
    section: OrgUnit
    by_status: dict[str, int]
    open_total: int
    overdue: int
    unassigned: int
    by_assignee: list[tuple[str, int]]


def section_overview(user: Any) -> list[SectionLoad]:
    """Per section the staff member belongs to: open cases by state, overdue, unassigned and
    the load of each assignee."""
    loads = []
    for section in staff_sections(user):
        cases = Case.objects.filter(section=section)
        by_status = dict(
            cases.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        open_cases = cases.filter(status__in=workflow.OPEN)
        by_assignee = (
            open_cases.exclude(assignee=None)
            .values("assignee__full_name", "assignee__username")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        loads.append(
            SectionLoad(
                section=section,
                by_status=by_status,
                open_total=open_cases.count(),
                overdue=cases.filter(overdue_q()).count(),
                unassigned=open_cases.filter(assignee=None).count(),
                by_assignee=[
                    (row["assignee__full_name"] or row["assignee__username"], row["n"])
                    for row in by_assignee
                ],
            )
        )
    return loads


def case_for_staff(user: Any, case_id: int) -> Case:
    """A case the staff member may open; any other case is a 404, as if it did not exist."""
    try:
        case = Case.objects.select_related(
            "procedure",
            "section__parent",
            "workflow",
            "assignee",
            "drafted_by",
            "submission__person__household__ward",
        ).get(pk=case_id)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    if not can_act_on(user, case):
        raise Http404
    return case


def case_for_submission(submission: Any) -> Case | None:
    return Case.objects.filter(submission=submission).select_related("document").first()


def resident_history(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(visible_to_resident=True, kind="transition")


def step_durations(cases: QuerySet[Case] | None = None) -> QuerySet[CaseEvent]:
    """The transitions in time order, the input for lead time per step (an event's time minus
    the previous event's time of the same case)."""
    events = CaseEvent.objects.filter(kind="transition")
    if cases is not None:
        events = events.filter(case__in=cases)
    return events.order_by("case_id", "at", "id").values(
        "case_id", "from_status", "to_status", "at"
    )


def closed_before(procedure: Procedure, cutoff: dt.datetime) -> QuerySet[Case]:
    """Cases of ``procedure`` that ended (issued, rejected, withdrawn) before ``cutoff``, with
    ``closed_at`` (retention)."""
    return (
        Case.objects.filter(procedure=procedure, status__in=workflow.FINAL)
        .annotate(
            closed_at=Max(
                "events__at",
                filter=Q(events__kind="transition", events__to_status__in=workflow.FINAL),
            )
        )
        .filter(closed_at__lt=cutoff)
    )
