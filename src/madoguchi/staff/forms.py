from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.cases.models import Outcome, Status

APPROVE, REJECT = Outcome.APPROVE, Outcome.REJECT


class DecisionForm(forms.Form):
    """起案 (or, in a workflow without 決裁, the decision itself)."""

    outcome = forms.ChoiceField(
        label=_("決定"),
        choices=[(APPROVE, _("承認する")), (REJECT, _("却下する"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("承認するか却下するかを選んでください。")},
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("却下する場合は必ず入力してください。申請者にそのまま伝わります。"),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == REJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("却下する理由を入力してください。申請者に伝わります。"))
        return data


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("差し戻す理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("差し戻す理由を入力してください。")},
    )


class CorrectionForm(forms.Form):
    message = forms.CharField(
        label=_("直してほしい点"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("申請者にそのまま伝わります。何をどう直せばよいか、具体的に書いてください。"),
        error_messages={"required": _("直してほしい点を入力してください。")},
    )
    questions = forms.MultipleChoiceField(
        label=_("申請者が直せる項目"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("申請者が直せる項目を選んでください。"),
            "invalid_choice": _("申請者が直せる項目を選んでください。"),
        },
    )

    def __init__(self, *args: Any, questions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = questions


class FeeForm(forms.Form):
    fee_yen = forms.IntegerField(
        label=_("手数料（円）"),
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "required": _("手数料を入力してください。"),
            "invalid": _("手数料は数字で入力してください。"),
            "min_value": _("手数料は0円以上で入力してください。"),
            "max_value": _("手数料が大きすぎます。"),
        },
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("担当者"), required=False)

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("（未割当）")), *staff]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内部メモ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("職員だけが読めます。申請者には表示されません。"),
        error_messages={"required": _("メモを入力してください。")},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("失効の理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("検証ページには「失効」とだけ表示され、理由は表示されません。"),
        error_messages={"required": _("失効の理由を入力してください。")},
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("open", _("対応中")), ("", _("すべて")), *Status.choices],
    )
    procedure = forms.TypedChoiceField(label=_("手続"), required=False, coerce=int)
    ward = forms.TypedChoiceField(label=_("区"), required=False, coerce=int)
    assignee = forms.ChoiceField(label=_("担当者"), required=False)
    overdue = forms.BooleanField(label=_("期限を過ぎた案件だけ"), required=False)

    def __init__(
        self,
        *args: Any,
        procedures: list[tuple[int, str]],
        wards: list[tuple[int, str]],
        staff: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("すべて")), *procedures]
        self.fields["ward"].choices = [("", _("すべて")), *wards]
        self.fields["assignee"].choices = [
            ("", _("すべて")),
            ("me", _("自分")),
            ("none", _("未割当")),
            *staff,
        ]


BULK_ACTIONS = [
    ("assign_me", _("自分に割り当てる")),
    ("start_review", _("審査を始める")),
    ("draft_approve", _("承認で起案する")),
    ("sign_off", _("決裁する（起案どおり）")),
]


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("選んだ案件の操作"),
        choices=BULK_ACTIONS,
        error_messages={"required": _("操作を選んでください。")},
    )
    cases = forms.TypedMultipleChoiceField(
        label=_("案件"),
        coerce=int,
        error_messages={"required": _("案件を選んでください。")},
    )

    def __init__(self, *args: Any, case_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, str(pk)) for pk in case_ids]


class RevealMyNumberForm(forms.Form):
    """Showing a 個人番号 in full: the purpose goes to the audit log."""

    purpose = forms.CharField(
        label=_("表示する目的"),
        max_length=200,
        help_text=_("監査ログに記録されます。例: 児童手当の認定審査（番号法 別表）"),
        error_messages={"required": _("個人番号を表示する目的を入力してください。")},
    )


class CounterSearchForm(forms.Form):
    """書かない窓口: find the resident in the registry."""

    name = forms.CharField(label=_("氏名"), required=False, max_length=80)
    kana = forms.CharField(label=_("氏名（カナ）"), required=False, max_length=80)
    birth_date = forms.DateField(
        label=_("生年月日"),
        required=False,
        input_formats=["%Y-%m-%d", "%Y/%m/%d"],
        help_text=_("例：1985-04-01"),
        error_messages={"invalid": _("生年月日は 1985-04-01 のように入力してください。")},
    )

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("name") or data.get("kana") or data.get("birth_date")):
            raise forms.ValidationError(
                _("氏名、氏名（カナ）、生年月日のいずれかを入力してください。")
            )
        return data


class CounterConfirmForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("申請者ご本人が画面の内容を確認しました"),
        error_messages={
            "required": _("申請者ご本人に内容を確認していただき、チェックしてください。")
        },
    )
