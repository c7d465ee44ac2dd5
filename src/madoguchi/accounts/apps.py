from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "madoguchi.accounts"
    label = "accounts"
    verbose_name = _("アカウント")

    def ready(self) -> None:
        from . import signals  # noqa: F401  connects the login receivers
        from .providers.contrib import demo, oidc  # noqa: F401  registers the providers
