from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = i18n_patterns(
    path("", include("madoguchi.portal.urls")),
    path("accounts/", include("madoguchi.accounts.urls")),
    path("staff/", include("madoguchi.staff.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
