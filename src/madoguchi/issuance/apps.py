from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuanceConfig(AppConfig):
    name = "madoguchi.issuance"
    label = "issuance"
    verbose_name = _("交付")

    def ready(self) -> None:
        from .documents import decision_notice, juminhyo  # noqa: F401  registers the types
