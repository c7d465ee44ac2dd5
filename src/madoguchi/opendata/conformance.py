"""Marking resources and datasets that conform to a 自治体標準オープンデータセット.

A resource records the standard it was checked against, the version of its definition (when the
schema names one) and the result in its extras (CKAN clients see them as resource fields); a
dataset conforms when it has at least one checked resource and every checked resource conforms.
A revised definition then does not silently reinterpret an earlier mark.
"""

from typing import Any

from django.db import transaction

from .models import Dataset, Resource
from .standards import Report, validate_csv


def check(resource: Resource, key: str) -> Report:
    with resource.upload.open("rb") as stored:
        return validate_csv(stored.read(), key)


STANDARD_KEYS = ("standard", "standard_conforms", "standard_version")


@transaction.atomic
def record(user: Any, resource: Resource, report: Report) -> None:
    from . import search, services

    extras = without_marks(resource.extras)
    resource.extras = {**extras, "standard": report.standard.key, "standard_conforms": report.valid}
    if report.standard.version:
        resource.extras["standard_version"] = report.standard.version
    Resource.objects.filter(pk=resource.pk).update(extras=resource.extras)
    dataset = Dataset.objects.select_for_update().get(pk=resource.dataset_id)
    changed = update_dataset(dataset)
    # The resource's mark is in the dataset's package dict, which search results are read from.
    search.index(dataset)
    if changed:
        services.record_revision(dataset, user)


def without_marks(extras: dict[str, Any] | None) -> dict[str, Any]:
    """Extras without a standard check's mark (a new file has not been checked)."""
    return {k: v for k, v in (extras or {}).items() if k not in STANDARD_KEYS}


def update_dataset(dataset: Dataset) -> bool:
    """Set the dataset's mark from its resources' (none when no resource is checked any more);
    whether it changed."""
    checked = [r.extras for r in dataset.resources.all() if (r.extras or {}).get("standard")]
    extras = without_marks(dataset.extras)
    if checked:
        extras["standard"] = checked[0]["standard"]
        extras["standard_conforms"] = all(e.get("standard_conforms") for e in checked)
        if checked[0].get("standard_version"):
            extras["standard_version"] = checked[0]["standard_version"]
    if extras == dataset.extras:
        return False
    Dataset.objects.filter(pk=dataset.pk).update(extras=extras)
    dataset.extras = extras
    return True
