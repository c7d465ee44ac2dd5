"""Who may open which pages: residents and staff never share a page, and staff pages need the
second factor."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import assurance, staff_auth

View = Callable[..., HttpResponse]


def resident_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:resident-login"))
        if not user.is_resident:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:staff-login"))
        if not user.is_city_staff:
            raise PermissionDenied
        if not staff_auth.is_verified(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:staff-otp')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


def step_up_redirect(request: HttpRequest, minimum: str, next_url: str) -> HttpResponse | None:
    """A redirect to log in again at ``minimum`` when this login's level is lower, else None."""
    if assurance.at_least(assurance.current(request), minimum):
        return None
    query = urlencode({"next": next_url, "assurance": minimum})
    return redirect(f"{reverse('accounts:resident-login')}?{query}")
