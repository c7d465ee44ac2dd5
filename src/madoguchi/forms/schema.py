"""The form definition language: steps of questions, held as JSON so that staff can build forms
without code and one city can share a form with another.

    {"steps": [{"key": "who", "title": {"ja": "…", "en": "…"},
                "show_if": {"question": "has_children", "equals": "yes"},
                "questions": [{"key": "members", "type": "multi_choice",
                               "label": {"ja": "…", "en": "…"}, "required": true,
                               "choices_source": "registry.household_members"}]}]}

``show_if`` may only look at questions of earlier steps: a step is shown whole, so whether a
question is asked never depends on what the resident types on the same page (no script needed).
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

QUESTION_TYPES = {
    "text",
    "textarea",
    "kana",
    "number",
    "date",
    "address",
    "phone",
    "email",
    "choice",
    "select",
    "multi_choice",
    "yes_no",
    "file",
    "group",
    "info",
}
CHOICE_TYPES = {"choice", "select", "multi_choice"}
# Kinds of file a question may accept (checked by content, see ``attachments``).
FILE_KINDS = {"pdf", "jpeg", "png", "heic", "gif", "tiff"}
# Keys become form field names; "__" separates the parts of an address or a group's items.
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
Texts = dict[str, str]


class SchemaError(ValueError):
    """The definition is malformed; raised when it is saved, never when a resident fills it."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Texts


@dataclass(frozen=True)
class Condition:
    """Show a step or question only when an earlier answer equals a value or is one of values.
    A multiple-choice answer matches when any chosen value does."""

    question: str
    values: tuple[str, ...]

    @classmethod
    def parse(cls, data: Any) -> "Condition | None":
        if not data:
            return None
        if not isinstance(data, dict) or not data.get("question"):
            raise SchemaError("A condition needs the key of a question.")
        if "equals" in data:
            values: tuple[str, ...] = (str(data["equals"]),)
        elif isinstance(data.get("in"), list) and data["in"]:
            values = tuple(str(v) for v in data["in"])
        else:
            raise SchemaError(f"The condition on {data['question']!r} needs 'equals' or 'in'.")
        return cls(question=str(data["question"]), values=values)

    def holds(self, answers: dict[str, Any]) -> bool:
        answer = answers.get(self.question)
        given = answer if isinstance(answer, list) else [answer]
        return any(str(value) in self.values for value in given if value is not None)


def _int_or_none(data: dict[str, Any], name: str, key: str) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SchemaError(f"{name!r} of {key!r} must be a whole number.")
    return value


def _date_or_none(data: dict[str, Any], name: str, key: str) -> dt.date | None:
    value = data.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as bad:
        raise SchemaError(f"{name!r} of {key!r} must be an ISO date (YYYY-MM-DD).") from bad


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
    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    pattern_message: Texts = field(default_factory=dict)
    min_date: dt.date | None = None
    max_date: dt.date | None = None
    # file: kinds accepted (``FILE_KINDS``) and the largest size in megabytes.
    accept: tuple[str, ...] = ()
    max_size_mb: int | None = None
    # group: the questions of one item, how many items, and what one item is called.
    questions: tuple["Question", ...] = ()
    min_items: int = 0
    max_items: int | None = None
    item_label: Texts = field(default_factory=dict)
    # info: the text shown.
    body: Texts = field(default_factory=dict)
    show_if: Condition | None = None
    # A key of the prefill registry ("registry.full_name"); the prefill feature fills it.
    prefill: str = ""
    initial: Any = None

    @classmethod
    def parse(cls, data: dict[str, Any], *, in_group: bool = False) -> "Question":
        if not isinstance(data, dict):
            raise SchemaError("A question must be an object.")
        qtype = data.get("type")
        key = data.get("key")
        if qtype not in QUESTION_TYPES:
            raise SchemaError(f"Unknown question type {qtype!r} in {key!r}.")
        if not key or not isinstance(data.get("label"), dict):
            raise SchemaError("Every question needs a key and a label.")
        if not KEY_PATTERN.match(str(key)):
            raise SchemaError(
                f"Question key {key!r} must be lower-case letters, digits and single '_'."
            )
        choices = tuple(Choice(str(c["value"]), c["label"]) for c in data.get("choices", []))
        if qtype in CHOICE_TYPES and not (choices or data.get("choices_source")):
            raise SchemaError(f"Question {key!r} needs choices or a choices source.")
        pattern = data.get("pattern") or ""
        if pattern:
            try:
                re.compile(pattern)
            except re.error as bad:
                raise SchemaError(f"The pattern of {key!r} is not a valid expression.") from bad
        accept = tuple(data.get("accept") or ())
        unknown = set(accept) - FILE_KINDS
        if unknown:
            raise SchemaError(f"Question {key!r} accepts unknown file kinds {sorted(unknown)}.")
        questions: tuple[Question, ...] = ()
        if qtype == "group":
            if in_group:
                raise SchemaError(f"Group {key!r} is inside another group.")
            questions = tuple(cls.parse(q, in_group=True) for q in data.get("questions", []))
            if not questions:
                raise SchemaError(f"Group {key!r} needs questions.")
            _unique(q.key for q in questions)
        show_if = Condition.parse(data.get("show_if"))
        if show_if and in_group:
            raise SchemaError(f"{key!r}: a question inside a group cannot have a condition.")
        question = cls(
            key=key,
            type=qtype,
            label=data["label"],
            help=data.get("help") or {},
            required=bool(data.get("required", True)) and qtype != "info",
            choices=choices,
            choices_source=data.get("choices_source") or "",
            min_value=_int_or_none(data, "min", key) if qtype == "number" else None,
            max_value=_int_or_none(data, "max", key) if qtype == "number" else None,
            min_length=_int_or_none(data, "min_length", key),
            max_length=_int_or_none(data, "max_length", key),
            pattern=pattern,
            pattern_message=data.get("pattern_message") or {},
            min_date=_date_or_none(data, "min", key) if qtype == "date" else None,
            max_date=_date_or_none(data, "max", key) if qtype == "date" else None,
            accept=accept,
            max_size_mb=_int_or_none(data, "max_size_mb", key),
            questions=questions,
            min_items=_int_or_none(data, "min_items", key) or 0,
            max_items=_int_or_none(data, "max_items", key),
            item_label=data.get("item_label") or {},
            body=data.get("body") or {},
            show_if=show_if,
            prefill=data.get("prefill") or "",
            initial=data.get("initial"),
        )
        if question.max_items is not None and question.max_items < max(question.min_items, 1):
            raise SchemaError(f"Group {key!r}: max_items is below min_items.")
        return question

    @property
    def asks(self) -> bool:
        """Whether the resident answers it (an information block only shows text)."""
        return self.type != "info"


def _unique(keys: Iterable[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise SchemaError(f"Question key {key!r} is used twice.")
        seen.add(key)


@dataclass(frozen=True)
class Step:
    key: str
    title: Texts
    questions: tuple[Question, ...]
    description: Texts = field(default_factory=dict)
    show_if: Condition | None = None

    def visible_questions(self, answers: dict[str, Any]) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.show_if is None or q.show_if.holds(answers))

    @property
    def has_file(self) -> bool:
        return any(
            q.type == "file" or any(s.type == "file" for s in q.questions) for q in self.questions
        )


@dataclass(frozen=True)
class FormSchema:
    steps: tuple[Step, ...]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "FormSchema":
        if not isinstance(data, dict):
            raise SchemaError("A form definition must be an object.")
        steps = []
        earlier: dict[str, Question] = {}
        step_keys: set[str] = set()
        for raw in data.get("steps", []):
            if not isinstance(raw, dict) or not raw.get("key"):
                raise SchemaError("Every step needs a key.")
            if not KEY_PATTERN.match(str(raw["key"])) or raw["key"] == "check":
                raise SchemaError(f"Step key {raw['key']!r} is not allowed.")
            if raw["key"] in step_keys:
                raise SchemaError(f"Step key {raw['key']!r} is used twice.")
            step_keys.add(raw["key"])
            step_condition = Condition.parse(raw.get("show_if"))
            _check_condition(step_condition, earlier, f"step {raw['key']!r}")
            questions = tuple(Question.parse(q) for q in raw.get("questions", []))
            for question in questions:
                _check_condition(question.show_if, earlier, f"question {question.key!r}")
            for question in questions:
                if question.key in earlier:
                    raise SchemaError(f"Question key {question.key!r} is used twice.")
                earlier[question.key] = question
            steps.append(
                Step(
                    key=raw["key"],
                    title=raw.get("title") or {},
                    questions=questions,
                    description=raw.get("description") or {},
                    show_if=step_condition,
                )
            )
        if not steps:
            raise SchemaError("A form needs at least one step.")
        return cls(steps=tuple(steps))

    @property
    def has_file(self) -> bool:
        return any(step.has_file for step in self.steps)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def visible_steps(self, answers: dict[str, Any]) -> tuple[Step, ...]:
        """The steps asked, given the answers so far (a hidden step is skipped)."""
        return tuple(s for s in self.steps if s.show_if is None or s.show_if.holds(answers))

    def next_step(self, key: str, answers: dict[str, Any] | None = None) -> Step | None:
        return self._neighbour(key, answers or {}, 1)

    def previous_step(self, key: str, answers: dict[str, Any] | None = None) -> Step | None:
        return self._neighbour(key, answers or {}, -1)

    def _neighbour(self, key: str, answers: dict[str, Any], direction: int) -> Step | None:
        keys = [step.key for step in self.steps]
        index = keys.index(key) + direction
        while 0 <= index < len(self.steps):
            step = self.steps[index]
            if step.show_if is None or step.show_if.holds(answers):
                return step
            index += direction
        return None


def _check_condition(condition: Condition | None, earlier: dict[str, Any], where: str) -> None:
    if condition is None:
        return
    target = earlier.get(condition.question)
    if target is None:
        raise SchemaError(f"The condition of {where} must refer to a question of an earlier step.")
    if target.type in {"group", "info", "file", "address"}:
        raise SchemaError(f"The condition of {where} cannot depend on a {target.type} question.")
