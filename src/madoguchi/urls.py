from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from madoguchi.api import api

urlpatterns = [
    # The API speaks JSON in either language (Accept-Language); no language prefix.
    path("api/v1/", api.urls),
    # The open data portal's CKAN action API and file downloads, at CKAN's own addresses.
    path("", include("madoguchi.opendata.ckan.urls")),
    # Payment providers call back here, signed; no language prefix.
    path("payments/", include("madoguchi.payments.urls")),
    # The sandbox provider's own pages, as if on another site.
    path("sandbox-pay/", include("madoguchi.payments.contrib.sandbox.urls")),
    # DCAT-AP metadata of the open data catalog; no language prefix.
    path("opendata/", include("madoguchi.dataportal.rdf_urls")),
]
urlpatterns += i18n_patterns(
    path("", include("madoguchi.portal.urls")),
    path("", include("madoguchi.bundles.urls")),
    path("accounts/", include("madoguchi.accounts.urls")),
    path("data-use/", include("madoguchi.datause.urls")),
    path("opendata/", include("madoguchi.dataportal.urls")),
    path("staff/opendata/", include("madoguchi.dataportal.staff_urls")),
    path("staff/", include("madoguchi.staff.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
