from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY

from . import assurance


@receiver(user_logged_in)
def remember_assurance(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Keep the level of assurance of this login in the new session. It is passed on the user
    object (``login_assurance``), as django-otp passes ``otp_device``, so that every way of
    logging in, including the test client's force_login, records it the same way."""
    level = getattr(user, "login_assurance", "")
    if level and request is not None and hasattr(request, "session"):
        assurance.remember(request, level)


@receiver(user_logged_in)
def start_staff_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A staff session's idle timer starts at login (see StaffIdleTimeoutMiddleware)."""
    if getattr(user, "is_city_staff", False) and request is not None:
        from . import staff_auth

        staff_auth.touch(request)


@receiver(user_logged_in)
def keep_verified_device(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """django-otp's own receiver needs ``request.user``, which a login outside a view (the
    test client's force_login) lacks; the device is the user's own, so keep it the same way."""
    device = getattr(user, "otp_device", None)
    if device is not None and device.user_id == user.pk and hasattr(request, "session"):
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
