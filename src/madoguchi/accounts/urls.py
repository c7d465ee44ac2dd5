from django.urls import include, path

from .providers import registry
from .views import oidc, resident, staff

app_name = "accounts"

urlpatterns = [
    path("login/", resident.resident_login, name="resident-login"),
    path("staff/login/", staff.StaffLoginView.as_view(), name="staff-login"),
    path("staff/code/", staff.one_time_code, name="staff-otp"),
    path("staff/code/qr.svg", staff.one_time_code_qr, name="staff-otp-qr"),
    path("logout/", resident.logout_view, name="logout"),
    # OpenID Connect providers configured in settings share these two pages.
    path("login/oidc/<slug:key>/", oidc.start, name="oidc-start"),
    path("login/oidc/<slug:key>/callback/", oidc.callback, name="oidc-callback"),
    # Each provider with its own pages (the demo picker) mounts them under its key.
    *[
        path(f"login/{provider.key}/", include(provider.urls()))
        for provider in registry.all_registered()
    ],
]
