"""The catalog: finding a procedure and reading what it needs."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from madoguchi.forms import selectors as form_selectors
from madoguchi.organizations.selectors import home_municipality
from madoguchi.procedures import selectors as procedures
from madoguchi.procedures.models import Procedure, StandardDomain

from ..forms import CatalogSearchForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    municipality = home_municipality()
    online = procedures.catalog(municipality).filter(online_available=True)
    return render(
        request,
        "portal/home.html",
        {"search_form": CatalogSearchForm(), "online_procedures": online[:12]},
    )


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    form = CatalogSearchForm(request.GET or None)
    query = domain = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        domain = form.cleaned_data["domain"]
    results = procedures.catalog(home_municipality(), query=query, domain=domain)
    return render(
        request,
        "portal/procedure_list.html",
        {"search_form": form, "procedures": results, "query": query},
    )


def get_procedure_or_404(code: str) -> Procedure:
    try:
        return procedures.get_procedure(home_municipality(), code)
    except Procedure.DoesNotExist as missing:
        raise Http404 from missing


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_procedure_or_404(code)
    form_version = form_selectors.current_version(procedure)
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "procedure": procedure,
            "can_apply_online": procedure.online_available and form_version is not None,
            "domain_label": StandardDomain(procedure.domain).label,
            # Sent back with "apply": the same form posted twice starts one application.
            "form_token": uuid.uuid4().hex,
        },
    )
