"""Reads for staff and residents, already scoped to what the caller may see."""

from django.db.models import QuerySet
from django.http import Http404

from madoguchi.accounts.models import User
from madoguchi.organizations.models import OrgUnit

from . import catalog
from .models import Category, EmailChoice, Finding, OptOut, Run


def runs(user: User) -> QuerySet[Run]:
    return Run.objects.filter(municipality=user.municipality).select_related(
        "started_by", "approved_by"
    )


def run_for_staff(user: User, run_id: int) -> Run:
    try:
        return runs(user).get(pk=run_id)
    except Run.DoesNotExist as missing:
        raise Http404 from missing


def summary(run: Run) -> list[dict]:
    """Per program: totals and a row per ward, in ward order; counts only, no personal data."""
    wards = list(
        OrgUnit.objects.filter(municipality=run.municipality, kind=OrgUnit.Kind.WARD).order_by(
            "local_government_code"
        )
    )
    rows = []
    for program in catalog.programs():
        if program.code not in run.counts:
            continue
        per_ward = run.counts[program.code]
        ward_rows = []
        totals = {"new": 0, "possible": 0, "ended": 0}
        for ward in wards:
            counts = {key: per_ward.get(str(ward.pk), {}).get(key, 0) for key in totals}
            for key, value in counts.items():
                totals[key] += value
            ward_rows.append({"ward": ward, **counts})
        rows.append(
            {
                "program": program,
                "text": catalog.text(program.code),
                "wards": ward_rows,
                "totals": totals,
            }
        )
    return rows


def findings_for_staff(user: User, run: Run, program: str, ward_id: int) -> QuerySet[Finding]:
    """Households found in one ward: only for staff of that ward or administrators."""
    ward = OrgUnit.objects.filter(
        pk=ward_id, municipality=run.municipality, kind=OrgUnit.Kind.WARD
    ).first()
    if ward is None or program not in run.counts:
        raise Http404
    memberships = user.memberships.select_related("section")
    allowed = any(m.role == "admin" or m.section.parent_id == ward.pk for m in memberships)
    if not allowed:
        raise Http404
    return (
        run.findings.filter(program=program, ward=ward)
        .select_related("household")
        .order_by("change", "household__number")
    )


def opted_out(user: User) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("category", flat=True))


def categories() -> list[tuple[str, str]]:
    return list(Category.choices)


def wants_email(user: User) -> bool:
    """Whether the resident chose to receive proactive notices by e-mail too."""
    return EmailChoice.objects.filter(user=user).exists()
