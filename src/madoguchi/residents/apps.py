from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "madoguchi.residents"
    label = "residents"
    verbose_name = _("住民記録")

    def ready(self) -> None:
        from . import choice_sources, prefill  # noqa: F401  registers the registry's sources
