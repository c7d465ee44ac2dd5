from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madoguchi.cases.models import Status

APPROVE, REJECT = "approve", "reject"


class DecisionForm(forms.Form):
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


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("open", _("対応中")), ("", _("すべて")), *Status.choices],
    )

    def clean_status(self) -> str:
        value = self.cleaned_data["status"]
        if value not in {"open", ""} and value not in Status.values:
            raise ValidationError(_("状態を選び直してください。"))
        return value
