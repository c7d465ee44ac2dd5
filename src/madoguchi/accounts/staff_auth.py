"""Staff authentication: a password (or the city's IdP), then a second factor, and a session
that ends after a quiet spell. Staff pages check ``is_verified``."""

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.audit import services as audit

from .models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
IDP_SECOND_FACTOR = "madoguchi_staff_idp_mfa"
LAST_SEEN = "madoguchi_staff_last_seen"


def is_verified(request: HttpRequest) -> bool:
    """The staff member passed a second factor: a TOTP code here, or MFA at the city's IdP."""
    user = request.user
    if not (user.is_authenticated and user.is_city_staff):
        return False
    return bool(getattr(user, "is_verified", lambda: False)()) or bool(
        request.session.get(IDP_SECOND_FACTOR)
    )


def password_or_idp_passed(
    request: HttpRequest, user: User, *, next_url: str, second_factor_done: bool, method: str
) -> HttpResponse:
    """The first factor passed: log in, then ask for the second unless the IdP already did."""
    login(request, user, backend=MODEL_BACKEND)
    touch(request)
    audit.record(actor=user, action="login", target=user, detail={"method": method})
    if second_factor_done:
        request.session[IDP_SECOND_FACTOR] = method
        return redirect(next_url)
    return redirect(f"{reverse('accounts:staff-otp')}?{urlencode({'next': next_url})}")


def second_factor_passed(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    audit.record(actor=request.user, action="login", target=request.user, detail={"method": "totp"})


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The device being set up: made once, shown until its first code is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Madoguchi", confirmed=False)


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now. Only the labelled demo shows it, for demo accounts."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def touch(request: HttpRequest) -> None:
    request.session[LAST_SEEN] = int(time.time())


def idle_expired(request: HttpRequest) -> bool:
    last_seen = request.session.get(LAST_SEEN)
    return last_seen is None or time.time() - last_seen > settings.MADOGUCHI_STAFF_IDLE_SECONDS


def log_out(request: HttpRequest) -> None:
    logout(request)
