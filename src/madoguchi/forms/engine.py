"""Turns a form definition into Django forms. The definition, checked here on the server, is the
only source of truth: a browser may help but never decides what is valid.

One step is one ``StepForm``. Questions with several inputs are flattened into fields named with
"__": an address into ``<key>__postal_code`` … ``<key>__building``, the items of a repeating
group into ``<key>__<n>__<question>``, plus ``<key>__count`` for how many items are shown. A file
question's field holds the id of an attachment already received (``<key>__current``); the
upload itself is stored by the caller before the form is bound (see ``file_question``).
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from madoguchi.core import wareki
from madoguchi.core.i18n import pick

from . import validators
from .schema import FormSchema, Question, Step
from .sources import ChoiceContext, choices_from

YES, NO = "yes", "no"
SEP = "__"
ADDRESS_PARTS = ("postal_code", "prefecture", "city", "town", "block", "building")
ADDRESS_REQUIRED_PARTS = ADDRESS_PARTS[:-1]
# Without a limit in the definition, a group still stops somewhere (a crafted count).
GROUP_CEILING = 30
# The upload control's ``accept`` hint per kind (the content is what is checked).
FILE_EXTENSIONS = {
    "pdf": ".pdf",
    "jpeg": ".jpg,.jpeg",
    "png": ".png",
    "heic": ".heic",
    "gif": ".gif",
    "tiff": ".tif,.tiff",
}


def _address_part_labels() -> dict[str, str]:
    return {
        "postal_code": _("郵便番号"),
        "prefecture": _("都道府県"),
        "city": _("市区町村"),
        "town": _("町名・字"),
        "block": _("番地"),
        "building": _("建物名・部屋番号"),
    }


def _choices(question: Question, context: ChoiceContext) -> list[tuple[str, str]]:
    if question.choices_source:
        return choices_from(question.choices_source, context)
    return [(choice.value, pick(choice.label)) for choice in question.choices]


class NormalizedCharField(forms.CharField):
    """Full-width ASCII (ＡＢＣ１２３) typed on Japanese keyboards becomes half-width."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return validators.half_width(text) if text else text


class NormalizedIntegerField(forms.IntegerField):
    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = validators.half_width(value.strip())
        return super().to_python(value)


class PatternCharField(NormalizedCharField):
    """Text with a definition's pattern, refused with the definition's own message."""

    def __init__(self, *, pattern: str, pattern_error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_error = pattern_error

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and self.pattern and not self.pattern.search(value):
            raise forms.ValidationError(self.pattern_error, code="pattern")


class KanaField(forms.CharField):
    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return text
        kana = validators.normalize_kana(text)
        if kana is None:
            raise forms.ValidationError(self.error_messages["kana"], code="kana")
        return kana


class JapaneseDateField(forms.CharField):
    """A date in 西暦 or 和暦, kept as an ISO string."""

    def __init__(
        self, *, min_date: dt.date | None = None, max_date: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.min_date, self.max_date = min_date, max_date

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return text
        try:
            date = wareki.parse_date(text)
        except wareki.DateOutsideEra as outside:
            raise forms.ValidationError(self.error_messages["era"], code="era") from outside
        except wareki.DateNotUnderstood as bad:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from bad
        if self.min_date and date < self.min_date:
            raise forms.ValidationError(self.error_messages["min_date"], code="min_date")
        if self.max_date and date > self.max_date:
            raise forms.ValidationError(self.error_messages["max_date"], code="max_date")
        return date.isoformat()


class _NormalizedCodeField(forms.CharField):
    """A code written many ways (full-width, hyphens or not) kept in one form; ``normalize``
    returns None for text that is no such code."""

    normalize: Callable[[str], str | None]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return text
        code = type(self).normalize(text)
        if code is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return code


class PostalCodeField(_NormalizedCodeField):
    normalize = staticmethod(validators.normalize_postal_code)


class PhoneField(_NormalizedCodeField):
    normalize = staticmethod(validators.normalize_phone)


class NormalizedEmailField(forms.EmailField):
    def to_python(self, value: Any) -> str:
        return super().to_python(validators.half_width(value) if isinstance(value, str) else value)


class AttachmentInput(forms.FileInput):
    """A file control beside a hidden field with the attachment already received, so that a
    page shown again (an error elsewhere, "add another") keeps the file; the file's name is
    shown, and an optional question offers to remove it."""

    def __init__(self, *, known: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known = known

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        control = super().render(name, None, attrs, renderer)
        if not value:
            return control
        hidden = format_html(
            '<input type="hidden" name="{}" value="{}">', f"{name}{SEP}current", value
        )
        current = format_html(
            '<p class="hint">{}</p>',
            _("選択済みのファイル：%(name)s（別のファイルを選ぶと置き換わります）")
            % {"name": self.known.get(str(value), _("添付ファイル"))},
        )
        remove = ""
        if not self.is_required:
            remove_id = f"{(attrs or {}).get('id', 'id_' + name)}{SEP}remove"
            remove = format_html(
                '<div class="choice"><input type="checkbox" name="{}" id="{}" value="1">'
                '<label for="{}">{}</label></div>',
                f"{name}{SEP}remove",
                remove_id,
                remove_id,
                _("このファイルを削除する"),
            )
        return format_html("{}{}{}{}", current, control, hidden, remove)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(f"{name}{SEP}remove"):
            return ""
        return data.get(f"{name}{SEP}current", "")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}{SEP}current" not in data

    def format_value(self, value: Any) -> Any:
        return value or None


class AttachmentField(forms.CharField):
    """The id of an attachment of this draft (the upload was checked when it was received)."""

    def __init__(self, *, known: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known = known

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in self.known:
            raise forms.ValidationError(self.error_messages["gone"], code="gone")


def _messages(error_label: str) -> dict[str, str]:
    return {
        "required": _("「%(label)s」を入力してください。") % {"label": error_label},
        "select": _("「%(label)s」を選んでください。") % {"label": error_label},
    }


def _field(
    question: Question, context: ChoiceContext, *, error_label: str | None = None
) -> forms.Field:
    """The Django field of a question that is one input (not an address, group or info)."""
    label = pick(question.label)
    error_label = error_label or label
    texts = _messages(error_label)
    required_text, select_text = texts["required"], texts["select"]
    common: dict[str, Any] = {
        "label": label,
        "help_text": pick(question.help),
        "required": question.required,
    }
    length_messages = {
        "required": required_text,
        "max_length": _("「%(label)s」は%(limit)d文字以内で入力してください。")
        % {"label": error_label, "limit": question.max_length or 0},
        "min_length": _("「%(label)s」は%(limit)d文字以上で入力してください。")
        % {"label": error_label, "limit": question.min_length or 0},
    }
    qtype = question.type
    if qtype in {"text", "textarea"}:
        return PatternCharField(
            max_length=question.max_length,
            min_length=question.min_length,
            pattern=question.pattern,
            pattern_error=pick(question.pattern_message)
            or _("「%(label)s」の形式が正しくありません。") % {"label": error_label},
            widget=forms.Textarea(attrs={"rows": 4}) if qtype == "textarea" else None,
            error_messages=length_messages,
            **common,
        )
    if qtype == "kana":
        return KanaField(
            max_length=question.max_length,
            min_length=question.min_length,
            error_messages={
                **length_messages,
                "kana": _("「%(label)s」はカタカナで入力してください。") % {"label": error_label},
            },
            **common,
        )
    if qtype == "number":
        return _number_field(question, error_label, required_text, common)
    if qtype == "date":
        return JapaneseDateField(
            min_date=question.min_date,
            max_date=question.max_date,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
            error_messages={
                "required": required_text,
                "invalid": _(
                    "「%(label)s」は「令和6年4月1日」や「2024-04-01」のように、"
                    "実在する日付で入力してください。"
                )
                % {"label": error_label},
                "era": _("「%(label)s」の年がその元号の期間にありません。")
                % {"label": error_label},
                "min_date": _("「%(label)s」は%(date)s以降の日付で入力してください。")
                % {"label": error_label, "date": _date_text(question.min_date)},
                "max_date": _("「%(label)s」は%(date)s以前の日付で入力してください。")
                % {"label": error_label, "date": _date_text(question.max_date)},
            },
            **common,
        )
    if qtype == "phone":
        return PhoneField(
            max_length=20,
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            error_messages={
                "required": required_text,
                "max_length": _(
                    "「%(label)s」は0から始まる10桁か11桁の電話番号で入力してください。"
                )
                % {"label": error_label},
                "invalid": _("「%(label)s」は0から始まる10桁か11桁の電話番号で入力してください。")
                % {"label": error_label},
            },
            **common,
        )
    if qtype == "email":
        return NormalizedEmailField(
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            error_messages={
                "required": required_text,
                "invalid": _("「%(label)s」は「name@example.jp」のような形で入力してください。")
                % {"label": error_label},
            },
            **common,
        )
    if qtype in {"choice", "select", "multi_choice", "yes_no"}:
        return _choice_field(question, context, select_text, common)
    if qtype == "file":
        hint = _file_hint(question)
        return AttachmentField(
            known=context.attachments,
            widget=AttachmentInput(known=context.attachments, attrs={"accept": _accept(question)}),
            error_messages={
                "required": _("「%(label)s」のファイルを選んでください。") % {"label": error_label},
                "gone": _("「%(label)s」のファイルをもう一度選んでください。")
                % {"label": error_label},
            },
            **{**common, "help_text": " ".join(t for t in (common["help_text"], hint) if t)},
        )
    raise ValueError(qtype)  # pragma: no cover - the schema parser rejects unknown types


def _number_field(
    question: Question, error_label: str, required_text: str, common: dict[str, Any]
) -> forms.Field:
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        range_text = _("「%(label)s」は%(min)s以上%(max)s以下の数字で入力してください。")
    elif low is not None:
        range_text = _("「%(label)s」は%(min)s以上の数字で入力してください。")
    else:
        range_text = _("「%(label)s」は%(max)s以下の数字で入力してください。")
    range_text = range_text % {"label": error_label, "min": low, "max": high}
    return NormalizedIntegerField(
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": required_text,
            "invalid": _("「%(label)s」は数字で入力してください。") % {"label": error_label},
            "min_value": range_text,
            "max_value": range_text,
        },
        **common,
    )


def _choice_field(
    question: Question, context: ChoiceContext, select_text: str, common: dict[str, Any]
) -> forms.Field:
    messages = {"required": select_text, "invalid_choice": select_text}
    if question.type == "multi_choice":
        return forms.MultipleChoiceField(
            choices=_choices(question, context),
            widget=forms.CheckboxSelectMultiple,
            error_messages={**messages, "invalid_list": select_text},
            **common,
        )
    if question.type == "select":
        return forms.ChoiceField(
            choices=[("", _("選択してください")), *_choices(question, context)],
            widget=forms.Select,
            error_messages=messages,
            **common,
        )
    choices = [(YES, _("はい")), (NO, _("いいえ"))] if question.type == "yes_no" else None
    return forms.ChoiceField(
        choices=choices or _choices(question, context),
        widget=forms.RadioSelect,
        error_messages=messages,
        **common,
    )


def _date_text(date: dt.date | None) -> str:
    return wareki.format_both(date) if date else ""


def _accept(question: Question) -> str:
    return ",".join(FILE_EXTENSIONS[kind] for kind in question.accept)


def _file_hint(question: Question) -> str:
    kinds = "、".join(kind.upper() for kind in question.accept)
    if kinds and question.max_size_mb:
        return _("%(kinds)s（%(size)dMBまで）") % {"kinds": kinds, "size": question.max_size_mb}
    if kinds:
        return kinds
    if question.max_size_mb:
        return _("%(size)dMBまで") % {"size": question.max_size_mb}
    return ""


# --- The step form -----------------------------------------------------------------------------


@dataclass
class Entry:
    """One question as the page draws it; ``fields`` are the names of its inputs."""

    question: Question
    name: str
    fields: list[str] = field(default_factory=list)
    items: list["GroupItem"] = field(default_factory=list)
    legend: str = ""

    @property
    def dom_id(self) -> str:
        return f"id_{self.name}"

    @property
    def kind(self) -> str:
        return {"info": "info", "address": "address", "group": "group"}.get(
            self.question.type, "field"
        )


@dataclass
class GroupItem:
    number: int
    legend: str
    entries: list[Entry]


def _values(data: Any, name: str) -> list[Any]:
    return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]


def _is_blank(value: Any) -> bool:
    if isinstance(value, list):
        return not any(str(v).strip() for v in value)
    return value is None or not str(value).strip()


class StepForm(forms.Form):
    """The questions of one step that are asked given the earlier ``answers``."""

    def __init__(
        self,
        step: Step,
        context: ChoiceContext,
        *,
        answers: dict[str, Any] | None = None,
        group_sizes: dict[str, int] | None = None,
        upload_errors: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.context = context
        self.prior_answers = answers or {}
        self.upload_errors = upload_errors or {}
        self.questions = step.visible_questions(answers or {})
        self.entries: list[Entry] = []
        self.addresses: list[str] = []
        self.required_addresses: set[str] = set()
        self.group_sizes: dict[str, int] = {}
        # Groups posted with more items than allowed (only a crafted form or API call can).
        self.too_many: set[str] = set()
        for question in self.questions:
            entry = Entry(question=question, name=question.key, legend=pick(question.label))
            if question.type == "group":
                size = self._group_size(question, (group_sizes or {}).get(question.key))
                self.group_sizes[question.key] = size
                # Read by ``_group_size`` only; a crafted value just means one item.
                self.fields[f"{question.key}{SEP}count"] = forms.CharField(
                    widget=forms.HiddenInput, initial=size, required=False
                )
                for index in range(size):
                    entry.items.append(self._group_item(question, index))
            else:
                entry.fields = self._add(question, question.key, pick(question.label), None)
            self.entries.append(entry)

    def _group_size(self, question: Question, wanted: int | None) -> int:
        if self.is_bound:
            try:
                wanted = int(self.data.get(f"{question.key}{SEP}count") or 0)
            except ValueError:
                wanted = 0
        ceiling = question.max_items or GROUP_CEILING
        if (wanted or 0) > ceiling:
            self.too_many.add(question.key)
        return max(1, question.min_items, min(wanted or 0, ceiling))

    def _group_item(self, group: Question, index: int) -> GroupItem:
        item_name = pick(group.item_label) or pick(group.label)
        legend = f"{item_name} {index + 1}"
        prefix = f"{group.key}{SEP}{index}{SEP}"
        blank = self.is_bound and all(
            _is_blank(_values(self.data, name)) for name in self.data if name.startswith(prefix)
        )
        entries = []
        for question in group.questions:
            entry = Entry(
                question=question, name=prefix + question.key, legend=pick(question.label)
            )
            if question.asks:
                error_label = _("%(item)sの%(question)s") % {
                    "item": legend,
                    "question": pick(question.label),
                }
                entry.fields = self._add(question, prefix + question.key, error_label, blank)
            entries.append(entry)
        return GroupItem(number=index + 1, legend=legend, entries=entries)

    def _add(
        self, question: Question, name: str, error_label: str, blank_item: bool | None
    ) -> list[str]:
        if question.type == "info":
            return []
        if question.type == "address":
            names = []
            labels = _address_part_labels()
            for part in ADDRESS_PARTS:
                part_name = f"{name}{SEP}{part}"
                part_label = _("%(question)s（%(part)s）") % {
                    "question": error_label,
                    "part": labels[part],
                }
                kwargs: dict[str, Any] = {
                    "label": labels[part],
                    # Which parts are needed is decided in ``clean``, after the postal code
                    # has filled what it can.
                    "required": False,
                    "max_length": 100,
                    "error_messages": {
                        "required": _messages(part_label)["required"],
                        "max_length": _("「%(label)s」は%(limit)d文字以内で入力してください。")
                        % {"label": part_label, "limit": 100},
                        "invalid": _("「%(label)s」は「604-8571」のように7桁で入力してください。")
                        % {"label": part_label},
                    },
                }
                if part == "postal_code":
                    part_field: forms.Field = PostalCodeField(
                        widget=forms.TextInput(
                            attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
                        ),
                        **kwargs,
                    )
                else:
                    part_field = NormalizedCharField(**kwargs)
                self.fields[part_name] = part_field
                names.append(part_name)
            if question.required and not blank_item:
                self.required_addresses.add(name)
            self.addresses.append(name)
            return names
        built = _field(question, self.context, error_label=error_label)
        if blank_item:
            built.required = False
        self.fields[name] = built
        return [name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, message in self.upload_errors.items():
            if name in self.fields:
                self.add_error(name, message)
        for name in self.addresses:
            self._check_address(name, cleaned)
        for entry in self.entries:
            if entry.question.type == "group":
                self._check_group_size(entry, cleaned)
        return cleaned

    def _check_address(self, name: str, cleaned: dict[str, Any]) -> None:
        """Fill the prefecture and city from the postal code when left blank; then an address
        needs every part but the building (an optional one only when any part is given)."""
        names = {part: f"{name}{SEP}{part}" for part in ADDRESS_PARTS}
        code = cleaned.get(names["postal_code"])
        if code and not (cleaned.get(names["prefecture"]) and cleaned.get(names["city"])):
            found = validators.lookup_postal_code(code)
            if found:
                for part, value in zip(("prefecture", "city", "town"), found, strict=True):
                    if not cleaned.get(names[part]):
                        cleaned[names[part]] = value
        given = any(cleaned.get(n) for n in names.values()) or any(
            n in self.errors for n in names.values()
        )
        if name not in self.required_addresses and not given:
            return
        for part in ADDRESS_REQUIRED_PARTS:
            part_name = names[part]
            if not cleaned.get(part_name) and part_name not in self.errors:
                self.add_error(part_name, self.fields[part_name].error_messages["required"])

    def _check_group_size(self, entry: Entry, cleaned: dict[str, Any]) -> None:
        group = entry.question
        filled = [item for item in self._items(group, cleaned) if item is not None]
        item_name = pick(group.item_label) or pick(group.label)
        first = next((n for e in entry.items[0].entries for n in e.fields), None)
        if len(filled) < group.min_items and first:
            self.add_error(
                first,
                _("「%(label)s」を%(count)d件以上入力してください。")
                % {"label": item_name, "count": group.min_items},
            )
        if group.key in self.too_many and first:
            self.add_error(
                first,
                _("「%(label)s」は%(count)d件までです。")
                % {"label": item_name, "count": group.max_items or GROUP_CEILING},
            )

    def _items(self, group: Question, cleaned: dict[str, Any]) -> list[dict[str, Any] | None]:
        """Each item's answers, or ``None`` for an item left blank (not counted, not kept)."""
        items: list[dict[str, Any] | None] = []
        for index in range(self.group_sizes[group.key]):
            prefix = f"{group.key}{SEP}{index}{SEP}"
            item = {q.key: _collect(q, prefix + q.key, cleaned) for q in group.questions if q.asks}
            items.append(None if all(_is_blank_answer(v) for v in item.values()) else item)
        return items

    def answers(self) -> dict[str, Any]:
        """The cleaned data of a valid step as JSON-ready answers, one per question key."""
        result: dict[str, Any] = {}
        for question in self.questions:
            if not question.asks:
                continue
            if question.type == "group":
                result[question.key] = [i for i in self._items(question, self.cleaned_data) if i]
            else:
                result[question.key] = _collect(question, question.key, self.cleaned_data)
        return result

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(element id, message) for the error summary, in the order of the page."""
        links = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                bound = self[name]
                anchor = bound.auto_id
                if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{anchor}_0"
                links.append((anchor, message))
        return links

    @property
    def has_file(self) -> bool:
        return self.step.has_file


def _collect(question: Question, name: str, cleaned: dict[str, Any]) -> Any:
    if question.type == "address":
        parts = {part: cleaned.get(f"{name}{SEP}{part}") or "" for part in ADDRESS_PARTS}
        return parts if any(parts.values()) else None
    value = cleaned.get(name)
    if question.type in {"file"} and value is None:
        return ""
    return value


def _is_blank_answer(value: Any) -> bool:
    if isinstance(value, dict):
        return not any(value.values())
    return value in (None, "", [])


def step_form(
    step: Step,
    context: ChoiceContext,
    *,
    data: Any = None,
    files: Any = None,
    answers: dict[str, Any] | None = None,
    upload_errors: dict[str, str] | None = None,
) -> StepForm:
    """A bound form when ``data`` is posted, otherwise one showing the saved ``answers``.
    ``answers`` also decide which questions are asked (``show_if``)."""
    if data is not None:
        return StepForm(
            step, context, answers=answers, data=data, files=files, upload_errors=upload_errors
        )
    saved = answers or {}
    sizes = {
        q.key: len(saved[q.key])
        for q in step.questions
        if q.type == "group" and isinstance(saved.get(q.key), list)
    }
    form = StepForm(step, context, answers=saved, group_sizes=sizes)
    _show(form, _as_form_data(step, saved), {})
    for question in form.questions:
        if (
            question.key not in saved
            and question.initial is not None
            and question.key in form.fields
        ):
            form.initial[question.key] = question.initial
    return form


def _show(form: StepForm, data: Any, files: Any) -> None:
    values = {
        name: f.widget.value_from_datadict(data, files, form.add_prefix(name))
        for name, f in form.fields.items()
    }
    form.initial = {name: value for name, value in values.items() if value is not None}


def redisplay(form: StepForm, data: Any, files: Any) -> StepForm:
    """The step shown again with what was typed but without errors (after "add another")."""
    fresh = StepForm(
        form.step, form.context, answers=form.prior_answers, group_sizes=form.group_sizes
    )
    _show(fresh, data, files)
    return fresh


def to_answers(form: forms.Form) -> dict[str, Any]:
    """The cleaned data of a valid step as JSON-ready answers."""
    if isinstance(form, StepForm):
        return form.answers()
    return dict(form.cleaned_data)


# --- Repeating groups without script ------------------------------------------------------------

GROUP_ACTION = "_group"


def group_action(step: Step, data: Any) -> tuple[str, str, int] | None:
    """("add", group key, -1) or ("remove", group key, index) when a group's button was pressed."""
    action = str(data.get(GROUP_ACTION) or "")
    verb, _sep, rest = action.partition(":")
    key, _sep, index = rest.partition(":")
    groups = {q.key for q in step.questions if q.type == "group"}
    if verb == "add" and key in groups:
        return ("add", key, -1)
    if verb == "remove" and key in groups and index.isdigit():
        return ("remove", key, int(index))
    return None


def posted_step_form(
    step: Step,
    context: ChoiceContext,
    data: Any,
    files: Any = None,
    *,
    answers: dict[str, Any] | None = None,
    upload_errors: dict[str, str] | None = None,
) -> tuple[StepForm, bool]:
    """The posted step, and whether it was sent to be saved: after a repeating group's "add" or
    "remove" button it is shown again with one item more or less (False), else it is bound to
    be validated (True)."""
    action = group_action(step, data)
    if action:
        return apply_group_action(step, context, data, files, action, answers), False
    form = step_form(step, context, data=data, answers=answers, upload_errors=upload_errors)
    return form, True


def apply_group_action(
    step: Step,
    context: ChoiceContext,
    data: Any,
    files: Any,
    action: tuple[str, str, int],
    answers: dict[str, Any] | None = None,
) -> StepForm:
    """The step again with one item more or less, keeping everything typed (nothing saved)."""
    verb, key, index = action
    bound = StepForm(step, context, answers=answers, data=data, files=files)
    size = bound.group_sizes[key]
    moved = data.copy()
    if verb == "remove" and size > 1 and index < size:
        prefix = f"{key}{SEP}"
        for position in range(index, size):
            for name in list(moved.keys()):
                if name.startswith(f"{prefix}{position}{SEP}"):
                    del moved[name]
            if position + 1 < size:
                for name in list(data.keys()):
                    if name.startswith(f"{prefix}{position + 1}{SEP}"):
                        rest = name[len(f"{prefix}{position + 1}{SEP}") :]
                        moved.setlist(f"{prefix}{position}{SEP}{rest}", data.getlist(name))
        size -= 1
    elif verb == "add":
        size += 1
    moved[f"{key}{SEP}count"] = str(size)
    sized = StepForm(step, context, answers=answers, data=moved, files=files)
    return redisplay(sized, moved, files)


# --- Which questions are asked ----------------------------------------------------------------


def prune(schema: FormSchema, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without those of questions now hidden (a hidden question is not kept)."""
    kept = dict(answers)
    for step in schema.steps:
        step_shown = step.show_if is None or step.show_if.holds(kept)
        for question in step.questions:
            shown = step_shown and (question.show_if is None or question.show_if.holds(kept))
            if not shown:
                kept.pop(question.key, None)
    return kept


def file_question(step: Step, name: str) -> Question | None:
    """The file question a posted file's field name belongs to (top level or in a group)."""
    for question in step.questions:
        if question.type == "file" and name == question.key:
            return question
        if question.type == "group":
            match = re.fullmatch(rf"{question.key}{SEP}\d+{SEP}([a-z0-9_]+)", name)
            if match:
                inner = next((q for q in question.questions if q.key == match.group(1)), None)
                if inner is not None and inner.type == "file":
                    return inner
    return None


def attachment_ids(schema: FormSchema, answers: dict[str, Any]) -> list[str]:
    """The attachment ids the answers name (file questions, also inside groups), in form order."""
    found: list[str] = []

    def note(value: Any) -> Any:
        found.append(str(value))
        return value

    _walk_files(schema, answers, note)
    return found


def rename_attachments(
    schema: FormSchema, answers: dict[str, Any], renamed: dict[str, str]
) -> dict[str, Any]:
    """The answers with each named attachment id replaced by ``renamed[id]``."""
    return _walk_files(schema, answers, lambda value: renamed.get(str(value), value))


def _walk_files(
    schema: FormSchema, answers: dict[str, Any], visit: Callable[[Any], Any]
) -> dict[str, Any]:
    result = dict(answers)
    for step in schema.steps:
        for question in step.questions:
            value = result.get(question.key)
            if question.type == "file" and value:
                result[question.key] = visit(value)
            elif question.type == "group" and isinstance(value, list):
                inner_files = [q.key for q in question.questions if q.type == "file"]
                items = []
                for item in value:
                    item = dict(item) if isinstance(item, dict) else item
                    for key in inner_files if isinstance(item, dict) else []:
                        if item.get(key):
                            item[key] = visit(item[key])
                    items.append(item)
                result[question.key] = items
    return result


# --- Whole-form validation and summaries -------------------------------------------------------


def validate_answers(
    schema: FormSchema, answers: dict[str, Any], context: ChoiceContext
) -> dict[str, list[str]]:
    """Check every step again against the definition, as at submission time.

    Returns the errors by step key (empty when the whole form is valid). This catches a draft
    whose step was skipped, or whose choices no longer exist (a household member moved out).
    Hidden steps and questions are not checked.
    """
    answers = prune(schema, answers)
    errors: dict[str, list[str]] = {}
    for step in schema.visible_steps(answers):
        data = _as_form_data(step, answers)
        form = StepForm(step, context, answers=answers, data=data)
        if not form.is_valid():
            errors[step.key] = [message for _anchor, message in form.error_links]
    return errors


def form_data(step: Step, answers: dict[str, Any]) -> MultiValueDict:
    """What a browser would post for ``answers``: the API checks JSON answers with this."""
    return _as_form_data(step, answers)


def _as_form_data(step: Step, answers: dict[str, Any]) -> MultiValueDict:
    # Rebuild what a browser would post, so that the same form validates it again.
    data = MultiValueDict()
    for question in step.questions:
        value = answers.get(question.key)
        if question.type == "group":
            items = value if isinstance(value, list) else []
            data[f"{question.key}{SEP}count"] = str(len(items))
            for index, item in enumerate(items):
                for inner in question.questions:
                    if isinstance(item, dict):
                        prefix = f"{question.key}{SEP}{index}{SEP}"
                        _put(data, inner, prefix + inner.key, item.get(inner.key))
        else:
            _put(data, question, question.key, value)
    return data


def _put(data: MultiValueDict, question: Question, name: str, value: Any) -> None:
    if value is None:
        return
    if question.type == "address":
        for part in ADDRESS_PARTS:
            data[f"{name}{SEP}{part}"] = str(
                (value or {}).get(part, "") if isinstance(value, dict) else ""
            )
    elif question.type == "file":
        data[f"{name}{SEP}current"] = str(value)
    elif isinstance(value, list):
        data.setlist(name, [str(v) for v in value])
    else:
        data[name] = str(value)


@dataclass(frozen=True)
class AnswerRow:
    step_key: str
    question_key: str
    label: str
    value: str
    # For a file question: the attachment's id, to link to its download.
    attachment: str = ""


def summarize(
    schema: FormSchema, answers: dict[str, Any], context: ChoiceContext
) -> list[AnswerRow]:
    """The answers as a resident or clerk reads them (labels, not stored values). Hidden steps
    and questions are left out; a group is shown item by item."""
    answers = prune(schema, answers)
    rows = []
    for step in schema.visible_steps(answers):
        for question in step.visible_questions(answers):
            if not question.asks:
                continue
            value = answers.get(question.key)
            if question.type != "group":
                rows.append(
                    AnswerRow(
                        step.key,
                        question.key,
                        pick(question.label),
                        display(question, value, context),
                        _attachment(question, value, context),
                    )
                )
                continue
            items = value if isinstance(value, list) else []
            if not items:
                rows.append(AnswerRow(step.key, question.key, pick(question.label), _("（なし）")))
            item_name = pick(question.item_label) or pick(question.label)
            for number, item in enumerate(items, start=1):
                for inner in question.questions:
                    if inner.asks:
                        rows.append(
                            AnswerRow(
                                step.key,
                                question.key,
                                _("%(item)s：%(question)s")
                                % {"item": f"{item_name} {number}", "question": pick(inner.label)},
                                display(inner, (item or {}).get(inner.key), context),
                                _attachment(inner, (item or {}).get(inner.key), context),
                            )
                        )
    return rows


def _attachment(question: Question, value: Any, context: ChoiceContext) -> str:
    known = question.type == "file" and str(value) in context.attachments
    return str(value) if known else ""


def unchanged_prefills(answers: dict[str, Any], prefilled: dict[str, Any]) -> set[str]:
    """The questions still holding the value a prefill source gave."""
    return {key for key, value in prefilled.items() if answers.get(key) == value}


def split_prefilled(
    step: Step,
    answers: dict[str, Any],
    prefilled: dict[str, Any],
    context: ChoiceContext,
    *,
    change: bool,
) -> tuple[Step, list[AnswerRow]]:
    """The step with only what must still be asked, and the prefilled answers shown instead
    (once-only). With ``change``, everything is asked again so that the resident can correct."""
    if change:
        return step, []
    shown = unchanged_prefills(answers, prefilled)
    rows = [
        AnswerRow(
            step.key,
            question.key,
            pick(question.label),
            display(question, answers.get(question.key), context),
        )
        for question in step.visible_questions(answers)
        if question.key in shown
    ]
    return replace(step, questions=tuple(q for q in step.questions if q.key not in shown)), rows


def display(question: Question, value: Any, context: ChoiceContext) -> str:
    """One answer as text."""
    if value in (None, "", []) or (isinstance(value, dict) and not any(value.values())):
        return _("（未回答）")
    if question.type == "yes_no":
        return _("はい") if value == YES else _("いいえ")
    if question.type in {"choice", "select", "multi_choice"}:
        labels = dict(_choices(question, context))
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.get(str(v), str(v)) for v in values)
    if question.type == "date":
        try:
            return wareki.format_both(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if question.type == "address" and isinstance(value, dict):
        code = validators.format_postal_code(str(value.get("postal_code") or ""))
        place = "".join(
            str(value.get(part) or "") for part in ("prefecture", "city", "town", "block")
        )
        building = str(value.get("building") or "")
        return " ".join(part for part in (code, place, building) if part)
    if question.type == "file":
        return context.attachments.get(str(value), _("添付ファイル"))
    return str(value)
