from django.conf import settings

from .base import ResidentAuthProvider

_providers: dict[str, ResidentAuthProvider] = {}


def register(provider_class: type[ResidentAuthProvider]) -> type[ResidentAuthProvider]:
    provider = provider_class()
    _providers[provider.key] = provider
    return provider_class


def enabled() -> list[ResidentAuthProvider]:
    """The providers this deployment turned on, in the order of its setting."""
    return [
        _providers[key] for key in settings.MADOGUCHI_RESIDENT_AUTH_PROVIDERS if key in _providers
    ]


def get(key: str) -> ResidentAuthProvider | None:
    provider = _providers.get(key)
    return provider if provider in enabled() else None


def all_registered() -> list[ResidentAuthProvider]:
    return list(_providers.values())
