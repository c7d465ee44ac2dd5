from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Bundle


class ChooseProceduresForm(forms.Form):
    """Which of the bundle's procedures apply to the resident (all, unless they untick some)."""

    procedures = forms.MultipleChoiceField(
        label=_("申請する手続"),
        help_text=_("当てはまらない手続はチェックを外してください。"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("申請する手続を1つ以上選んでください。"),
            "invalid_choice": _("申請する手続を一覧から選んでください。"),
        },
    )

    def __init__(self, bundle: Bundle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        components = [c.procedure for c in bundle.components.all()]
        self.fields["procedures"].choices = [(p.code, p.name) for p in components]
        self.fields["procedures"].initial = [p.code for p in components]


class CounterConfirmForm(forms.Form):
    """At the counter, the resident reads the answers on the screen before the clerk submits."""

    confirmed = forms.BooleanField(
        label=_("申請者ご本人が画面の内容を確認しました"),
        error_messages={
            "required": _("申請者ご本人に内容を確認していただき、チェックしてください。")
        },
    )
