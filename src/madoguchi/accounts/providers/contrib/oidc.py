"""OpenID Connect providers for residents: one per configured issuer (the Digital Agency's
デジタル認証アプリ for the My Number card, a prefecture's IdP, …). See ``accounts.oidc``."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from madoguchi.accounts import oidc
from madoguchi.accounts.providers.base import ResidentAuthProvider
from madoguchi.accounts.providers.registry import register_source


class OIDCProvider(ResidentAuthProvider):
    def __init__(self, config: oidc.ProviderConfig) -> None:
        self.config = config
        self.key = config.key
        self.max_assurance = config.max_assurance

    def _text(self, name: str) -> str:
        english = getattr(self.config, f"{name}_en")
        japanese = getattr(self.config, f"{name}_ja")
        return english if get_language() == "en" and english else japanese

    @property
    def label(self) -> str:  # type: ignore[override]
        return self._text("label") or self.config.key

    @property
    def description(self) -> str:  # type: ignore[override]
        return self._text("description")

    def start_url(self, next_url: str, *, assurance: str = "") -> str:
        query = {"next": next_url, **({"assurance": assurance} if assurance else {})}
        return f"{reverse('accounts:oidc-start', kwargs={'key': self.key})}?{urlencode(query)}"


def configured_providers() -> dict[str, ResidentAuthProvider]:
    return {key: OIDCProvider(config) for key, config in oidc.configured("residents").items()}


register_source(configured_providers)
