from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from madoguchi.core.hooks import register_header_hook

from .models import Municipality
from .selectors import home_municipality


@register_header_hook
def site_names(request: HttpRequest) -> dict[str, Any]:
    try:
        name = home_municipality().name
    except Municipality.DoesNotExist:
        name = "Madoguchi"
    return {
        "site_name": _("%(municipality)s オンライン窓口") % {"municipality": name},
        "site_footer": name,
    }
