from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Fees paid online through a payment provider (plugins in ``providers.registry``)."""

    name = "madoguchi.payments"
    label = "payments"
    verbose_name = _("手数料の支払")

    def ready(self) -> None:
        from . import guards  # noqa: F401  an unpaid fee stops the submission
