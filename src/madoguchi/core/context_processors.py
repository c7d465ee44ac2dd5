from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from madoguchi.core.hooks import header_context


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page's header and footer need: the language switch and the demo banner."""
    path = request.get_full_path()
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
        **header_context(request),
    }
