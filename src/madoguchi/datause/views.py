from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import resident_required

from . import selectors


@require_GET
@resident_required
def my_data_uses(request: HttpRequest) -> HttpResponse:
    """Every use of the resident's data, newest first (like マイナポータル's やりとり履歴)."""
    return render(request, "datause/list.html", {"uses": selectors.own_uses(request.user)})
