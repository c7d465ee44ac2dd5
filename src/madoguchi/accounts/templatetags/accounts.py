from django import template

from madoguchi.accounts.providers.base import ResidentAuthProvider

register = template.Library()


@register.filter
def start_url(provider: ResidentAuthProvider, next_url: str) -> str:
    return provider.start_url(next_url)
