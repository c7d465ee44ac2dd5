"""The text of a message: the staff-edited template for the event and language if there is
one, else the defaults (a gettext subject and a file template)."""

from typing import Any

from django.conf import settings
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation

from madoguchi.core.i18n import localized

from .events import PLACEHOLDERS, SUBJECTS
from .models import MessageTemplate

# Staff templates see plain strings only, and only variables: no tags, no attribute access
# to records, nothing escaped (the text is plain).
_ENGINE = Engine(autoescape=False, libraries={}, builtins=[])


class TemplateNotAllowed(ValueError):
    pass


def check_staff_template(text: str) -> None:
    """Refuse tags and unknown placeholders before a staff template is saved."""
    if "{%" in text or "{#" in text:
        raise TemplateNotAllowed("tags")
    template = _ENGINE.from_string(text)
    for node in template.nodelist:
        token = getattr(node, "filter_expression", None)
        if token is None:
            continue
        name = token.var.var if hasattr(token.var, "var") else str(token.var)
        if name not in PLACEHOLDERS or token.filters:
            raise TemplateNotAllowed(name)


def plain_context(context: dict[str, Any]) -> dict[str, str]:
    plain = {}
    for key, value in context.items():
        if hasattr(value, "full_name"):
            value = value.full_name
        elif hasattr(value, "name_ja"):
            value = localized(value, "name")
        plain[key] = "" if value is None else str(value)
    return plain


def render_all(event: str, context: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Subject and body in every language, each from its staff template if there is one."""
    custom = {t.language: t for t in MessageTemplate.objects.filter(event=event)}
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = _render(custom.get(language), event, context)
    return texts


def _render(custom: MessageTemplate | None, event: str, context: dict[str, Any]) -> dict[str, str]:
    if custom is not None:
        plain = Context(plain_context(context))
        return {
            "subject": _ENGINE.from_string(custom.subject).render(plain).strip(),
            "body": _ENGINE.from_string(custom.body).render(plain).strip(),
        }
    return default(event, context)


def default(event: str, context: dict[str, Any]) -> dict[str, str]:
    return {
        "subject": str(SUBJECTS[event]) % context,
        "body": render_to_string(f"notifications/messages/{event}.txt", context).strip(),
    }
