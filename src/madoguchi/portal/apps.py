from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The resident-facing pages: catalog, applying, my applications, inbox."""

    name = "madoguchi.portal"
    label = "portal"
    verbose_name = _("住民向けポータル")

    def ready(self) -> None:
        from . import hooks  # noqa: F401
