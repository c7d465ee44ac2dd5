"""Atom feeds of the catalog's changes (Django's syndication framework): every saved version of
a public dataset, newest first, with what it changed, so that a reuser learns that 避難所 data
was updated without checking the portal. One feed for the whole catalog, one per dataset."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from madoguchi.opendata import history, selectors
from madoguchi.opendata.models import Dataset, DatasetRevision

from .views.public import public_dataset_or_404

LIMIT = 50


class CatalogChanges(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("オープンデータの更新情報")

    def subtitle(self) -> str:
        return _("公開しているデータセットの新しい版（新しい順）")

    def link(self) -> str:
        return reverse("dataportal:search")

    def items(self) -> list[tuple[DatasetRevision, list[str]]]:
        public = DatasetRevision.objects.filter(dataset__in=selectors.datasets_for(None))
        found = public.select_related("dataset").order_by("-created")[:LIMIT]
        return history.with_changes(list(found))

    def item_title(self, item: tuple[DatasetRevision, list[str]]) -> str:
        revision, _changes = item
        return _("%(title)s（版 %(number)s）") % {
            "title": revision.dataset.display_title,
            "number": revision.number,
        }

    def item_description(self, item: tuple[DatasetRevision, list[str]]) -> str:
        return _("、").join(item[1])

    def item_link(self, item: tuple[DatasetRevision, list[str]]) -> str:
        return reverse("dataportal:dataset", args=[item[0].dataset.name])

    def item_guid(self, item: tuple[DatasetRevision, list[str]]) -> str:
        return f"urn:uuid:{item[0].dataset_id}:{item[0].number}"

    item_guid_is_permalink = False

    def item_updateddate(self, item: tuple[DatasetRevision, list[str]]) -> Any:
        return item[0].created

    def item_pubdate(self, item: tuple[DatasetRevision, list[str]]) -> Any:
        return item[0].created


class DatasetChanges(CatalogChanges):
    def get_object(self, request: HttpRequest, name: str) -> Dataset:
        return public_dataset_or_404(name)

    def title(self, dataset: Dataset) -> str:
        return _("「%(title)s」の更新情報") % {"title": dataset.display_title}

    def subtitle(self, dataset: Dataset) -> str:
        return _("このデータセットの新しい版（新しい順）")

    def link(self, dataset: Dataset) -> str:
        return reverse("dataportal:dataset", args=[dataset.name])

    def items(self, dataset: Dataset) -> list[tuple[DatasetRevision, list[str]]]:
        return history.recent(dataset, limit=LIMIT)
