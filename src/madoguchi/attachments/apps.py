from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "madoguchi.attachments"
    label = "attachments"
    verbose_name = _("添付ファイル")

    def ready(self) -> None:
        from . import scanners, signals  # noqa: F401 - fill the scanner registry, connect

        scanners.register_scanner("eicar", scanners.EicarScanner)
        scanners.register_scanner("clamd", scanners.ClamdScanner)
