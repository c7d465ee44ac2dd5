"""DCAT-AP 3 metadata of the catalog and its datasets, as an rdflib graph.

The vocabulary follows DCAT-AP 3.0 (and ckanext-dcat's choices where DCAT-AP leaves room):
datasets carry their licence on each distribution, frequencies use the EU authority table,
and the catalog is paged with Hydra, as ckanext-dcat pages it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from madoguchi.opendata.models import Dataset, Resource

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
DCATAP = Namespace("http://data.europa.eu/r5r/")

FORMATS = {"rdf": "xml", "ttl": "turtle", "jsonld": "json-ld"}
MEDIA_TYPES = {
    "rdf": "application/rdf+xml",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
}
FREQUENCIES = {
    "continuous": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
}
PAGE_SIZE = 100


@dataclass(frozen=True)
class Links:
    """Absolute URLs of the portal, from the view that asks (so the graph needs no request)."""

    catalog: str
    dataset: Callable[[Dataset], str]
    resource: Callable[[Resource], str]
    download: Callable[[Resource], str]
    standard: Callable[[str], str]


def _bind(graph: Graph) -> None:
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("hydra", HYDRA),
        ("spdx", SPDX),
        ("adms", ADMS),
        ("owl", OWL),
        ("dcatap", DCATAP),
    ):
        graph.bind(prefix, namespace)


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, ja: str, en: str) -> None:
    if ja:
        graph.add((subject, predicate, Literal(ja, lang="ja")))
    if en:
        graph.add((subject, predicate, Literal(en, lang="en")))


def add_dataset(graph: Graph, dataset: Dataset, links: Links) -> URIRef:
    subject = URIRef(links.dataset(dataset))
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(str(dataset.id))))
    graph.add((subject, ADMS.identifier, Literal(dataset.name)))
    _texts(graph, subject, DCTERMS.title, dataset.title, dataset.title_en)
    _texts(graph, subject, DCTERMS.description, dataset.notes, dataset.notes_en)
    graph.add((subject, DCAT.landingPage, URIRef(links.dataset(dataset))))
    graph.add((subject, DCTERMS.issued, Literal(dataset.created, datatype=XSD.dateTime)))
    graph.add((subject, DCTERMS.modified, Literal(dataset.modified, datatype=XSD.dateTime)))
    graph.add((subject, DCTERMS.language, LANGUAGE.JPN))
    if dataset.version:
        graph.add((subject, OWL.versionInfo, Literal(dataset.version)))
    for tag in dataset.tags.all():
        graph.add((subject, DCAT.keyword, Literal(tag.name)))
    for group in dataset.groups.all():
        theme = BNode()
        graph.add((theme, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")))
        _texts(
            graph,
            theme,
            URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            group.title_ja,
            group.title_en,
        )
        graph.add((subject, DCAT.theme, theme))
    org = dataset.owner_org
    publisher = BNode()
    graph.add((publisher, RDF.type, FOAF.Agent))
    _texts(graph, publisher, FOAF.name, org.title_ja, org.title_en)
    graph.add((subject, DCTERMS.publisher, publisher))
    if dataset.frequency in FREQUENCIES:
        graph.add((subject, DCTERMS.accrualPeriodicity, FREQUENCY[FREQUENCIES[dataset.frequency]]))
    if dataset.spatial:
        place = BNode()
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add(
            (
                place,
                URIRef("http://www.w3.org/ns/locn#geographicName"),
                Literal(dataset.spatial, lang="ja"),
            )
        )
        graph.add((subject, DCTERMS.spatial, place))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
        graph.add((subject, DCTERMS.temporal, period))
    if dataset.contact_name or dataset.contact_email:
        contact = BNode()
        graph.add((contact, RDF.type, VCARD.Organization))
        if dataset.contact_name:
            graph.add((contact, VCARD.fn, Literal(dataset.contact_name)))
        if dataset.contact_email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
        graph.add((subject, DCAT.contactPoint, contact))
    standard = (dataset.extras or {}).get("standard")
    if standard and (dataset.extras or {}).get("standard_conforms"):
        graph.add((subject, DCTERMS.conformsTo, URIRef(links.standard(standard))))
    for resource in dataset.resources.all():
        graph.add((subject, DCAT.distribution, add_distribution(graph, resource, dataset, links)))
    return subject


def add_distribution(graph: Graph, resource: Resource, dataset: Dataset, links: Links) -> URIRef:
    subject = URIRef(links.resource(resource))
    graph.add((subject, RDF.type, DCAT.Distribution))
    graph.add((subject, DCTERMS.identifier, Literal(str(resource.id))))
    if resource.name:
        graph.add((subject, DCTERMS.title, Literal(resource.name, lang="ja")))
    if resource.description:
        graph.add((subject, DCTERMS.description, Literal(resource.description, lang="ja")))
    graph.add((subject, DCAT.accessURL, URIRef(links.resource(resource))))
    download = links.download(resource) if resource.upload else resource.url
    if download:
        graph.add((subject, DCAT.downloadURL, URIRef(download)))
    if resource.format:
        graph.add((subject, DCTERMS["format"], FILE_TYPE[resource.format.upper()]))
    if resource.mimetype:
        graph.add(
            (
                subject,
                DCAT.mediaType,
                URIRef(f"https://www.iana.org/assignments/media-types/{resource.mimetype}"),
            )
        )
    if resource.size:
        graph.add((subject, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    if resource.hash:
        checksum = BNode()
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(resource.hash, datatype=XSD.hexBinary)))
        graph.add((subject, SPDX.checksum, checksum))
    if dataset.license_id and dataset.license and dataset.license.url:
        graph.add((subject, DCTERMS.license, URIRef(dataset.license.url)))
    graph.add((subject, DCTERMS.modified, Literal(resource.last_modified, datatype=XSD.dateTime)))
    standard = (resource.extras or {}).get("standard")
    if standard and (resource.extras or {}).get("standard_conforms"):
        graph.add((subject, DCTERMS.conformsTo, URIRef(links.standard(standard))))
    return subject


def dataset_graph(dataset: Dataset, links: Links) -> Graph:
    graph = Graph()
    _bind(graph)
    add_dataset(graph, dataset, links)
    return graph


def catalog_graph(
    datasets: Iterable[Dataset],
    links: Links,
    *,
    title: tuple[str, str],
    publisher: tuple[str, str],
    total: int,
    page: int,
    page_url: Callable[[int], str],
) -> Graph:
    """One page of the catalog: the catalog's description, the page's datasets, and Hydra
    links to the other pages."""
    graph = Graph()
    _bind(graph)
    catalog = URIRef(links.catalog)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, *title)
    graph.add((catalog, FOAF.homepage, URIRef(links.catalog)))
    graph.add((catalog, DCTERMS.language, LANGUAGE.JPN))
    agent = BNode()
    graph.add((agent, RDF.type, FOAF.Agent))
    _texts(graph, agent, FOAF.name, *publisher)
    graph.add((catalog, DCTERMS.publisher, agent))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset, links)))
    last = max(1, -(-total // PAGE_SIZE))
    collection = URIRef(page_url(page))
    graph.add((collection, RDF.type, HYDRA.PagedCollection))
    graph.add((collection, HYDRA.totalItems, Literal(total)))
    graph.add((collection, HYDRA.itemsPerPage, Literal(PAGE_SIZE)))
    graph.add((collection, HYDRA.firstPage, Literal(page_url(1))))
    graph.add((collection, HYDRA.lastPage, Literal(page_url(last))))
    if page > 1:
        graph.add((collection, HYDRA.previousPage, Literal(page_url(page - 1))))
    if page < last:
        graph.add((collection, HYDRA.nextPage, Literal(page_url(page + 1))))
    return graph


def serialize(graph: Graph, fmt: str) -> str:
    return graph.serialize(format=FORMATS[fmt])
