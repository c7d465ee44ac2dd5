from django.urls import path

from . import feeds
from .views import developers, public

app_name = "dataportal"

urlpatterns = [
    path("", public.search, name="search"),
    path("api/", developers.api_guide, name="api"),
    path("feed/", feeds.CatalogChanges(), name="feed"),
    path("dataset/<slug:name>/", public.dataset_detail, name="dataset"),
    path("dataset/<slug:name>/feed/", feeds.DatasetChanges(), name="dataset-feed"),
    path(
        "dataset/<slug:name>/resource/<str:resource_id>/",
        public.resource_detail,
        name="resource",
    ),
]
