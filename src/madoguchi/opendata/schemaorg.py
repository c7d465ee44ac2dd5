"""schema.org Dataset JSON-LD for a dataset page, the form search engines index
(Google Dataset Search reads schema.org/Dataset)."""

import json
from collections.abc import Callable

from madoguchi.opendata.models import Dataset, Resource


def dataset_jsonld(
    dataset: Dataset,
    *,
    url: str,
    download: Callable[[Resource], str],
) -> dict:
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "identifier": str(dataset.id),
        "name": dataset.display_title,
        "description": dataset.notes_en
        if dataset.display_title == dataset.title_en
        else dataset.notes,
        "inLanguage": "ja",
        "dateCreated": dataset.created.isoformat(),
        "dateModified": dataset.modified.isoformat(),
        "keywords": [tag.name for tag in dataset.tags.all()],
        "creator": {"@type": "Organization", "name": dataset.owner_org.title},
        "isAccessibleForFree": True,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": resource.name,
                "encodingFormat": resource.mimetype or resource.format,
                "contentUrl": download(resource) if resource.upload else resource.url,
            }
            for resource in dataset.resources.all()
            if resource.upload or resource.url
        ],
    }
    # Search engines want a description of at least 50 characters; fall back to the title.
    data["description"] = data["description"] or dataset.title
    if dataset.license and dataset.license.url:
        data["license"] = dataset.license.url
    if dataset.spatial:
        data["spatialCoverage"] = dataset.spatial
    if dataset.temporal_start:
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        data["temporalCoverage"] = f"{dataset.temporal_start.isoformat()}/{end}"
    if dataset.version:
        data["version"] = dataset.version
    return data


def script_text(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> element: '<' escaped so that no value
    can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
