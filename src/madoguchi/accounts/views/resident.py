from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import assurance
from ..providers import registry
from ..redirects import safe_next_url


@require_GET
def resident_login(request: HttpRequest) -> HttpResponse:
    """The resident's login page: one button per enabled authentication provider. With
    ``assurance`` (a procedure's minimum level), only the providers that can reach it."""
    next_url = safe_next_url(request, request.GET.get("next"))
    required = request.GET.get("assurance", "")
    required = required if required in assurance.LEVELS else ""
    providers = [
        provider
        for provider in registry.enabled()
        if assurance.at_least(provider.max_assurance, required)
    ]
    return render(
        request,
        "accounts/resident_login.html",
        {
            "providers": [(p, p.start_url(next_url, assurance=required)) for p in providers],
            "next": next_url,
            "required": assurance.label(required) if required else "",
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    was_staff = request.user.is_authenticated and request.user.is_city_staff
    logout(request)
    return redirect("accounts:staff-login" if was_staff else "portal:home")
