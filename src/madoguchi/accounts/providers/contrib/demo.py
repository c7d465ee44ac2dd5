"""The demo provider: pick one of the demo residents and you are logged in as them.

It exists so that the demo needs nothing else to run. It is clearly labelled on every page it
shows, refuses to run in production, and only logs in accounts the demo data marked as demo.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from madoguchi.accounts import assurance, services
from madoguchi.accounts.models import User
from madoguchi.accounts.providers.base import ResidentAuthProvider
from madoguchi.accounts.providers.registry import register
from madoguchi.accounts.redirects import safe_next_url


@register
class DemoProvider(ResidentAuthProvider):
    key = "demo"
    label = _("デモ用ログイン")
    description = _("デモ用の住民を選んでログインします。実際の本人確認は行いません。")
    is_demo = True
    # The demo stands in for the My Number card login, so that every procedure can be tried.
    max_assurance = assurance.HIGH

    def start_url(self, next_url: str, *, assurance: str = "") -> str:
        query = {"next": next_url, **({"assurance": assurance} if assurance else {})}
        return f"{reverse('accounts:demo-login')}?{urlencode(query)}"

    def urls(self) -> list[URLPattern]:
        return [path("", demo_login, name="demo-login")]


@require_http_methods(["GET", "POST"])
def demo_login(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE or "demo" not in settings.MADOGUCHI_RESIDENT_AUTH_PROVIDERS:
        raise PermissionDenied
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        user = get_object_or_404(
            User, pk=request.POST.get("user"), is_demo=True, kind=User.Kind.RESIDENT
        )
        services.log_in_resident(request, user, provider="demo", level=assurance.HIGH)
        return redirect(next_url)
    residents = (
        User.objects.filter(is_demo=True, kind=User.Kind.RESIDENT, person__isnull=False)
        .select_related("person__household__ward")
        .order_by("person__household__ward__local_government_code", "id")
    )
    return render(request, "accounts/demo_login.html", {"residents": residents, "next": next_url})
