from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import StaffLoginForm
from .providers import registry
from .redirects import safe_next_url


def resident_login(request: HttpRequest) -> HttpResponse:
    """The resident's login page: one button per enabled authentication provider."""
    next_url = safe_next_url(request, request.GET.get("next"))
    return render(
        request,
        "accounts/resident_login.html",
        {"providers": registry.enabled(), "next": next_url},
    )


class StaffLoginView(LoginView):
    template_name = "accounts/staff_login.html"
    authentication_form = StaffLoginForm

    def get_default_redirect_url(self) -> str:
        return "/staff/"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    was_staff = request.user.is_authenticated and request.user.is_city_staff
    logout(request)
    return redirect("accounts:staff-login" if was_staff else "portal:home")
