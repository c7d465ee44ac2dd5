"""Proactive notices: which kinds of support a resident wants to be told about."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.permissions import resident_required
from madoguchi.eligibility import selectors as eligibility
from madoguchi.eligibility import services as eligibility_services


class NoticeSettingsForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=gettext_lazy("お知らせを受け取る分野"),
        help_text=gettext_lazy(
            "チェックを外した分野は、受けられる制度が見つかってもお知らせしません。"
        ),
        choices=eligibility.categories,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    email = forms.BooleanField(
        label=gettext_lazy("メールでも受け取る"),
        help_text=gettext_lazy(
            "お知らせは必ず「お知らせ」の画面に届きます。チェックすると、登録したメールアドレスにも送ります。"
        ),
        required=False,
    )


@require_http_methods(["GET", "POST"])
@resident_required
def notice_settings(request: HttpRequest) -> HttpResponse:
    categories = [value for value, _label in eligibility.categories()]
    if request.method == "POST":
        form = NoticeSettingsForm(request.POST)
        if form.is_valid():
            wanted = set(form.cleaned_data["wanted"])
            eligibility_services.set_opt_outs(
                request.user,
                [c for c in categories if c not in wanted],
                email=form.cleaned_data["email"],
            )
            messages.success(request, _("お知らせの設定を保存しました。"))
            return redirect("portal:notice-settings")
    else:
        opted_out = eligibility.opted_out(request.user)
        form = NoticeSettingsForm(
            initial={
                "wanted": [c for c in categories if c not in opted_out],
                "email": eligibility.wants_email(request.user),
            }
        )
    return render(request, "portal/notice_settings.html", {"form": form})
