from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "madoguchi.cases"
    label = "cases"
    verbose_name = _("案件")

    def ready(self) -> None:
        from madoguchi.payments.signals import payment_paid

        from . import registration  # noqa: F401  opens a case for every submission
        from .receivers import on_payment_paid

        payment_paid.connect(on_payment_paid, dispatch_uid="cases.on_payment_paid")
