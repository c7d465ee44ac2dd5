"""Rate limits (django-ratelimit) on logins, submissions and the public API.

Rates come from settings so that a deployment (and a test) can set them; a refused request gets
429 with a clear page or JSON, and a Retry-After header.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

View = Callable[..., Any]


def _rate(name: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: getattr(settings, name)


def _client_address(group: str, request: HttpRequest) -> str:
    # The first address of a proxy header such as X-Forwarded-For, or REMOTE_ADDR.
    value = request.META.get(settings.RATELIMIT_IP_META_KEY, "") or ""
    return f"ip:{value.split(',')[0].strip()}"


def _user_or_ip(group: str, request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return _client_address(group, request)


def login_ratelimit(view: View) -> View:
    """Per client address, on every login step (password, code, provider start and callback)."""
    return ratelimit(
        group="login", key=_client_address, rate=_rate("MADOGUCHI_RATE_LOGIN"), method=ALL
    )(view)


def submission_ratelimit(view: View) -> View:
    """Per account, on the POSTs that write an application."""
    return ratelimit(
        group="submission", key=_user_or_ip, rate=_rate("MADOGUCHI_RATE_SUBMISSION"), method="POST"
    )(view)


class ApiRateLimitMiddleware:
    """Per client address, on every JSON API under /api/ (whichever app's router serves it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/") and is_ratelimited(
            request,
            group="api",
            key=_client_address,
            rate=_rate("MADOGUCHI_RATE_API"),
            method=ALL,
            increment=True,
        ):
            response = JsonResponse(
                {
                    "detail": _(
                        "短時間に多くのリクエストがありました。しばらくしてから、もう一度お試しください。"
                    )
                },
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
