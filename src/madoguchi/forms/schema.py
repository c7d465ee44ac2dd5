"""The form definition language: steps of questions, held as JSON so that staff can build forms
without code and one city can share a form with another.

    {"steps": [{"key": "who", "title": {"ja": "…", "en": "…"},
                "questions": [{"key": "members", "type": "multi_choice",
                               "label": {"ja": "…", "en": "…"}, "required": true,
                               "choices_source": "registry.household_members"}]}]}
"""

from dataclasses import dataclass, field
from typing import Any

QUESTION_TYPES = {"text", "textarea", "number", "choice", "multi_choice", "yes_no"}
Texts = dict[str, str]


class SchemaError(ValueError):
    """The definition is malformed; raised when it is saved, never when a resident fills it."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Texts


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: Texts
    help: Texts = field(default_factory=dict)
    required: bool = True
    choices: tuple[Choice, ...] = ()
    # A registered source of choices (see ``sources``), e.g. the household's members.
    choices_source: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    initial: Any = None
    # A prefill attribute (see ``prefill``), e.g. "registry.full_name".
    prefill: str = ""

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "Question":
        qtype = data.get("type")
        if qtype not in QUESTION_TYPES:
            raise SchemaError(f"Unknown question type {qtype!r} in {data.get('key')!r}.")
        if not data.get("key") or not isinstance(data.get("label"), dict):
            raise SchemaError("Every question needs a key and a label.")
        choices = tuple(Choice(c["value"], c["label"]) for c in data.get("choices", []))
        if qtype in {"choice", "multi_choice"} and not (choices or data.get("choices_source")):
            raise SchemaError(f"Question {data['key']!r} needs choices or a choices source.")
        return cls(
            key=data["key"],
            type=qtype,
            label=data["label"],
            help=data.get("help", {}),
            required=bool(data.get("required", True)),
            choices=choices,
            choices_source=data.get("choices_source", ""),
            min_value=data.get("min"),
            max_value=data.get("max"),
            max_length=data.get("max_length"),
            initial=data.get("initial"),
            prefill=data.get("prefill", ""),
        )


@dataclass(frozen=True)
class Step:
    key: str
    title: Texts
    questions: tuple[Question, ...]
    description: Texts = field(default_factory=dict)


@dataclass(frozen=True)
class FormSchema:
    steps: tuple[Step, ...]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "FormSchema":
        steps = []
        seen: set[str] = set()
        for raw in data.get("steps", []):
            questions = tuple(Question.parse(q) for q in raw.get("questions", []))
            for question in questions:
                if question.key in seen:
                    raise SchemaError(f"Question key {question.key!r} is used twice.")
                seen.add(question.key)
            steps.append(
                Step(
                    key=raw["key"],
                    title=raw["title"],
                    questions=questions,
                    description=raw.get("description", {}),
                )
            )
        if not steps:
            raise SchemaError("A form needs at least one step.")
        return cls(steps=tuple(steps))

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def next_step(self, key: str) -> Step | None:
        keys = [step.key for step in self.steps]
        index = keys.index(key)
        return self.steps[index + 1] if index + 1 < len(keys) else None

    def previous_step(self, key: str) -> Step | None:
        keys = [step.key for step in self.steps]
        index = keys.index(key)
        return self.steps[index - 1] if index > 0 else None
