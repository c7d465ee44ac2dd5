"""Rebuild the search index (full-text documents, facet values and counts) of every dataset,
e.g. after an upgrade that changed how datasets are indexed."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from madoguchi.opendata import search


class Command(BaseCommand):
    help = "Rebuild the open data search index of every dataset."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = search.rebuild()
        self.stdout.write(f"{count} datasets indexed")
