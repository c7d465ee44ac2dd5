from collections.abc import Callable

from django.conf import settings

from .base import ResidentAuthProvider

_providers: dict[str, ResidentAuthProvider] = {}
# Sources of providers configured in settings (one OpenID Connect provider per issuer), asked
# each time so that a deployment's configuration, not the code, decides which exist.
_sources: list[Callable[[], dict[str, ResidentAuthProvider]]] = []


def register(provider_class: type[ResidentAuthProvider]) -> type[ResidentAuthProvider]:
    provider = provider_class()
    _providers[provider.key] = provider
    return provider_class


def register_source(source: Callable[[], dict[str, ResidentAuthProvider]]) -> None:
    _sources.append(source)


def _known() -> dict[str, ResidentAuthProvider]:
    known = dict(_providers)
    for source in _sources:
        known.update(source())
    return known


def enabled() -> list[ResidentAuthProvider]:
    """The providers this deployment turned on, in the order of its setting."""
    known = _known()
    return [known[key] for key in settings.MADOGUCHI_RESIDENT_AUTH_PROVIDERS if key in known]


def get(key: str) -> ResidentAuthProvider | None:
    return next((provider for provider in enabled() if provider.key == key), None)


def all_registered() -> list[ResidentAuthProvider]:
    """The providers with their own pages (configured OIDC providers share one set of pages)."""
    return list(_providers.values())
