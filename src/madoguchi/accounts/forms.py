import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


class StaffLoginForm(AuthenticationForm):
    """Password login for city staff only; residents log in through a provider."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("職員IDまたはパスワードが正しくありません。"),
        "not_staff": _("このページは市職員専用です。住民の方は住民用のログインをご利用ください。"),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("職員ID")
        self.fields["password"].label = _("パスワード")

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.kind != User.Kind.STAFF:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")


class OneTimeCodeForm(forms.Form):
    """The six digits an authenticator app shows; full-width digits and spaces are accepted."""

    code = forms.CharField(
        label=_("確認コード（6桁）"),
        help_text=_("認証アプリに表示されている6桁の数字を入力してください。"),
        max_length=20,
        error_messages={"required": _("確認コードを入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: object, device: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = unicodedata.normalize("NFKC", self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise ValidationError(_("確認コードは6桁の数字で入力してください。"), code="format")
        if self.device is None or not self.device.verify_is_allowed()[0]:
            raise ValidationError(
                _(
                    "確認コードの誤りが続いたため、しばらく入力できません。少し待ってからお試しください。"
                ),
                code="throttled",
            )
        if not self.device.verify_token(code):
            raise ValidationError(_("確認コードが正しくありません。"), code="invalid")
        return code
