"""Turns a form definition into Django forms. The definition, checked here on the server, is the
only source of truth: a browser may help but never decides what is valid."""

from dataclasses import dataclass
from typing import Any

import jaconv
from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from madoguchi.core.i18n import pick

from .schema import FormSchema, Question, Step
from .sources import ChoiceContext, choices_from

YES, NO = "yes", "no"


def _choices(question: Question, context: ChoiceContext) -> list[tuple[str, str]]:
    if question.choices_source:
        return choices_from(question.choices_source, context)
    return [(choice.value, pick(choice.label)) for choice in question.choices]


class NormalizedCharField(forms.CharField):
    """Full-width ASCII (ＡＢＣ１２３) typed on Japanese keyboards becomes half-width."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return jaconv.z2h(text, kana=False, ascii=True, digit=True) if text else text


class NormalizedIntegerField(forms.IntegerField):
    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = jaconv.z2h(value.strip(), kana=False, ascii=True, digit=True)
        return super().to_python(value)


def _field(question: Question, context: ChoiceContext) -> forms.Field:
    label = pick(question.label)
    common: dict[str, Any] = {
        "label": label,
        "help_text": pick(question.help),
        "required": question.required,
    }
    required_text = _("「%(label)s」を入力してください。") % {"label": label}
    select_text = _("「%(label)s」を選んでください。") % {"label": label}
    if question.type in {"text", "textarea"}:
        field: forms.Field = NormalizedCharField(
            max_length=question.max_length,
            widget=forms.Textarea(attrs={"rows": 4}) if question.type == "textarea" else None,
            error_messages={
                "required": required_text,
                "max_length": _("「%(label)s」は%(limit)d文字以内で入力してください。")
                % {"label": label, "limit": question.max_length or 0},
            },
            **common,
        )
    elif question.type == "number":
        range_text = _("「%(label)s」は%(min)s以上%(max)s以下の数字で入力してください。") % {
            "label": label,
            "min": question.min_value,
            "max": question.max_value,
        }
        field = NormalizedIntegerField(
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "required": required_text,
                "invalid": _("「%(label)s」は数字で入力してください。") % {"label": label},
                "min_value": range_text,
                "max_value": range_text,
            },
            **common,
        )
    elif question.type == "choice":
        field = forms.ChoiceField(
            choices=_choices(question, context),
            widget=forms.RadioSelect,
            error_messages={"required": select_text, "invalid_choice": select_text},
            **common,
        )
    elif question.type == "multi_choice":
        field = forms.MultipleChoiceField(
            choices=_choices(question, context),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": select_text, "invalid_choice": select_text},
            **common,
        )
    elif question.type == "yes_no":
        field = forms.ChoiceField(
            choices=[(YES, _("はい")), (NO, _("いいえ"))],
            widget=forms.RadioSelect,
            error_messages={"required": select_text, "invalid_choice": select_text},
            **common,
        )
    else:  # pragma: no cover - the schema parser rejects unknown types
        raise ValueError(question.type)
    return field


def step_form_class(step: Step, context: ChoiceContext) -> type[forms.Form]:
    fields = {question.key: _field(question, context) for question in step.questions}
    return type(f"StepForm_{step.key}", (forms.Form,), fields)


def step_form(
    step: Step, context: ChoiceContext, *, data: Any = None, answers: dict[str, Any] | None = None
) -> forms.Form:
    """A bound form when ``data`` is posted, otherwise one showing the saved ``answers``."""
    form_class = step_form_class(step, context)
    if data is not None:
        return form_class(data=data)
    initial = {
        q.key: answers[q.key] if answers and q.key in answers else q.initial for q in step.questions
    }
    return form_class(initial=initial)


def to_answers(form: forms.Form) -> dict[str, Any]:
    """The cleaned data of a valid step as JSON-ready answers."""
    return dict(form.cleaned_data)


def validate_answers(
    schema: FormSchema, answers: dict[str, Any], context: ChoiceContext
) -> dict[str, list[str]]:
    """Check every step again against the definition, as at submission time.

    Returns the errors by step key (empty when the whole form is valid). This catches a draft
    whose step was skipped, or whose choices no longer exist (a household member moved out).
    """
    errors: dict[str, list[str]] = {}
    for step in schema.steps:
        form_class = step_form_class(step, context)
        data = _as_form_data(step, answers)
        form = form_class(data=data)
        if not form.is_valid():
            errors[step.key] = [str(e) for field in form.errors.values() for e in field]
    return errors


def _as_form_data(step: Step, answers: dict[str, Any]) -> dict[str, Any]:

    # Rebuild what a browser would post, so that the same form validates it again.
    data = MultiValueDict()
    for question in step.questions:
        value = answers.get(question.key)
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(question.key, [str(v) for v in value])
        else:
            data[question.key] = str(value)
    return data


@dataclass(frozen=True)
class AnswerRow:
    step_key: str
    question_key: str
    label: str
    value: str


def summarize(
    schema: FormSchema, answers: dict[str, Any], context: ChoiceContext
) -> list[AnswerRow]:
    """The answers as a resident or clerk reads them (labels, not stored values)."""
    rows = []
    for step in schema.steps:
        for question in step.questions:
            rows.append(
                AnswerRow(
                    step_key=step.key,
                    question_key=question.key,
                    label=pick(question.label),
                    value=_display(question, answers.get(question.key), context),
                )
            )
    return rows


def _display(question: Question, value: Any, context: ChoiceContext) -> str:
    if value in (None, "", []):
        return _("（未回答）")
    if question.type == "yes_no":
        return _("はい") if value == YES else _("いいえ")
    if question.type in {"choice", "multi_choice"}:
        labels = dict(_choices(question, context))
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.get(str(v), str(v)) for v in values)
    return str(value)
