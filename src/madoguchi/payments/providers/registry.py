from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import PaymentProvider

_providers: dict[str, PaymentProvider] = {}


def register(provider_class: type[PaymentProvider]) -> type[PaymentProvider]:
    provider = provider_class()
    _providers[provider.key] = provider
    return provider_class


def get(key: str) -> PaymentProvider:
    return _providers[key]


def active() -> PaymentProvider:
    """The provider new payments go to (``MADOGUCHI_PAYMENT_PROVIDER``)."""
    key = settings.MADOGUCHI_PAYMENT_PROVIDER
    if key not in _providers:
        raise ImproperlyConfigured(f"No payment provider {key!r} is installed.")
    provider = _providers[key]
    if provider.demo and settings.PRODUCTION:
        raise ImproperlyConfigured("The sandbox payment provider is refused in production.")
    return provider
