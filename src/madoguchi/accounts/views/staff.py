"""Staff login: password, then a TOTP code (set up on first login), or the city's IdP."""

import segno
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.core.ratelimits import login_ratelimit

from .. import oidc, staff_auth
from ..forms import OneTimeCodeForm, StaffLoginForm
from ..redirects import safe_next_url


@method_decorator(login_ratelimit, name="post")
class StaffLoginView(LoginView):
    template_name = "accounts/staff_login.html"
    authentication_form = StaffLoginForm

    def get_default_redirect_url(self) -> str:
        return "/staff/"

    def form_valid(self, form: StaffLoginForm) -> HttpResponse:
        return staff_auth.password_or_idp_passed(
            self.request,
            form.get_user(),
            next_url=self.get_success_url(),
            second_factor_done=False,
            method="password",
        )

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["idp_providers"] = oidc.configured("staff").values()
        return context


def _first_factor_only(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and user.is_city_staff


@never_cache
@require_http_methods(["GET", "POST"])
@login_ratelimit
def one_time_code(request: HttpRequest) -> HttpResponse:
    """The second factor. Without a confirmed authenticator yet, the staff member sets one up
    here: scan the QR code (or type the key), then confirm with its first code."""
    if not _first_factor_only(request):
        return redirect("accounts:staff-login")
    next_url = safe_next_url(
        request, request.POST.get("next") or request.GET.get("next"), "/staff/"
    )
    if staff_auth.is_verified(request):
        return redirect(next_url)
    device = staff_auth.confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = staff_auth.pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if setting_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        staff_auth.second_factor_passed(request, device)
        return redirect(next_url)
    demo_code = (
        staff_auth.current_code(device) if settings.DEMO_MODE and request.user.is_demo else ""
    )
    return render(
        request,
        "accounts/staff_otp.html",
        {
            "form": form,
            "next": next_url,
            "setting_up": setting_up,
            "secret": _grouped(device.config_url) if setting_up else "",
            "demo_code": demo_code,
        },
    )


def _grouped(config_url: str) -> str:
    """The base32 key from the otpauth URL, in groups of four for typing by hand."""
    secret = config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_GET
def one_time_code_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up (never of a confirmed one)."""
    if not _first_factor_only(request) or staff_auth.confirmed_device(request.user):
        return HttpResponse(status=404)
    device = staff_auth.pending_device(request.user)
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
