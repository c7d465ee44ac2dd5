"""Machine-readable metadata: the same in every language, so outside the language prefix."""

from django.urls import path

from .views import rdf

app_name = "dcat"

urlpatterns = [
    path("catalog.<str:fmt>", rdf.catalog_rdf, name="catalog"),
    path("dataset/<slug:name>.<str:fmt>", rdf.dataset_rdf, name="dataset"),
    path("standards/<slug:key>.json", rdf.standard_schema, name="standard"),
]
