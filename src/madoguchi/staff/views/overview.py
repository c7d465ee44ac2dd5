"""Per section: the load of open cases by state and assignee, and what is overdue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import staff_required
from madoguchi.cases import selectors as cases
from madoguchi.cases.models import Status


@require_GET
@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    loads = cases.section_overview(request.user)
    rows = [
        (load, [(label, load.by_status.get(value, 0)) for value, label in Status.choices])
        for load in loads
    ]
    return render(request, "staff/overview.html", {"rows": rows, "status_labels": Status.labels})
