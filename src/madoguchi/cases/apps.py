from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "madoguchi.cases"
    label = "cases"
    verbose_name = _("案件")

    def ready(self) -> None:
        from . import registration  # noqa: F401  opens a case for every submission
