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
