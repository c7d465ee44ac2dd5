from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import staff_auth


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after ``MADOGUCHI_STAFF_IDLE_SECONDS`` without a request, so that a
    screen left open at the counter does not stay logged in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_city_staff:
            if staff_auth.idle_expired(request):
                staff_auth.log_out(request)
                messages.info(request, _("一定時間操作がなかったため、ログアウトしました。"))
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:staff-login')}?{query}")
            staff_auth.touch(request)
        return self.get_response(request)
