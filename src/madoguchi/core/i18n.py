"""Bilingual data fields: records hold ``name_ja`` and ``name_en``; show the one for the
current language, falling back to Japanese, which every record must have."""

from typing import Any

from django.utils import translation


def current_language() -> str:
    return (translation.get_language() or "ja").split("-")[0]


def localized(obj: Any, field: str) -> str:
    """Return ``obj.<field>_<lang>``, or the Japanese value when the translation is empty."""
    value = getattr(obj, f"{field}_{current_language()}", "") or ""
    return value or getattr(obj, f"{field}_ja")


def pick(texts: dict[str, str] | str | None) -> str:
    """Pick the current language from a ``{"ja": …, "en": …}`` mapping held in JSON data."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(current_language()) or texts.get("ja") or ""
