"""Production refuses demo secrets and passes Django's deployment checks."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = "<unset>"
# Production's own keys for the encryption of My Number and its lookup digests.
KEYS = {
    "MADOGUCHI_ENCRYPTION_KEYS": f"prod-1:{base64.urlsafe_b64encode(os.urandom(32)).decode()}",
    "MADOGUCHI_LOOKUP_KEY": secrets.token_urlsafe(40),
}


def _production(
    tmp_path: Path, *args: str, secret_key: str = "", **extra: str
) -> subprocess.CompletedProcess:
    """Run manage.py in a clean production environment; ``UNSET`` leaves SECRET_KEY out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MADOGUCHI_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="madoguchi.conf.base",
        MADOGUCHI_ENV="production",
        ALLOWED_HOSTS="madoguchi.city.example.jp",
        MADOGUCHI_VAR_DIR=str(tmp_path),
        **{**KEYS, **extra},
    )
    env.pop("SECRET_KEY", None)
    if secret_key != UNSET:
        env["SECRET_KEY"] = secret_key or secrets.token_urlsafe(60)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy(tmp_path: Path) -> None:
    result = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_demo_secret(tmp_path: Path) -> None:
    from madoguchi.conf.base import DEMO_SECRET_KEY

    result = _production(tmp_path, "check", secret_key=DEMO_SECRET_KEY)
    assert result.returncode != 0
    assert "Production refuses the demo SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    result = _production(tmp_path, "check", secret_key=UNSET)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_never_seeds_demo_data(tmp_path: Path) -> None:
    result = _production(tmp_path, "seed_demo")
    assert result.returncode != 0
    assert "never loaded outside demo mode" in result.stderr


def test_production_refuses_the_demo_encryption_key(tmp_path: Path) -> None:
    from madoguchi.conf.base import DEMO_ENCRYPTION_KEY

    result = _production(tmp_path, "check", MADOGUCHI_ENCRYPTION_KEYS=DEMO_ENCRYPTION_KEY)
    assert result.returncode != 0
    assert "the demo keys are refused" in result.stderr


def test_production_sends_security_headers(tmp_path: Path) -> None:
    """HSTS, secure cookies and the CSP without unsafe-inline, as the production settings say."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = _production(tmp_path, "shell", "-c", code)
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "31536000 True True [\"'self'\"]", result.stderr


def _redis_url() -> str:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("No Redis server on 127.0.0.1:6379 (CI machines run one)")
    return "redis://127.0.0.1:6379/14"


def test_a_redis_cache_counts_rate_limits_across_worker_processes(tmp_path: Path) -> None:
    """With MADOGUCHI_CACHE_URL, each gunicorn worker is its own process: a limit of 3 a minute
    holds for the account however its requests are spread over them, and sessions are read
    from Redis before the database."""
    account = secrets.token_hex(8)
    code = (
        "from django.conf import settings as s; "
        "from django.test import RequestFactory; "
        "from django_ratelimit.core import is_ratelimited; "
        "r = RequestFactory().post('/'); "
        f"print([is_ratelimited(r, group='submission', key=lambda g, r: '{account}', "
        "rate='3/m', method='POST', increment=True) for _ in range(2)], "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], s.SESSION_ENGINE.rsplit('.', 1)[-1])"
    )
    url = _redis_url()
    first, second = (
        _production(tmp_path, "shell", "-c", code, MADOGUCHI_CACHE_URL=url) for _ in range(2)
    )
    assert first.stdout.strip().splitlines()[-1] == "[False, False] RedisCache cached_db", (
        first.stderr
    )
    assert second.stdout.strip().splitlines()[-1] == "[False, True] RedisCache cached_db", (
        second.stderr
    )
