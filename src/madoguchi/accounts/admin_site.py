"""The admin site, for staff who passed the second factor only; its login is the staff login."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from . import staff_auth

        return super().has_permission(request) and staff_auth.is_verified(request)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        target = "accounts:staff-otp" if request.user.is_authenticated else "accounts:staff-login"
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")


class MadoguchiAdminConfig(AdminConfig):
    default_site = "madoguchi.accounts.admin_site.VerifiedAdminSite"
