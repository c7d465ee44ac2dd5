"""Rebuild the search index (grams and facet values) of every dataset, e.g. after an upgrade
that changed how datasets are indexed."""

from typing import Any

from django.core.management.base import BaseCommand

from madoguchi.opendata import search, selectors
from madoguchi.opendata.models import Dataset


class Command(BaseCommand):
    help = "Rebuild the open data search index of every dataset."

    def handle(self, *args: Any, **options: Any) -> None:
        datasets = selectors.with_relations(Dataset.objects.order_by("pk"))
        count = 0
        for dataset in datasets.iterator(chunk_size=500):
            search.index(dataset)
            count += 1
        self.stdout.write(f"{count} datasets indexed")
