"""The bundles of the city for staff: which procedures each combines and where each goes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import staff_required

from .. import selectors


@require_GET
@staff_required
def bundle_list(request: HttpRequest) -> HttpResponse:
    municipality = request.user.municipality
    ward_sections = selectors.ward_section_names(municipality)
    rows = []
    for bundle in selectors.all_bundles(municipality):
        components = []
        for component in bundle.components.all():
            procedure = component.procedure
            if procedure.handled_at_ward:
                office = _("各区役所・支所の%(section)s") % {
                    "section": ward_sections.get(procedure.responsible_function, "")
                }
            else:
                section = procedure.responsible_section
                office = section.full_name if section else ""
            components.append((procedure, office))
        rows.append((bundle, components))
    return render(request, "bundles/staff_list.html", {"rows": rows})
