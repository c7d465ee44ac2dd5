"""Choice sources: plugins that give a question its choices from data the city holds."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ChoiceSource = Callable[["ChoiceContext"], list[tuple[str, str]]]


@dataclass(frozen=True)
class ChoiceContext:
    """What a source may look at: the applicant's registry person, if the account has one; and
    the draft's attachments (id -> file name) that its file questions may refer to."""

    person: Any = None
    attachments: dict[str, str] = field(default_factory=dict)


_sources: dict[str, ChoiceSource] = {}


def register_choice_source(name: str) -> Callable[[ChoiceSource], ChoiceSource]:
    def decorator(source: ChoiceSource) -> ChoiceSource:
        _sources[name] = source
        return source

    return decorator


def choices_from(name: str, context: ChoiceContext) -> list[tuple[str, str]]:
    return _sources[name](context)


def names() -> list[str]:
    """The registered sources, for the builder's select."""
    return sorted(_sources)
