from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataportalConfig(AppConfig):
    """The open data portal's pages: public search, dataset and resource pages, RDF, and the
    staff pages that publish datasets."""

    name = "madoguchi.dataportal"
    label = "dataportal"
    verbose_name = _("オープンデータポータル")
