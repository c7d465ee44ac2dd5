"""DCAT-AP 3 metadata in Turtle, RDF/XML and JSON-LD: one dataset, or the catalog page by page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from madoguchi.opendata import dcat, selectors
from madoguchi.opendata.models import Dataset
from madoguchi.opendata.standards import FOLDER, standards
from madoguchi.organizations.selectors import home_municipality

from .public import public_dataset_or_404


def links(request: HttpRequest) -> dcat.Links:
    def absolute(path: str) -> str:
        return request.build_absolute_uri(path)

    with translation.override("ja"):
        return dcat.Links(
            catalog=absolute(reverse("dataportal:search")),
            dataset=lambda d: absolute(reverse("dataportal:dataset", args=[d.name])),
            resource=lambda r: absolute(
                reverse("dataportal:resource", args=[r.dataset.name, r.id])
            ),
            download=lambda r: selectors.download_url(r, absolute("/")),
            standard=lambda key: absolute(reverse("dcat:standard", args=[key])),
        )


def _response(graph_text: str, fmt: str) -> HttpResponse:
    return HttpResponse(graph_text, content_type=f"{dcat.MEDIA_TYPES[fmt]}; charset=utf-8")


@require_GET
def dataset_rdf(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404
    dataset = public_dataset_or_404(name)
    return _response(dcat.serialize(dcat.dataset_graph(dataset, links(request)), fmt), fmt)


@require_GET
def catalog_rdf(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    public = selectors.datasets_for(None).order_by("name")
    total = public.count()
    datasets: list[Dataset] = list(
        selectors.with_relations(public)[(page - 1) * dcat.PAGE_SIZE : page * dcat.PAGE_SIZE]
    )
    if page > 1 and not datasets:
        raise Http404
    municipality = home_municipality()
    path = request.build_absolute_uri(reverse("dcat:catalog", args=[fmt]))
    graph = dcat.catalog_graph(
        datasets,
        links(request),
        title=(f"{municipality.name_ja} オープンデータ", f"{municipality.name_en} Open Data"),
        publisher=(municipality.name_ja, municipality.name_en),
        total=total,
        page=page,
        page_url=lambda n: f"{path}?page={n}",
    )
    return _response(dcat.serialize(graph, fmt), fmt)


@require_GET
def standard_schema(request: HttpRequest, key: str) -> HttpResponse:
    """The Table Schema of a standard dataset, the target of dct:conformsTo."""
    if key not in standards():
        raise Http404
    return HttpResponse(
        (FOLDER / f"{key}.json").read_bytes(), content_type="application/json; charset=utf-8"
    )
