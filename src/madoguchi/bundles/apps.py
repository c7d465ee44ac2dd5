from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "madoguchi.bundles"
    label = "bundles"
    verbose_name = _("ワンストップ手続")
