"""The form builder's forms: one step or one question of a definition, as plain HTML fields.

Each form turns its fields into the definition's JSON (``definition()``) and back
(``initial_from``); what only the whole definition can tell (conditions on earlier questions) is
checked again by ``forms.services.check_definition`` when the draft is saved."""

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from madoguchi.core.i18n import pick
from madoguchi.forms import prefill, sources
from madoguchi.forms.schema import CHOICE_TYPES, FILE_KINDS, KEY_PATTERN, QUESTION_TYPES
from madoguchi.forms.services import RESERVED_KEYS, TEXT_TYPES

# Every type of the definition language, in the order the builder offers them; the builder
# offers those the engine supports (``QUESTION_TYPES``).
TYPE_LABELS = {
    "text": _("短い文章"),
    "textarea": _("長い文章"),
    "kana": _("カナ"),
    "number": _("数字"),
    "date": _("日付（和暦・西暦）"),
    "address": _("郵便番号と住所"),
    "phone": _("電話番号"),
    "email": _("メールアドレス"),
    "choice": _("選択（ラジオボタン）"),
    "select": _("選択（プルダウン）"),
    "multi_choice": _("複数選択（チェックボックス）"),
    "yes_no": _("はい／いいえ"),
    "file": _("ファイルの添付"),
    "group": _("繰り返し（子ども一人ずつなど）"),
    "info": _("説明文"),
}


def question_types(*, in_group: bool = False) -> list[tuple[str, Any]]:
    return [
        (key, label)
        for key, label in TYPE_LABELS.items()
        if key in QUESTION_TYPES and not (in_group and key == "group")
    ]


def type_label(qtype: str) -> str:
    return str(TYPE_LABELS.get(qtype, qtype))


key_validator = RegexValidator(
    KEY_PATTERN,
    _(
        "キーは半角英小文字で始め、半角英小文字・数字と「_」だけにしてください"
        "（「_」は続けず、最後にも置きません）。"
    ),
)


def _texts(data: dict[str, Any], name: str) -> dict[str, str]:
    return {"ja": data.get(f"{name}_ja", "").strip(), "en": data.get(f"{name}_en", "").strip()}


def _text_fields(
    name: str, label_ja: Any, label_en: Any, *, required: bool, textarea: bool = False
) -> dict[str, forms.Field]:
    widget = forms.Textarea(attrs={"rows": 3}) if textarea else None
    return {
        f"{name}_ja": forms.CharField(
            label=label_ja,
            required=required,
            max_length=2000,
            widget=widget,
            error_messages={
                "required": _("「%(label)s」を入力してください。") % {"label": label_ja}
            },
        ),
        f"{name}_en": forms.CharField(
            label=label_en, required=False, max_length=2000, widget=widget
        ),
    }


class _DefinitionForm(forms.Form):
    """Shared by steps and questions: the key and a show/hide condition on an earlier answer."""

    key = forms.CharField(
        label=_("キー（半角英数字）"),
        max_length=40,
        validators=[key_validator],
        help_text=_("回答の保存と書き出しに使う名前です。公開後は変えないでください。"),
        error_messages={"required": _("キーを入力してください。")},
    )

    def __init__(
        self,
        *args: Any,
        used_keys: set[str],
        earlier: list[tuple[str, str]],
        conditional: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.used_keys = used_keys
        if not conditional:  # a question inside a repeating group is always asked
            return
        self.fields["show_if_question"] = forms.ChoiceField(
            label=_("表示条件：前の質問"),
            required=False,
            choices=[("", _("（常に表示する）")), *earlier],
            help_text=_("前のステップの質問を選ぶと、その回答が次の値のときだけ表示します。"),
            error_messages={
                "invalid_choice": _("表示条件には、前のステップの質問を選んでください。")
            },
        )
        self.fields["show_if_values"] = forms.CharField(
            label=_("表示条件：値"),
            required=False,
            max_length=500,
            help_text=_(
                "値を「,」で区切って入力します（どれかに一致すれば表示）。"
                "はい／いいえの質問は yes か no です。"
            ),
        )

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if key in RESERVED_KEYS:
            raise forms.ValidationError(
                _("キー「%(key)s」は予約されていて使えません。") % {"key": key}
            )
        if key in self.used_keys:
            raise forms.ValidationError(
                _("キー「%(key)s」はこのフォームで既に使われています。") % {"key": key}
            )
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("show_if_question") and not self._values(data):
            self.add_error("show_if_values", _("表示する条件の値を入力してください。"))
        chosen = data.get("show_if_question") or "show_if_question" in self.errors
        if self._values(data) and not chosen:
            self.add_error("show_if_question", _("表示条件の質問を選んでください。"))
        return data

    @staticmethod
    def _values(data: dict[str, Any]) -> list[str]:
        return [v.strip() for v in data.get("show_if_values", "").split(",") if v.strip()]

    def condition(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        values = self._values(data)
        if not data.get("show_if_question"):  # also when the form has no condition fields
            return None
        if len(values) == 1:
            return {"question": data["show_if_question"], "equals": values[0]}
        return {"question": data["show_if_question"], "in": values}


def condition_initial(item: dict[str, Any]) -> dict[str, str]:
    condition = item.get("show_if") or {}
    values = [condition["equals"]] if "equals" in condition else condition.get("in", [])
    return {
        "show_if_question": condition.get("question", ""),
        "show_if_values": ", ".join(str(v) for v in values),
    }


class StepForm(_DefinitionForm):
    field_order = ["key", "title_ja", "title_en", "description_ja", "description_en"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            _text_fields("title", _("見出し（日本語）"), _("見出し（英語）"), required=True)
        )
        self.fields.update(
            _text_fields(
                "description", _("説明（日本語）"), _("説明（英語）"), required=False, textarea=True
            )
        )
        self.order_fields(self.field_order)

    def definition(self) -> dict[str, Any]:
        data = self.cleaned_data
        step: dict[str, Any] = {
            "key": data["key"],
            "title": _texts(data, "title"),
            "description": _texts(data, "description"),
        }
        if self.condition():
            step["show_if"] = self.condition()
        return step

    @staticmethod
    def initial_from(step: dict[str, Any]) -> dict[str, Any]:
        return {
            "key": step["key"],
            **{f"title_{lang}": (step.get("title") or {}).get(lang, "") for lang in ("ja", "en")},
            **{
                f"description_{lang}": (step.get("description") or {}).get(lang, "")
                for lang in ("ja", "en")
            },
            **condition_initial(step),
        }


def _int(label: Any, *, minimum: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=minimum,
        error_messages={
            "invalid": _("「%(label)s」は整数で入力してください。") % {"label": label},
            "min_value": _("「%(label)s」は%(min)s以上にしてください。")
            % {"label": label, "min": minimum},
        },
    )


class QuestionForm(_DefinitionForm):
    """The fields of one question type; the type itself is chosen when the question is added."""

    def __init__(self, *args: Any, qtype: str, in_group: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, conditional=not in_group, **kwargs)
        self.qtype = qtype
        order = ["key"]
        if qtype != "info":
            self.fields.update(
                _text_fields("label", _("項目名（日本語）"), _("項目名（英語）"), required=True)
            )
            self.fields.update(
                _text_fields(
                    "help",
                    _("補足説明（日本語）"),
                    _("補足説明（英語）"),
                    required=False,
                    textarea=True,
                )
            )
            self.fields["required"] = forms.BooleanField(
                label=_("回答を必須にする"), required=False
            )
            order += ["label_ja", "label_en", "help_ja", "help_en", "required"]
        else:
            self.fields.update(
                _text_fields("label", _("見出し（日本語）"), _("見出し（英語）"), required=False)
            )
            self.fields.update(
                _text_fields(
                    "body", _("本文（日本語）"), _("本文（英語）"), required=True, textarea=True
                )
            )
            order += ["label_ja", "label_en", "body_ja", "body_en"]
        if qtype not in {"info", "group", "file"}:
            self.fields["prefill"] = forms.ChoiceField(
                label=_("自動入力（ワンスオンリー）"),
                required=False,
                choices=[("", _("（自動入力しない）"))]
                + [
                    (a.key, f"{pick(a.label)} — {pick(a.source_label)}")
                    for a in prefill.attributes()
                ],
                help_text=_("市が持っている情報で回答を埋めます。住民は確認だけで済みます。"),
                error_messages={"invalid_choice": _("自動入力の項目を一覧から選んでください。")},
            )
            order.append("prefill")
        if qtype in TEXT_TYPES:
            self.fields["min_length"] = _int(_("最少文字数"), minimum=0)
            self.fields["max_length"] = _int(_("最大文字数"), minimum=1)
            self.fields["pattern"] = forms.CharField(
                label=_("入力パターン（正規表現）"),
                required=False,
                max_length=300,
                help_text=_("例：^[0-9]{4}$（半角数字4桁）"),
            )
            self.fields.update(
                _text_fields(
                    "pattern_message",
                    _("パターンに合わないときのメッセージ（日本語）"),
                    _("パターンに合わないときのメッセージ（英語）"),
                    required=False,
                )
            )
            order += [
                "min_length",
                "max_length",
                "pattern",
                "pattern_message_ja",
                "pattern_message_en",
            ]
        elif qtype == "number":
            self.fields["min"] = _int(_("最小値"))
            self.fields["max"] = _int(_("最大値"))
            order += ["min", "max"]
        elif qtype == "date":
            for name, label in (("min", _("いちばん早い日付")), ("max", _("いちばん遅い日付"))):
                self.fields[name] = forms.DateField(
                    label=label,
                    required=False,
                    help_text=_("西暦で 2024-04-01 のように入力します。"),
                    error_messages={
                        "invalid": _("「%(label)s」は 2024-04-01 のように入力してください。")
                        % {"label": label}
                    },
                )
            order += ["min", "max"]
        elif qtype in CHOICE_TYPES:
            self.fields["choices"] = forms.CharField(
                label=_("選択肢"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_(
                    "1行に1つ、「値 | 日本語 | 英語」の形で書きます。例：car | 自動車 | Car"
                ),
            )
            self.fields["choices_source"] = forms.ChoiceField(
                label=_("選択肢を市の情報から作る"),
                required=False,
                choices=[("", _("（使わない）"))] + [(n, n) for n in sources.names()],
                error_messages={"invalid_choice": _("選択肢の元を一覧から選んでください。")},
            )
            order += ["choices", "choices_source"]
        elif qtype == "file":
            self.fields["accept"] = forms.MultipleChoiceField(
                label=_("受け付けるファイルの種類"),
                choices=[(kind, kind.upper()) for kind in sorted(FILE_KINDS)],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("受け付けるファイルの種類を選んでください。")},
            )
            self.fields["max_size_mb"] = forms.IntegerField(
                label=_("最大サイズ（MB）"),
                min_value=1,
                max_value=20,
                error_messages={
                    "required": _("最大サイズを入力してください。"),
                    "invalid": _("最大サイズは1から20までの整数で入力してください。"),
                    "min_value": _("最大サイズは1から20までの整数で入力してください。"),
                    "max_value": _("最大サイズは1から20までの整数で入力してください。"),
                },
            )
            order += ["accept", "max_size_mb"]
        elif qtype == "group":
            self.fields.update(
                _text_fields(
                    "item_label",
                    _("1件の呼び方（日本語）"),
                    _("1件の呼び方（英語）"),
                    required=True,
                )
            )
            self.fields["min_items"] = _int(_("最少件数"), minimum=0)
            self.fields["max_items"] = _int(_("最大件数"), minimum=1)
            order += ["item_label_ja", "item_label_en", "min_items", "max_items"]
        self.order_fields(order)

    def clean_pattern(self) -> str:
        pattern = self.cleaned_data["pattern"]
        try:
            re.compile(pattern)
        except re.error as error:
            raise forms.ValidationError(
                _("正規表現として正しくありません。括弧（ ）や [ ] の対応を確かめてください。")
            ) from error
        return pattern

    def clean_choices(self) -> list[dict[str, Any]]:
        parsed = []
        for number, line in enumerate(self.cleaned_data["choices"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("%(line)d行目：「値 | 日本語 | 英語」の形で書いてください。")
                    % {"line": number}
                )
            if any(choice["value"] == parts[0] for choice in parsed):
                raise forms.ValidationError(
                    _("%(line)d行目：値「%(value)s」が重複しています。")
                    % {"line": number, "value": parts[0]}
                )
            english = parts[2] if len(parts) > 2 else ""
            parsed.append({"value": parts[0], "label": {"ja": parts[1], "en": english}})
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for low, high in (("min_length", "max_length"), ("min", "max"), ("min_items", "max_items")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("上限は下限以上にしてください。"))
        if data.get("pattern") and not data.get("pattern_message_ja", "").strip():
            self.add_error(
                "pattern_message_ja", _("パターンに合わないときのメッセージを入力してください。")
            )
        lacks_choices = not data.get("choices") and not data.get("choices_source")
        if self.qtype in CHOICE_TYPES and lacks_choices and "choices" not in self.errors:
            self.add_error("choices", _("選択肢を書くか、選択肢の元を選んでください。"))
        return data

    def definition(self) -> dict[str, Any]:
        data = self.cleaned_data
        question: dict[str, Any] = {
            "key": data["key"],
            "type": self.qtype,
            "label": _texts(data, "label"),
        }
        if self.qtype == "info":
            question.update(required=False, body=_texts(data, "body"))
        else:
            question.update(help=_texts(data, "help"), required=data["required"])
        if data.get("prefill"):
            question["prefill"] = data["prefill"]
        for name in ("min_length", "max_length", "min", "max", "min_items", "max_items"):
            if data.get(name) is not None:
                value = data[name]
                question[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if data.get("pattern"):
            question.update(
                pattern=data["pattern"], pattern_message=_texts(data, "pattern_message")
            )
        if self.qtype in CHOICE_TYPES:
            if data.get("choices_source"):
                question["choices_source"] = data["choices_source"]
            else:
                question["choices"] = data["choices"]
        if self.qtype == "file":
            question.update(accept=data["accept"], max_size_mb=data["max_size_mb"])
        if self.qtype == "group":
            question["item_label"] = _texts(data, "item_label")
        if self.condition():
            question["show_if"] = self.condition()
        return question

    @staticmethod
    def initial_from(question: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "key": question["key"],
            "required": question.get("required", True),
        }
        for name in ("label", "help", "body", "pattern_message", "item_label"):
            for lang in ("ja", "en"):
                initial[f"{name}_{lang}"] = (question.get(name) or {}).get(lang, "")
        for name in (
            "prefill",
            "min_length",
            "max_length",
            "min",
            "max",
            "min_items",
            "max_items",
            "pattern",
            "choices_source",
            "accept",
            "max_size_mb",
        ):
            if name in question:
                initial[name] = question[name]
        initial["choices"] = "\n".join(
            " | ".join([c["value"], c["label"].get("ja", ""), c["label"].get("en", "")])
            for c in question.get("choices", [])
        )
        return {**initial, **condition_initial(question)}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("書き出したフォームのファイル（JSON）"),
        help_text=_("読み込むと下書きが置き換わります。公開中の版は変わりません。"),
        error_messages={
            "required": _("読み込むファイルを選んでください。"),
            "empty": _("ファイルが空です。"),
        },
    )
