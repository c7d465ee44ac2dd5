"""OpenID Connect relying party, on authlib: authorization-code flow with PKCE, state and nonce;
the ID token's signature (keys from the provider's JWKS, fetched again when an unknown key id
appears: key rotation) and claims (iss, aud, exp, iat, nonce) are checked by authlib.

Each provider is configured in ``settings.MADOGUCHI_OIDC_PROVIDERS`` by its issuer URL, client
id and secret (discovery finds the rest), so that several can run side by side: the Digital
Agency's デジタル認証アプリ, a prefecture's IdP, a city's own IdP for staff.
"""

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from joserfc.errors import JoseError

from . import assurance

logger = logging.getLogger(__name__)
CONTEXT_KEY = "madoguchi_oidc_{state}"
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class ProviderConfig:
    key: str
    issuer: str
    client_id: str
    client_secret: str
    label_ja: str = ""
    label_en: str = ""
    description_ja: str = ""
    description_en: str = ""
    scope: str = "openid profile address email"
    # Who logs in here: "residents" or "staff".
    audience: str = "residents"
    # Whether the provider verified name, birth date and address (e.g. from the My Number
    # card): only then may its claims link an account to a registry person.
    verified_claims: bool = True
    # Levels of assurance by the acr and amr claims; the highest match wins.
    assurance_by_acr: dict[str, str] = field(default_factory=dict)
    assurance_by_amr: dict[str, str] = field(default_factory=dict)
    default_assurance: str = assurance.LOW
    # Staff IdPs: the claim that names the staff account the first time.
    staff_username_claim: str = "preferred_username"
    # The acr_values to ask for when a procedure needs a level (step-up).
    acr_for_assurance: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, key: str, values: dict[str, Any]) -> "ProviderConfig":
        known = set(cls.__dataclass_fields__) - {"key"}
        return cls(key=key, **{name: value for name, value in values.items() if name in known})

    @property
    def max_assurance(self) -> str:
        return assurance.highest(
            [
                *self.assurance_by_acr.values(),
                *self.assurance_by_amr.values(),
                self.default_assurance,
            ]
        )

    def assurance_of(self, claims: dict[str, Any]) -> str:
        amr = claims.get("amr") or []
        matched = [self.assurance_by_acr.get(str(claims.get("acr", "")), "")]
        matched += [self.assurance_by_amr.get(str(method), "") for method in amr]
        return assurance.highest(matched, default=self.default_assurance)


class LoginFailed(Exception):
    """The login did not complete. ``reason``: ``unavailable`` (the provider cannot be reached),
    ``cancelled`` (the person stopped at the provider) or ``invalid`` (a response that failed a
    check: state, nonce, signature, expiry, issuer, audience)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def configured(audience: str | None = None) -> dict[str, ProviderConfig]:
    providers = {
        key: ProviderConfig.from_settings(key, values)
        for key, values in settings.MADOGUCHI_OIDC_PROVIDERS.items()
    }
    if audience:
        providers = {k: v for k, v in providers.items() if v.audience == audience}
    return providers


# One authlib client per provider configuration: it caches the discovery document and the JWKS.
_clients: dict[tuple[str, ...], DjangoOAuth2App] = {}


def _client(config: ProviderConfig) -> DjangoOAuth2App:
    cache_key = (config.key, config.issuer, config.client_id, config.client_secret, config.scope)
    client = _clients.get(cache_key)
    if client is None:
        client = DjangoOAuth2App(
            framework=DjangoIntegration(f"oidc_{config.key}"),
            name=config.key,
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=config.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={
                "scope": config.scope,
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT_SECONDS,
            },
        )
        _clients[cache_key] = client
    return client


def start(
    request: HttpRequest,
    config: ProviderConfig,
    *,
    redirect_uri: str,
    context: dict[str, Any],
    minimum_assurance: str = "",
) -> HttpResponseRedirect:
    """Send the browser to the provider. ``context`` (where to go next, who logs in) is kept in
    the session under the state, and only a callback with that state can use it."""
    state = secrets.token_urlsafe(32)
    extra: dict[str, str] = {}
    acr = config.acr_for_assurance.get(minimum_assurance, "") if minimum_assurance else ""
    if acr:
        # Step-up: ask for the stronger method and a fresh login at the provider.
        extra = {"acr_values": acr, "prompt": "login"}
    try:
        response = _client(config).authorize_redirect(request, redirect_uri, state=state, **extra)
    except (requests.RequestException, ValueError, KeyError) as error:
        logger.warning("OIDC discovery failed for %s: %s", config.key, type(error).__name__)
        raise LoginFailed("unavailable", type(error).__name__) from error
    request.session[CONTEXT_KEY.format(state=state)] = {
        **context,
        "provider": config.key,
        "minimum_assurance": minimum_assurance,
    }
    return response


def finish(request: HttpRequest, config: ProviderConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    """Complete the login at the callback: returns (claims, context) or raises LoginFailed."""
    state = request.GET.get("state", "")
    context = request.session.pop(CONTEXT_KEY.format(state=state), None)
    if request.GET.get("error"):
        reason = "cancelled" if request.GET["error"] == "access_denied" else "invalid"
        raise LoginFailed(reason, request.GET["error"][:60])
    if context is None or context.get("provider") != config.key:
        raise LoginFailed("invalid", "state")
    client = _client(config)
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            raise LoginFailed("invalid", "no id_token")
        _add_userinfo(client, token, claims)
    except requests.RequestException as error:
        logger.warning("OIDC provider %s unreachable: %s", config.key, type(error).__name__)
        raise LoginFailed("unavailable", type(error).__name__) from error
    except (OAuthError, JoseError, ValueError) as error:
        # Which check failed, never the token or the claims themselves.
        logger.warning("OIDC login refused for %s: %s", config.key, type(error).__name__)
        raise LoginFailed("invalid", type(error).__name__) from error
    return claims, context


def _add_userinfo(client: DjangoOAuth2App, token: dict[str, Any], claims: dict[str, Any]) -> None:
    """Providers that keep profile claims out of the ID token give them at the userinfo
    endpoint; its ``sub`` must be the ID token's (OpenID Connect Core 5.3.2)."""
    if "userinfo_endpoint" not in client.load_server_metadata():
        return
    userinfo = client.userinfo(token=token)
    if userinfo.get("sub") != claims["sub"]:
        raise LoginFailed("invalid", "userinfo sub")
    for name, value in userinfo.items():
        claims.setdefault(name, value)
