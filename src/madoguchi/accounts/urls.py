from django.urls import include, path

from . import views
from .providers import registry

app_name = "accounts"

urlpatterns = [
    path("login/", views.resident_login, name="resident-login"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("logout/", views.logout_view, name="logout"),
    # Each provider mounts its own pages (a picker, an OIDC callback) under its key.
    *[
        path(f"login/{provider.key}/", include(provider.urls()))
        for provider in registry.all_registered()
    ],
]
