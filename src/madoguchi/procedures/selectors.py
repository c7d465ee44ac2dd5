from django.db.models import Q, QuerySet

from madoguchi.core.text import without_nul
from madoguchi.organizations import selectors as org_selectors
from madoguchi.organizations.models import Municipality, OrgUnit

from .models import Procedure


def catalog(municipality: Municipality, *, query: str = "", domain: str = "") -> QuerySet:
    query, domain = without_nul(query), without_nul(domain)
    procedures = Procedure.objects.filter(municipality=municipality)
    if query:
        procedures = procedures.filter(
            Q(name_ja__icontains=query)
            | Q(name_en__icontains=query)
            | Q(summary_ja__icontains=query)
            | Q(summary_en__icontains=query)
        )
    if domain:
        procedures = procedures.filter(domain=domain)
    return procedures.order_by("-online_available", "domain", "code")


def get_procedure(municipality: Municipality, code: str) -> Procedure:
    return Procedure.objects.get(municipality=municipality, code=without_nul(code))


def responsible_section(procedure: Procedure, *, ward: OrgUnit | None) -> OrgUnit:
    """Where an application for ``procedure`` goes: the ward's section, or a central one."""
    if procedure.handled_at_ward:
        if ward is None:
            raise ValueError(f"{procedure.code} is handled at a ward, but no ward was given.")
        return org_selectors.section_for(
            procedure.municipality, function=procedure.responsible_function, ward=ward
        )
    if procedure.responsible_section is None:
        raise ValueError(f"{procedure.code} has no responsible section.")
    return procedure.responsible_section
