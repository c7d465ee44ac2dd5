"""Prefill sources (once-only): plugins that answer a question from data the city already holds.

A question names an attribute as ``"<source>.<attribute>"`` (``"registry.full_name"``). Each
source registers its attributes and one ``fetch`` in its ``AppConfig.ready()``; forms never
import a source's app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .schema import Texts


@dataclass(frozen=True)
class PrefillAttribute:
    key: str  # "registry.full_name"
    label: Texts  # {"ja": "氏名（住民基本台帳）", "en": "Name (resident registry)"}
    source_label: Texts  # {"ja": "住民基本台帳", "en": "Resident registry"}


@dataclass(frozen=True)
class PrefillContext:
    """Whose data a source may read: the applicant's registry person (None when the account
    has none) and user. A source returns nothing for anyone else."""

    person: Any = None
    user: Any = None


# fetch(context, attribute keys of this source) -> {attribute key: value}; a key the source
# does not know for this person is left out, never filled with a guess.
Fetch = Callable[[PrefillContext, list[str]], dict[str, Any]]


@dataclass(frozen=True)
class _Source:
    name: str
    attributes: tuple[PrefillAttribute, ...]
    fetch: Fetch


_sources: dict[str, _Source] = {}


def register_prefill_source(name: str, attributes: list[PrefillAttribute], fetch: Fetch) -> None:
    for attribute in attributes:
        if source_of(attribute.key) != name:
            raise ValueError(f"Attribute {attribute.key!r} does not belong to source {name!r}.")
    _sources[name] = _Source(name=name, attributes=tuple(attributes), fetch=fetch)


def source_of(key: str) -> str:
    return key.split(".", 1)[0]


def attributes() -> list[PrefillAttribute]:
    """Every registered attribute, for the builder's select."""
    return [attribute for source in _sources.values() for attribute in source.attributes]


def attribute(key: str) -> PrefillAttribute | None:
    source = _sources.get(source_of(key))
    if source is None:
        return None
    return next((a for a in source.attributes if a.key == key), None)


def prefill_values(context: PrefillContext, keys: Iterable[str]) -> dict[str, Any]:
    """The values the sources hold for ``keys`` (attribute key -> value); unknown keys and
    values a source does not have are left out."""
    by_source: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        if attribute(key) is not None:
            by_source.setdefault(source_of(key), []).append(key)
    values: dict[str, Any] = {}
    for name, wanted in by_source.items():
        fetched = _sources[name].fetch(context, wanted)
        values.update({key: value for key, value in fetched.items() if key in wanted})
    return values
