"""Reads of the catalog, shaped as CKAN's action API shows them (package_show & co.).

``user`` is the caller: None for the public, who see active, public datasets only; a staff
member (through an API token or the staff pages) also sees private and deleted ones.
"""

import datetime as dt
import json
import shlex
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from madoguchi.accounts.models import User

from . import search
from .models import (
    Dataset,
    FacetCount,
    FacetValue,
    Group,
    License,
    Organization,
    OrganizationMember,
    Resource,
    SearchDocument,
    State,
    Tag,
)

FACETS = {"organization", "groups", "tags", "res_format", "license_id"}
# CKAN's sort spellings, mapped to fields; "score" is the search relevance.
SORTS = {
    "score": None,
    "name": "name",
    "title": "title",
    "title_string": "title",
    "metadata_modified": "modified",
    "metadata_created": "created",
}


def is_staff(user: Any) -> bool:
    """Staff of the municipality this portal publishes for: they see private datasets and
    (with an API token) write. Staff of other municipalities are the public here."""
    return bool(
        user is not None
        and user.is_active
        and getattr(user, "is_city_staff", False)
        and user.municipality is not None
        and user.municipality.code == settings.MADOGUCHI_MUNICIPALITY_CODE
    )


def datasets_for(user: Any, *, include_deleted: bool = False) -> QuerySet[Dataset]:
    datasets = Dataset.objects.all()
    if not is_staff(user):
        return datasets.filter(state=State.ACTIVE, private=False)
    private = _readable_private(user)
    if private is not None:
        datasets = datasets.filter(Q(private=False) | private)
    return datasets if include_deleted else datasets.filter(state=State.ACTIVE)


def _readable_private(user: Any) -> Q | None:
    """opendata.permissions' rule for the private datasets a staff member reads (imported
    here, as permissions reads these selectors)."""
    from .permissions import private_readable

    return private_readable(user)


def with_relations(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return datasets.select_related("owner_org", "license").prefetch_related(
        "tags", "groups", Prefetch("resources", queryset=Resource.objects.order_by("position"))
    )


def dataset_by_id_or_name(user: Any, key: str) -> Dataset | None:
    datasets = with_relations(datasets_for(user, include_deleted=True))
    return _by_id_or_name(datasets, key)


def as_uuid(key: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(key))
    except ValueError:
        return None


def _by_id_or_name(objects: QuerySet, key: str) -> Any:
    pk = as_uuid(key)
    return objects.filter(Q(pk=pk) | Q(name=key) if pk else Q(name=key)).first()


def organization_by_id_or_name(key: str) -> Organization | None:
    return _by_id_or_name(Organization.objects.filter(state=State.ACTIVE), key)


def group_by_id_or_name(key: str) -> Group | None:
    return _by_id_or_name(Group.objects.filter(state=State.ACTIVE), key)


def resource_by_id(user: Any, key: str) -> Resource | None:
    pk = as_uuid(key)
    if pk is None:
        return None
    resource = (
        Resource.objects.select_related("dataset")
        .filter(dataset__state=State.ACTIVE, pk=pk)
        .first()
    )
    if resource is None or not resource.dataset.private:
        return resource
    # A private dataset's file: for those who read the dataset.
    return resource if datasets_for(user).filter(pk=resource.dataset_id).exists() else None


# ---------------------------------------------------------------------------------------------
# Dictization (CKAN's output shapes)


def timestamp(value: dt.datetime | None) -> str | None:
    """CKAN writes naive UTC timestamps with microseconds."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization_dict(org: Organization, *, package_count: int | None = None) -> dict[str, Any]:
    data = {
        "id": str(org.id),
        "name": org.name,
        "title": org.title_ja,
        "title_translated": {"ja": org.title_ja, "en": org.title_en},
        "display_name": org.title_ja,
        "description": org.description_ja,
        "image_url": org.image_url,
        "image_display_url": org.image_url,
        "created": timestamp(org.created),
        "type": "organization",
        "is_organization": True,
        "approval_status": "approved",
        "state": org.state,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(group: Group, *, package_count: int | None = None) -> dict[str, Any]:
    data = {
        "id": str(group.id),
        "name": group.name,
        "title": group.title_ja,
        "title_translated": {"ja": group.title_ja, "en": group.title_en},
        "display_name": group.title_ja,
        "description": group.description_ja,
        "image_url": group.image_url,
        "image_display_url": group.image_url,
        "created": timestamp(group.created),
        "type": "group",
        "is_organization": False,
        "approval_status": "approved",
        "state": group.state,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def download_url(resource: Resource, base_url: str | None = None) -> str:
    """The file's address under ``base_url`` (None: the site's; "": the path alone)."""
    path = reverse(
        "ckan:download",
        kwargs={
            "dataset_id": resource.dataset_id,
            "resource_id": resource.id,
            "filename": resource.filename or "download",
        },
    )
    return (settings.MADOGUCHI_BASE_URL if base_url is None else base_url).rstrip("/") + path


def resource_dict(resource: Resource, base_url: str | None = None) -> dict[str, Any]:
    return {
        "id": str(resource.id),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "url": download_url(resource, base_url) if resource.upload else resource.url,
        "url_type": resource.url_type,
        "size": resource.size,
        "mimetype": resource.mimetype or None,
        "hash": resource.hash,
        "position": resource.position,
        "datastore_active": resource.datastore_active,
        "datastore_status": resource.datastore_status or None,
        "download_count": resource.download_count,
        "created": timestamp(resource.created),
        "last_modified": timestamp(resource.last_modified),
        "metadata_modified": timestamp(resource.last_modified),
        "state": "active",
        "resource_type": None,
        "cache_url": None,
        "cache_last_updated": None,
        **{k: v for k, v in resource.extras.items() if isinstance(k, str)},
    }


def license_dict(license: License) -> dict[str, Any]:
    return {
        "id": license.id,
        "title": license.title_ja,
        "title_translated": {"ja": license.title_ja, "en": license.title_en},
        "url": license.url,
        "od_conformance": license.od_conformance,
        "osd_conformance": license.osd_conformance,
        "status": "active",
        "family": "",
        "maintainer": "",
        "domain_content": False,
        "domain_data": False,
        "domain_software": False,
        "is_okd_compliant": license.od_conformance == "approved",
        "is_osi_compliant": license.osd_conformance == "approved",
    }


def dataset_dict(dataset: Dataset, base_url: str | None = None) -> dict[str, Any]:
    """package_show's dict; call on a dataset from ``with_relations`` to avoid extra queries."""
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    resources = sorted(dataset.resources.all(), key=lambda r: r.position)
    license = dataset.license
    return {
        "id": str(dataset.id),
        "name": dataset.name,
        "title": dataset.title,
        "title_translated": {"ja": dataset.title, "en": dataset.title_en},
        "notes": dataset.notes,
        "notes_translated": {"ja": dataset.notes, "en": dataset.notes_en},
        "type": "dataset",
        "state": dataset.state,
        "private": dataset.private,
        "owner_org": str(dataset.owner_org_id),
        "organization": organization_dict(dataset.owner_org),
        "license_id": license.id if license else "",
        "license_title": license.title_ja if license else "",
        "license_url": license.url if license else "",
        "isopen": bool(license and license.od_conformance == "approved"),
        "url": dataset.url,
        "version": dataset.version,
        "author": None,
        "author_email": None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "frequency": dataset.frequency,
        "spatial": dataset.spatial,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "metadata_created": timestamp(dataset.created),
        "metadata_modified": timestamp(dataset.modified),
        "creator_user_id": str(dataset.creator_id) if dataset.creator_id else None,
        "tags": [
            {
                "id": str(t.id),
                "name": t.name,
                "display_name": t.name,
                "state": "active",
                "vocabulary_id": None,
            }
            for t in tags
        ],
        "num_tags": len(tags),
        "groups": [
            {
                "id": str(g.id),
                "name": g.name,
                "title": g.title_ja,
                "display_name": g.title_ja,
                "description": g.description_ja,
                "image_display_url": g.image_url,
            }
            for g in sorted(dataset.groups.all(), key=lambda g: g.name)
        ],
        "resources": [resource_dict(r, base_url) for r in resources],
        "num_resources": len(resources),
        "extras": [{"key": k, "value": v} for k, v in sorted(dataset.extras.items())],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


# ---------------------------------------------------------------------------------------------
# Search


@dataclass
class SearchResult:
    count: int
    ids: list[Any]  # the page's datasets, in order: see packages() and in_order()
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def in_order(ids: list[Any]) -> list[Dataset]:
    """The datasets of these ids with their relations, in this order (for pages)."""
    found = with_relations(Dataset.objects.filter(pk__in=ids)).in_bulk(ids)
    return [found[i] for i in ids if i in found]


def packages(ids: list[Any], base_url: str | None = None) -> list[dict[str, Any]]:
    """package_show's dicts of these datasets, in this order, read from their search documents
    as CKAN reads search results from its index: one query for the stored dicts and one for the
    counters that change without a write to the dataset (downloads, datastore loading)."""
    stored = dict(
        SearchDocument.objects.filter(dataset_id__in=ids).values_list("dataset_id", "package")
    )
    missing = [i for i in ids if not stored.get(i)]
    built = {d.pk: dataset_dict(d, base_url) for d in in_order(missing)} if missing else {}
    counters = (
        Resource.objects.filter(dataset_id__in=ids)
        .order_by()  # the model's order would join the datasets
        .values_list("pk", "download_count", "datastore_active", "datastore_status")
    )
    live = {
        str(pk): {"download_count": n, "datastore_active": on, "datastore_status": status or None}
        for pk, n, on, status in counters
    }
    site = (settings.MADOGUCHI_BASE_URL if base_url is None else base_url).rstrip("/")
    result = []
    for pk in ids:
        if pk in built:
            result.append(built[pk])
            continue
        if pk not in stored:
            continue
        package = json.loads(stored[pk])
        for resource in package["resources"]:
            if resource["url_type"] == "upload":
                resource["url"] = site + resource["url"]
            resource.update(live.get(resource["id"], {}))
        result.append(package)
    return result


def stored_package(dataset: Dataset) -> str:
    """The dataset's package dict as its search document keeps it (download addresses as paths:
    the caller's scheme and host are put in front when read)."""
    return json.dumps(dataset_dict(dataset, ""), ensure_ascii=False)


class SearchQueryError(ValueError):
    """A query the search does not understand (reported as CKAN's Search Query Error)."""


def _parse_fq(fq: str, documents: bool = False) -> tuple[Q, list[tuple[str, str, bool]]]:
    """CKAN's filter query, the part clients use: ``field:value`` terms (quoted values, a
    leading ``-`` or ``NOT`` negates, ``AND`` is implied), as conditions on the dataset.
    ``documents``: facet terms come back apart, as (facet, value, negated), to be checked on
    the search documents of a search's matches rather than on the list of every dataset
    holding the value (which is cheaper when every dataset is a candidate)."""
    condition = Q()
    facet_terms: list[tuple[str, str, bool]] = []
    try:
        terms = shlex.split(fq)
    except ValueError as error:
        raise SearchQueryError(str(error)) from error
    negate = False
    for term in terms:
        if term in {"AND", "+"}:
            continue
        if term == "NOT":
            negate = True
            continue
        if term.startswith(("-", "+")):
            negate, term = term.startswith("-"), term[1:]
        key, sep, value = term.partition(":")
        value = value.strip('"')
        if not sep:
            raise SearchQueryError(term)
        if key in FACETS and documents:
            facet_terms.append((key, value, negate))
            negate = False
            continue
        if key in FACETS:
            term_q = Q(
                pk__in=FacetValue.objects.filter(facet=key, value=value).values("dataset_id")
            )
        elif key in {"name", "id", "owner_org", "state"}:
            column = {"id": "pk", "owner_org": "owner_org_id"}.get(key, key)
            if key in {"id", "owner_org"} and as_uuid(value) is None:
                term_q = Q(pk__in=[])
            else:
                term_q = Q(**{column: value})
        elif key == "private":
            term_q = Q(private=value.lower() == "true")
        else:
            raise SearchQueryError(key)
        condition &= ~term_q if negate else term_q
        negate = False
    return condition, facet_terms


def package_search(
    user: Any,
    *,
    q: str = "",
    fq: str = "",
    rows: int = 10,
    start: int = 0,
    sort: str = "",
    facet_fields: Iterable[str] = (),
    facet_limit: int = 50,
    include_private: bool = False,
) -> SearchResult:
    # Conditions on the dataset, kept as a Q so that the search can join them (see matches).
    public = Q(state=State.ACTIVE) & Q(private=False)
    conditions = public
    if include_private and is_staff(user):
        private = _readable_private(user)
        readable = Q() if private is None else Q(private=False) | private
        conditions = Q(state=State.ACTIVE) & readable
    q = "" if q.strip() in {"", "*:*"} else q
    field_query = ""
    if ":" in q and not q.startswith('"'):
        # CKAN clients put field queries in q as well (q=tags:防災).
        field_query, q = q, ""
    terms = search.query(q) if q else None
    facet_terms: list[tuple[str, str, bool]] = []
    for filters in (fq, field_query):
        if filters:
            condition, found = _parse_fq(filters, documents=terms is not None)
            conditions &= condition
            facet_terms += found
    wanted = [name for name in facet_fields if name in FACETS]
    facets: dict[str, dict[str, int]] = {name: {} for name in wanted}
    counts: Iterable[tuple[str, str, int]] = ()
    datasets = Dataset.objects.filter(conditions)
    order = _order(sort, terms is not None)
    if terms is None:
        count = datasets.count()
        ids = list(datasets.order_by(*order).values_list("pk", flat=True)[start : start + rows])
        if wanted and conditions == public:
            # The whole public catalog: its counts are kept up to date by the index.
            counts = FacetCount.objects.filter(facet__in=wanted).values_list(
                "facet", "value", "count"
            )
        elif wanted:
            counts = (
                FacetValue.objects.filter(facet__in=wanted, dataset__in=datasets.values("pk"))
                .values("facet", "value")
                .annotate(n=Count("id"))
                .values_list("facet", "value", "n")
            )
    else:
        # One pass: every match with its score and facet values (a few thousand rows at most
        # for a real query), ranked and counted here.
        matched = search.matches(
            None if conditions == public else conditions,
            q,
            filters=facet_terms,
            with_facets=bool(wanted),
        )
        count = len(matched)
        if order is None:
            ids = [as_uuid(row[0]) for row in matched[start : start + rows]]
        else:
            ordered = datasets.filter(pk__in=search.matching(q, facet_terms)).order_by(*order)
            ids = list(ordered.values_list("pk", flat=True)[start : start + rows])
        if wanted:
            counts = _count_facets(row[2] for row in matched)
    for facet, value, n in sorted(counts, key=lambda c: (-c[2], c[1])):
        if facet in facets and len(facets[facet]) < facet_limit:
            facets[facet][value] = n
    return SearchResult(count=count, ids=ids, facets=facets)


def _count_facets(documents: Iterable[str]) -> list[tuple[str, str, int]]:
    # One split of all the documents' values together: a few thousand datasets in a few ms.
    joined = search.FACET_SEPARATOR.join(text for text in documents if text)
    counter = Counter(joined.split(search.FACET_SEPARATOR)) if joined else Counter()
    return [(*key.split(search.VALUE_SEPARATOR, 1), n) for key, n in counter.items()]


def _order(sort: str, ranked: bool) -> list[str] | None:
    if not sort:
        return None if ranked else ["-modified", "name"]
    order: list[str] = []
    for part in sort.split(","):
        key, _, direction = part.strip().partition(" ")
        if key not in SORTS:
            raise SearchQueryError(key)
        column = SORTS[key]
        if column is None:
            if ranked:
                return None
            column = "modified"
        order.append(f"-{column}" if direction.strip().lower() == "desc" else column)
    return [*order, "name"]


def search_facets(facets: dict[str, dict[str, int]]) -> dict[str, Any]:
    """CKAN's search_facets: each facet's items with a display name."""
    models = {"organization": Organization, "groups": Group}
    names: dict[str, dict[str, str]] = {
        facet: dict(
            models[facet].objects.filter(name__in=facets[facet]).values_list("name", "title_ja")
        )
        for facet in models
        if facets.get(facet)
    }
    if facets.get("license_id"):
        names["license_id"] = dict(
            License.objects.filter(pk__in=facets["license_id"]).values_list("id", "title_ja")
        )
    return {
        facet: {
            "title": facet,
            "items": [
                {"name": key, "display_name": names.get(facet, {}).get(key, key), "count": n}
                for key, n in counts.items()
            ],
        }
        for facet, counts in facets.items()
    }


def organizations_with_counts(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(state=State.ACTIVE).annotate(
        package_count=Count(
            "datasets", filter=Q(datasets__in=datasets_for(user).filter(private=False))
        )
    )


def groups_with_counts(user: Any) -> QuerySet[Group]:
    return Group.objects.filter(state=State.ACTIVE).annotate(
        package_count=Count("datasets", filter=Q(datasets__in=datasets_for(user)))
    )


def tag_names(query: str = "") -> list[str]:
    tags = Tag.objects.filter(datasets__state=State.ACTIVE, datasets__private=False).distinct()
    if query:
        tags = tags.filter(name__icontains=query)
    return list(tags.order_by("name").values_list("name", flat=True))


# ---------------------------------------------------------------------------------------------
# Explicit members of organizations (opendata.permissions says what their capacities allow)


def staff_account(key: str) -> Any:
    """A staff account of this portal's municipality by username or id, active or not (a
    member who has left can still be removed); None for residents and other cities' staff."""
    numeric = key.isdigit() and len(key) < 10  # a database id, not past the column's range
    accounts = User.objects.select_related("municipality").filter(
        kind=User.Kind.STAFF, municipality__code=settings.MADOGUCHI_MUNICIPALITY_CODE
    )
    return accounts.filter(Q(username=key) | Q(pk=int(key)) if numeric else Q(username=key)).first()


def members_of(organization: Organization) -> QuerySet[OrganizationMember]:
    return organization.members.select_related("user").order_by("user__username")


def member_dict(member: OrganizationMember) -> dict[str, Any]:
    """CKAN's member_dictize: the membership row as a dict."""
    return {
        "id": str(member.id),
        "group_id": str(member.organization_id),
        "table_id": str(member.user_id),
        "table_name": "user",
        "capacity": member.capacity,
        "state": "active",
    }
