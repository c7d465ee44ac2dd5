"""The page for developers: how to read the catalog through the CKAN Action API, with
examples that run against this portal's own data."""

from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madoguchi.opendata import selectors
from madoguchi.opendata.ckan.actions import READ, WRITE
from madoguchi.opendata.models import Resource

from .public import api_url


def rate_text(rate: str) -> str:
    """django-ratelimit's rate (e.g. 300/m) in words."""
    count, _slash, unit = rate.partition("/")
    period = {"s": _("1秒"), "m": _("1分"), "h": _("1時間"), "d": _("1日")}.get(unit[-1:], unit)
    return _("%(period)sに%(count)s回まで") % {"period": period, "count": count}


def example(request: HttpRequest, action: str, **params: Any) -> tuple[str, str]:
    """The call's address, and the same as a reader would type it (Japanese not escaped)."""
    url = api_url(request, action, **params)
    return url, unquote(url)


@require_GET
def api_guide(request: HttpRequest) -> HttpResponse:
    site = request.build_absolute_uri("/").rstrip("/")
    api = f"{site}/api/3/action/"
    public = selectors.datasets_for(None)
    dataset = public.order_by("name").first()
    tabular = (
        Resource.objects.filter(dataset__in=public, datastore_active=True)
        .select_related("dataset")
        .order_by("dataset__name", "position")
        .first()
    )
    examples = [
        (_("データセットを探す（「避難所」）"), *example(request, "package_search", q="避難所"))
    ]
    if dataset is not None:
        examples.append(
            (
                _("データセットの詳細（%(title)s）") % {"title": dataset.title},
                *example(request, "package_show", id=dataset.name),
            )
        )
    if tabular is not None:
        examples.append(
            (
                _("表のデータの最初の5行（%(title)s）") % {"title": tabular.dataset.title},
                *example(request, "datastore_search", resource_id=tabular.pk, limit=5),
            )
        )
    return render(
        request,
        "dataportal/api.html",
        {
            "site": site,
            "api": api,
            "examples": examples,
            "actions": [(name, False) for name in sorted(READ)]
            + [(name, True) for name in sorted(WRITE)],
            "help_url": f"{api}help_show?name=",
            "rate": rate_text(settings.MADOGUCHI_RATE_API),
        },
    )
