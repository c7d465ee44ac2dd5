from django.urls import path

from . import views

app_name = "ckan"

urlpatterns = [
    path("api/3/action/<str:name>", views.action, name="action"),
    path("api/action/<str:name>", views.action, name="action-unversioned"),
    path("api/3", views.api_version, name="version"),
    path(
        "dataset/<uuid:dataset_id>/resource/<uuid:resource_id>/download/<str:filename>",
        views.download,
        name="download",
    ),
]
