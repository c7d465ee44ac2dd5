"""The loopback OpenID Connect provider (tests/oidc/provider.mjs, panva/oidc-provider) as the
tests drive it: start it, give it accounts, sign in there as a person would, make it misbehave."""

import os
import select
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from django.conf import settings

from madoguchi.residents.models import Person

IDP_DIR = Path(__file__).resolve().parent / "oidc"


class LoopbackIdP:
    def __init__(self, port: int, *, client_id: str, client_secret: str) -> None:
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            ["node", "provider.mjs"],
            cwd=IDP_DIR,
            env={
                **os.environ,
                "PORT": str(port),
                "OIDC_CLIENTS": (
                    f'[{{"client_id": "{client_id}", "client_secret": "{client_secret}"}}]'
                ),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 1)
            if ready and self.process.stdout.readline().startswith("ready"):
                return
            if self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError("The loopback OIDC provider did not start (is `npm ci` done?)")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _control(self, path: str, payload: object = None) -> dict:
        response = requests.put(f"{self.issuer}/__test__/{path}", json=payload, timeout=10)
        response.raise_for_status()
        return response.json()

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        self._control("accounts", accounts)

    def tamper(self, mode: str) -> None:
        self._control("tamper", {"mode": mode})

    def rotate_keys(self) -> str:
        return requests.post(f"{self.issuer}/__test__/rotate", timeout=10).json()["kid"]

    def sign_in(self, authorize_url: str, login: str, *, method: str = "card") -> str:
        """Sign in at the provider as ``login`` with ``method`` (card or password) and return
        the callback URL the provider sends the browser back to."""
        assert authorize_url.startswith(self.issuer), authorize_url
        session = requests.Session()
        url, data = authorize_url, None
        for _hop in range(12):
            if data is None:
                response = session.get(url, allow_redirects=False, timeout=10)
            else:
                response = session.post(url, data=data, allow_redirects=False, timeout=10)
            data = None
            if response.status_code in (302, 303):
                url = requests.compat.urljoin(url, response.headers["Location"])
                if not url.startswith(self.issuer):
                    return url
            elif response.status_code == 200 and "/interaction/" in url:
                data = {"login": login, "method": method}
            else:
                raise AssertionError(f"{response.status_code} at {url}: {response.text[:300]}")
        raise AssertionError("Too many redirects at the provider")


def claims_for(person: Person, **changes: object) -> dict:
    """What a My Number card login reports about ``person`` (氏名・生年月日・住所), written the
    way the card does: a full-width space in the name, the whole address in one string."""
    household = person.household
    claims = {
        "name": f"{person.family_name}\u3000{person.given_name}",
        "family_name": person.family_name,
        "given_name": person.given_name,
        "birthdate": person.birth_date.isoformat(),
        "address": {"formatted": household.address},
        "email": f"{person.resident_code}@idp.example.jp",
        "email_verified": True,
    }
    claims.update(changes)
    return claims


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_idp_config() -> dict:
    return settings.MADOGUCHI_OIDC_PROVIDERS["test-idp"]
