"""Test settings: the base settings with fast hashing, a private temporary var dir, and the
loopback OpenID Connect provider that tests/oidc/provider.mjs runs (started by a fixture)."""

import os
import socket
import tempfile


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


os.environ.setdefault("MADOGUCHI_ENV", "test")
# Each pytest-xdist worker inherits the controller's environment but needs its own var dir and
# its own loopback identity provider port.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("MADOGUCHI_TEST_WORKER") != _worker:
    os.environ["MADOGUCHI_TEST_WORKER"] = _worker
    os.environ["MADOGUCHI_VAR_DIR"] = tempfile.mkdtemp(prefix=f"madoguchi-test-{_worker}-")
    os.environ["MADOGUCHI_TEST_IDP_PORT"] = str(_free_port())
os.environ.setdefault("MADOGUCHI_VAR_DIR", tempfile.mkdtemp(prefix="madoguchi-test-"))
os.environ.setdefault("MADOGUCHI_TEST_IDP_PORT", str(_free_port()))

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# One process: the live server's threads and the tests share this cache (cleared per test).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

TEST_IDP = {
    "issuer": f"http://127.0.0.1:{os.environ['MADOGUCHI_TEST_IDP_PORT']}",
    "client_id": "madoguchi-test",
    "client_secret": "madoguchi-test-secret",
    "label_ja": "テスト用IdP（マイナンバーカード）",
    "label_en": "Test IdP (My Number card)",
    "assurance_by_amr": {"hwk": "high", "pwd": "low"},
    "acr_for_assurance": {"high": "urn:madoguchi:test:mynumber-card"},
}
MADOGUCHI_OIDC_PROVIDERS = {"test-idp": TEST_IDP}
MADOGUCHI_RESIDENT_AUTH_PROVIDERS = ["demo", "test-idp"]
