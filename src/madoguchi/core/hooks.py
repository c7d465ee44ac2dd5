"""A small hook registry, so that apps add to shared pages (the header's inbox count, the
home municipality's name) without core importing them."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

HeaderHook = Callable[[HttpRequest], dict[str, Any]]
_header_hooks: list[HeaderHook] = []


def register_header_hook(hook: HeaderHook) -> HeaderHook:
    _header_hooks.append(hook)
    return hook


def header_context(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for hook in _header_hooks:
        context.update(hook(request))
    return context
