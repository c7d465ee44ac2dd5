"""Harvesting: importing the catalog of another portal that speaks the CKAN Action API
(CKAN itself, or another Madoguchi) into one local organization, and keeping it up to date.

Each harvested dataset remembers where it came from in its extras (``harvest_source``,
``harvest_id``, ``harvest_metadata_modified``). A run reads the source's datasets newest first
(``sort=metadata_modified desc``) and stops at the first one not newer than what was already
harvested from that source, so a second run fetches only what changed; ``package_list`` tells
which datasets the source no longer has, and those are marked deleted here. Files are not
copied: resources link to the source's URLs.
"""

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError
from requests import RequestException

from . import services
from .models import Dataset, License, Organization, State

logger = logging.getLogger(__name__)

PAGE = 100
USER_AGENT = "Madoguchi-harvester/1.0 (+https://github.com/madoguchi)"
OWN_EXTRAS = {
    "harvest_source",
    "harvest_id",
    "harvest_name",
    "harvest_metadata_modified",
    "harvest_url",
    "harvest_organization",
}


@dataclass
class HarvestResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    errors: list[str] | None = None


class HarvestError(Exception):
    pass


def harvested_from(source: str) -> "Any":
    return Dataset.objects.filter(extras__harvest_source=source)


def watermark(source: str) -> str:
    """The newest ``metadata_modified`` already harvested from ``source`` (ISO text, sortable)."""
    values = harvested_from(source).values_list("extras__harvest_metadata_modified", flat=True)
    return max((v for v in values if v), default="")


def harvest(source: str, organization: Organization, *, user: Any = None) -> HarvestResult:
    source = source.rstrip("/")
    remote = RemoteCKAN(source, user_agent=USER_AGENT)
    result = HarvestResult(errors=[])
    since = watermark(source)
    try:
        start = 0
        done = False
        while not done:
            page = remote.action.package_search(
                q="*:*", rows=PAGE, start=start, sort="metadata_modified desc"
            )
            for package in page["results"]:
                if since and package["metadata_modified"] <= since:
                    done = True
                    break
                _import(source, organization, package, user, result)
            start += PAGE
            done = done or start >= page["count"] or not page["results"]
        names = set(remote.action.package_list())
    except (CKANAPIError, RequestException) as error:
        raise HarvestError(f"{source}: {error}") from error
    for dataset in harvested_from(source).filter(state=State.ACTIVE):
        if dataset.extras.get("harvest_name") not in names:
            services.delete_dataset(user, dataset)
            result.deleted += 1
    return result


def _local_name(package: dict[str, Any], existing: Dataset | None) -> str:
    if existing is not None:
        return existing.name
    name = package["name"]
    if not Dataset.objects.filter(name=name).exists():
        return name
    # Taken here by a dataset of our own or of another source: keep it unique and stable.
    suffix = hashlib.sha256(package["id"].encode()).hexdigest()[:6]
    return f"{name[:93]}-{suffix}"


def _import(
    source: str,
    organization: Organization,
    package: dict[str, Any],
    user: Any,
    result: HarvestResult,
) -> None:
    existing = harvested_from(source).filter(extras__harvest_id=package["id"]).first()
    license_id = package.get("license_id") or ""
    remote_extras = {
        e["key"]: e["value"]
        for e in package.get("extras", [])
        if isinstance(e, dict) and e.get("key") not in OWN_EXTRAS
    }
    extras = {
        **remote_extras,
        "harvest_source": source,
        "harvest_id": package["id"],
        "harvest_name": package["name"],
        "harvest_metadata_modified": package["metadata_modified"],
        "harvest_url": f"{source}/dataset/{package['name']}",
        "harvest_organization": (package.get("organization") or {}).get("title", ""),
    }
    data = {
        "name": _local_name(package, existing),
        "title": package.get("title") or package["name"],
        "title_en": (package.get("title_translated") or {}).get("en", ""),
        "notes": package.get("notes") or "",
        "notes_en": (package.get("notes_translated") or {}).get("en", ""),
        "owner_org": organization.name,
        "license_id": license_id if License.objects.filter(pk=license_id).exists() else "",
        "url": package.get("url") or "",
        "version": package.get("version") or "",
        "tags": [{"name": t["name"]} for t in package.get("tags", [])],
        "frequency": package.get("frequency") or "",
        "spatial": package.get("spatial") or "",
        "temporal_start": package.get("temporal_start") or "",
        "temporal_end": package.get("temporal_end") or "",
        "contact_name": package.get("contact_name") or package.get("maintainer") or "",
        "contact_email": package.get("contact_email") or package.get("maintainer_email") or "",
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
        "resources": [
            {
                "name": r.get("name") or "",
                "description": r.get("description") or "",
                "format": r.get("format") or "",
                "url": r["url"],
            }
            for r in package.get("resources", [])
            if r.get("url")
        ],
    }
    try:
        services.save_dataset(user, data, existing)
    except services.ValidationFailed as failed:
        # One bad record must not stop the others; the run reports it.
        result.errors.append(f"{package['name']}: {failed.errors}")
        return
    if existing is None:
        result.created += 1
    else:
        result.updated += 1
