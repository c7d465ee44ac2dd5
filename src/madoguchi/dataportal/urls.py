from django.urls import path

from .views import public

app_name = "dataportal"

urlpatterns = [
    path("", public.search, name="search"),
    path("dataset/<slug:name>/", public.dataset_detail, name="dataset"),
    path(
        "dataset/<slug:name>/resource/<str:resource_id>/",
        public.resource_detail,
        name="resource",
    ),
]
