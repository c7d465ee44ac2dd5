"""The public pages: search with facets, a dataset, a resource with its preview and map."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madoguchi.core.text import without_nul
from madoguchi.opendata import history, selectors
from madoguchi.opendata.models import Dataset, Group, License, Organization, Resource
from madoguchi.opendata.schemaorg import dataset_jsonld, script_text
from madoguchi.opendata.standards import standards
from madoguchi.organizations.models import Municipality
from madoguchi.organizations.selectors import home_municipality

from .. import preview

PAGE_SIZE = 20
# The search page's orders: the query parameter → package_search's sort ("": by relevance
# when there are words, else the newest changes first).
SORTS = {"": "", "modified": "metadata_modified desc", "created": "metadata_created desc"}
# The facets of the search page: query parameter → what the catalog's search calls it.
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


def _fq(filters: dict[str, list[str]]) -> str:
    terms = []
    for name, values in filters.items():
        for value in values:
            escaped = value.replace('"', "")
            terms.append(f'{name}:"{escaped}"')
    return " ".join(terms)


def _facet_labels(name: str, keys: list[str]) -> dict[str, str]:
    if name == "organization":
        return {o.name: o.title for o in Organization.objects.filter(name__in=keys)}
    if name == "groups":
        return {g.name: g.title for g in Group.objects.filter(name__in=keys)}
    if name == "license_id":
        return {lic.id: lic.title for lic in License.objects.filter(id__in=keys)}
    return {key: key for key in keys}


def _sort_options(ranked: bool) -> list[tuple[str, str]]:
    newest = [("modified", _("更新日の新しい順")), ("created", _("公開日の新しい順"))]
    if ranked:
        return [("", _("関連度順")), *newest]
    return [("", newest[0][1]), newest[1]]


def _link(params: dict[str, list[str]]) -> str:
    pairs = [(k, v) for k, values in params.items() for v in values if v]
    return "?" + urlencode(pairs) if pairs else "?"


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = without_nul(request.GET.get("q", "")).strip()[:200]
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else ""
    filters = {
        name: [without_nul(v)[:100] for v in request.GET.getlist(name) if v] for name in FACETS
    }
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    try:
        result = selectors.package_search(
            None,
            q=q,
            fq=_fq(filters),
            rows=PAGE_SIZE,
            start=(page_number - 1) * PAGE_SIZE,
            sort=SORTS[sort],
            facet_fields=FACETS,
        )
    except selectors.SearchQueryError:
        result = selectors.SearchResult(count=0, ids=[])
    base = {"q": [q] if q else [], "sort": [sort], **filters}
    facets = []
    for name in FACETS:
        counts = result.facets.get(name, {})
        labels = _facet_labels(name, list(counts))
        items = []
        for key, count in counts.items():
            selected = key in filters[name]
            toggled = {
                **base,
                name: [v for v in filters[name] if v != key] if selected else [*filters[name], key],
            }
            items.append(
                {
                    "key": key,
                    "label": labels.get(key, key),
                    "count": count,
                    "selected": selected,
                    "url": _link(toggled),
                }
            )
        facets.append({"name": name, "items": items})
    pages = Paginator(range(result.count), PAGE_SIZE)
    page = pages.get_page(page_number)
    return render(
        request,
        "dataportal/search.html",
        {
            "q": q,
            "result": result,
            "datasets": selectors.in_order(result.ids),
            "facets": facets,
            "page": page,
            "previous_url": _link({**base, "page": [str(page_number - 1)]})
            if page.has_previous()
            else "",
            "next_url": _link({**base, "page": [str(page_number + 1)]}) if page.has_next() else "",
            "active_filters": any(filters.values()),
            "sort": sort,
            "sorts": _sort_options(bool(q)),
        },
    )


def public_dataset_or_404(name: str) -> Dataset:
    dataset = selectors.dataset_by_id_or_name(None, name)
    if dataset is None or dataset.state != "active" or dataset.private:
        raise Http404
    return dataset


def conformance(extras: dict) -> dict[str, str] | None:
    """The standard dataset this conforms to (its title, and the version of the Digital
    Agency's definition it was checked against: none for a schema not yet checked against the
    official definition), or None."""
    key = (extras or {}).get("standard")
    if key in standards() and (extras or {}).get("standard_conforms"):
        return {"title": standards()[key].title, "version": extras.get("standard_version") or ""}
    return None


@require_GET
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = public_dataset_or_404(name)
    url = request.build_absolute_uri(reverse("dataportal:dataset", args=[dataset.name]))
    jsonld = dataset_jsonld(
        dataset,
        url=url,
        download=lambda r: selectors.download_url(r, request.build_absolute_uri("/")),
    )
    return render(
        request,
        "dataportal/dataset.html",
        {
            "dataset": dataset,
            "resources": list(dataset.resources.all()),
            "jsonld": script_text(jsonld),
            "conforms_to": conformance(dataset.extras),
            "revisions": history.recent(dataset),
            "api_url": api_url(request, "package_show", id=dataset.name),
            "credit": _credit(dataset, url),
        },
    )


@require_GET
def resource_detail(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    dataset = public_dataset_or_404(name)
    key = selectors.as_uuid(resource_id)
    resource = next((r for r in dataset.resources.all() if r.id == key), None)
    if resource is None:
        raise Http404
    data = preview.table(resource) if preview.is_tabular(resource) else None
    found = preview.points(data) if data else []
    static_map = preview.static_map(found)
    response = render(
        request,
        "dataportal/resource.html",
        {
            "dataset": dataset,
            "resource": resource,
            "download_url": _download(request, resource),
            "table": data,
            "points": found,
            "map": static_map,
            "conforms_to": conformance(resource.extras),
            "api": {
                "resource_show": api_url(request, "resource_show", id=resource.pk),
                "datastore_search": api_url(
                    request, "datastore_search", resource_id=resource.pk, limit=5
                )
                if resource.datastore_active
                else "",
            },
        },
    )
    if static_map and static_map.tiles:
        # The tiles come from the configured server: allow its images on this page only.
        response._csp_update = {"img-src": [preview.tile_origin()]}
    return response


def _credit(dataset: Dataset, url: str) -> str:
    """The source line the licences ask reusers to give (CC BY's attribution, PDL's 出典)."""
    try:
        publisher = home_municipality().name
    except Municipality.DoesNotExist:
        publisher = dataset.owner_org.title
    return _("出典：%(publisher)s「%(title)s」（%(url)s）") % {
        "publisher": publisher,
        "title": dataset.display_title,
        "url": url,
    }


def api_url(request: HttpRequest, action: str, **params: Any) -> str:
    """The address of a CKAN API call, for the pages' "use it through the API" links."""
    return request.build_absolute_uri(f"/api/3/action/{action}?{urlencode(params)}")


def _download(request: HttpRequest, resource: Resource) -> str:
    if resource.upload:
        return selectors.download_url(resource, request.build_absolute_uri("/"))
    return resource.url
