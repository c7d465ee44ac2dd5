from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "madoguchi.opendata"
    label = "opendata"
    verbose_name = _("オープンデータ")

    def ready(self) -> None:
        # Deletes that bypass the services (the admin, cascades) keep the index and the
        # datastore tables right too.
        from . import datastore, search
        from .models import Dataset, Resource

        def unindex(sender: Any, instance: Dataset, **kwargs: Any) -> None:
            search.unindex(instance)

        def drop_table(sender: Any, instance: Resource, **kwargs: Any) -> None:
            datastore.drop_table(instance)

        pre_delete.connect(unindex, sender=Dataset, weak=False, dispatch_uid="opendata_unindex")
        post_delete.connect(
            drop_table, sender=Resource, weak=False, dispatch_uid="opendata_drop_table"
        )
