from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The pages city staff work in: section queues and case handling."""

    name = "madoguchi.staff"
    label = "staff"
    verbose_name = _("職員向け画面")
