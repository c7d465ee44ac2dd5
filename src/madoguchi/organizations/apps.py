from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "madoguchi.organizations"
    label = "organizations"
    verbose_name = _("組織")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  names the site after the home municipality
