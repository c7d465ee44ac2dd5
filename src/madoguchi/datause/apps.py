from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataUseConfig(AppConfig):
    name = "madoguchi.datause"
    label = "datause"
    verbose_name = _("情報の利用記録")
