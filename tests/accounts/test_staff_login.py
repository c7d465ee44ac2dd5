"""Staff log in with a password and a TOTP code, are locked out after repeated failures, and are
logged out after a quiet spell; logins are rate limited; every page sends a strict CSP."""

import time

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts import staff_auth
from tests.factories import PASSWORD, current_totp

LOGIN = "/accounts/staff/login/"
CODE = "/accounts/staff/code/"


def _password(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_password_then_code_opens_the_queue(clerk) -> None:
    client = Client()
    assert _password(client, "nakagyo-clerk")["Location"] == f"{CODE}?next=%2Fstaff%2F"
    # The password alone opens no staff page.
    assert client.get("/staff/")["Location"].startswith(CODE)
    response = client.post(CODE, {"code": current_totp(clerk), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_is_explained_and_guessing_is_throttled(clerk) -> None:
    client = Client()
    _password(client, "nakagyo-clerk")
    wrong = client.post(CODE, {"code": "000000", "next": "/staff/"})
    assert "確認コードが正しくありません。" in wrong.content.decode()
    # django-otp then refuses codes for a growing delay, even the right one.
    throttled = client.post(CODE, {"code": current_totp(clerk), "next": "/staff/"})
    assert "しばらく入力できません" in throttled.content.decode()
    assert client.get("/staff/")["Location"].startswith(CODE)


def test_first_login_sets_up_the_authenticator(clerk) -> None:
    TOTPDevice.objects.filter(user=clerk).delete()
    client = Client()
    _password(client, "nakagyo-clerk")
    page = client.get(f"{CODE}?next=/staff/").content.decode()
    assert "認証アプリの設定" in page
    qr = client.get("/accounts/staff/code/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    client.post(CODE, {"code": staff_auth.current_code(device), "next": "/staff/"})
    assert TOTPDevice.objects.get(user=clerk).confirmed
    assert client.get("/staff/").status_code == 200
    # Once confirmed, the QR code is never shown again.
    assert client.get("/accounts/staff/code/qr.svg").status_code == 404


def test_repeated_wrong_passwords_lock_the_account(clerk, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(client, "nakagyo-clerk", "wrong")
    locked = _password(client, "nakagyo-clerk")  # even the right password now
    assert locked.status_code == 429
    assert "ログインを一時的に停止しました" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_idle_staff_session_ends(clerk, settings) -> None:
    client = Client()
    client.force_login(clerk)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session[staff_auth.LAST_SEEN] = int(time.time()) - settings.MADOGUCHI_STAFF_IDLE_SECONDS - 1
    session.save()
    response = client.get("/staff/")
    assert response["Location"] == f"{LOGIN}?next=%2Fstaff%2F"
    assert "一定時間操作がなかったため" in client.get(response["Location"]).content.decode()
    assert client.get("/staff/")["Location"].startswith(LOGIN)


def test_logins_are_rate_limited(clerk, settings) -> None:
    settings.MADOGUCHI_RATE_LOGIN = "3/d"
    client = Client()
    statuses = [_password(client, "nobody", "x").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "短時間に多くのリクエストがありました" in _password(client, "x", "y").content.decode()


def test_oversized_requests_are_refused(kyoto, settings) -> None:
    settings.MADOGUCHI_MAX_REQUEST_BYTES = 1000
    response = Client().post(LOGIN, {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "送信されたデータが大きすぎます" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(kyoto) -> None:
    policy = Client().get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
