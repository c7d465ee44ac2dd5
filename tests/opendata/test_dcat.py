"""DCAT-AP 3 metadata: every public dataset is in the catalog, which rdflib parses in each
format; the catalog is paged."""

import pytest
from django.test import Client
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from madoguchi.opendata import dcat
from madoguchi.opendata.models import Dataset

from .catalog_builders import EVACUATION_CSV, csv_resource, dataset, organization

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture
def catalog(kyoto):
    org = organization(kyoto)
    shelters = dataset(
        org,
        "evacuation-sites",
        "指定緊急避難場所一覧",
        title_en="Designated emergency evacuation sites",
        notes="京都市の指定緊急避難場所",
        frequency="annual",
        tags=[{"name": "防災"}],
    )
    csv_resource(shelters, EVACUATION_CSV, "evacuation.csv")
    dataset(org, "aed-locations", "AED設置箇所一覧")
    dataset(org, "draft-plan", "非公開の計画", private=True)
    return shelters


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]
)
def test_the_catalog_holds_every_public_dataset_in_each_format(catalog, fmt, rdf_format) -> None:
    response = Client().get(f"/opendata/catalog.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(dcat.MEDIA_TYPES[fmt])
    graph = Graph().parse(data=response.content, format=rdf_format)
    found = {str(s) for s in graph.subjects(RDF.type, dcat.DCAT.Dataset)}
    assert found == {
        f"{BASE}/opendata/dataset/{name}/"
        for name in Dataset.objects.filter(private=False).values_list("name", flat=True)
    }
    assert f"{BASE}/opendata/dataset/draft-plan/" not in found
    catalog_node = next(graph.subjects(RDF.type, dcat.DCAT.Catalog))
    assert len(list(graph.objects(catalog_node, dcat.DCAT.dataset))) == 2


def test_a_dataset_carries_its_titles_distribution_and_licence(catalog) -> None:
    response = Client().get("/opendata/dataset/evacuation-sites.ttl")
    graph = Graph().parse(data=response.content, format="turtle")
    subject = URIRef(f"{BASE}/opendata/dataset/evacuation-sites/")
    titles = {(str(t), t.language) for t in graph.objects(subject, DCTERMS.title)}
    assert titles == {
        ("指定緊急避難場所一覧", "ja"),
        ("Designated emergency evacuation sites", "en"),
    }
    assert {str(k) for k in graph.objects(subject, dcat.DCAT.keyword)} == {"防災"}
    assert graph.value(subject, DCTERMS.accrualPeriodicity) == dcat.FREQUENCY.ANNUAL
    distribution = graph.value(subject, dcat.DCAT.distribution)
    download = str(graph.value(distribution, dcat.DCAT.downloadURL))
    assert download.endswith("/evacuation.csv")
    body = b"".join(Client().get(download.removeprefix(BASE)).streaming_content)
    assert body.decode() == EVACUATION_CSV
    assert str(graph.value(distribution, DCTERMS.license)).startswith(
        "https://creativecommons.org/"
    )


def test_the_catalog_is_paged(kyoto, monkeypatch) -> None:
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    org = organization(kyoto)
    for n in range(5):
        dataset(org, f"set-{n}", f"データ{n}")
    seen = set()
    for page in (1, 2, 3):
        graph = Graph().parse(
            data=Client().get(f"/opendata/catalog.ttl?page={page}").content, format="turtle"
        )
        seen |= {str(s) for s in graph.subjects(RDF.type, dcat.DCAT.Dataset)}
        collection = URIRef(f"{BASE}/opendata/catalog.ttl?page={page}")
        assert int(graph.value(collection, dcat.HYDRA.totalItems)) == 5
        has_next = graph.value(collection, dcat.HYDRA.nextPage) is not None
        assert has_next == (page < 3)
    assert len(seen) == 5
    assert Client().get("/opendata/catalog.ttl?page=4").status_code == 404


def test_unknown_formats_and_private_datasets_are_not_found(catalog) -> None:
    assert Client().get("/opendata/catalog.n3").status_code == 404
    assert Client().get("/opendata/dataset/draft-plan.ttl").status_code == 404
