from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation


class ApiLanguageMiddleware:
    """Pages take their language from the URL (/ or /en/); the API, which has no language
    prefix, from the Accept-Language header as HTTP clients send it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ``MADOGUCHI_MAX_REQUEST_BYTES``
    before reading it (Django's DATA_UPLOAD_MAX_MEMORY_SIZE still guards what is read)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MADOGUCHI_MAX_REQUEST_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)
