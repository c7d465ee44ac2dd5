"""Notification texts: staff with the 管理者 role replace the default subject and body of an
event, per language, using placeholders only."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.models import StaffMembership
from madoguchi.accounts.permissions import staff_required
from madoguchi.notifications import services as notifications
from madoguchi.notifications import templates_text
from madoguchi.notifications.events import EDITABLE, PLACEHOLDERS, SUBJECTS
from madoguchi.notifications.models import MessageTemplate

SAMPLE = {
    "reference": "A7K9-3MPQ-X2",
    "procedure": "住民票の写しの交付請求",
    "office": "中京区役所 市民窓口課",
    "reason": "…",
    "message": "…",
    "fee": 300,
    "amount": 300,
}


class TemplateForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("件名"),
        max_length=200,
        error_messages={"required": gettext_lazy("件名を入力してください。")},
    )
    body = forms.CharField(
        label=gettext_lazy("本文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("{{ reference }} のように差し込み項目だけが使えます。"),
        error_messages={"required": gettext_lazy("本文を入力してください。")},
    )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("subject", "body"):
            try:
                templates_text.check_staff_template(data.get(name, ""))
            except Exception:  # a placeholder not allowed, or a template syntax error
                self.add_error(
                    name, _("使えるのは一覧にある差し込み項目（{{ reference }} など）だけです。")
                )
        return data


def _require_admin(user: object) -> None:
    if not user.memberships.filter(role=StaffMembership.Role.ADMIN).exists():
        raise PermissionDenied


@require_GET
@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request.user)
    custom = set(MessageTemplate.objects.values_list("event", "language"))
    rows = [
        (
            event,
            SUBJECTS[event],
            [(code, name, (event, code) in custom) for code, name in settings.LANGUAGES],
        )
        for event in EDITABLE
    ]
    return render(request, "staff/message_templates.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@staff_required
def template_edit(request: HttpRequest, event: str, language: str) -> HttpResponse:
    _require_admin(request.user)
    if event not in EDITABLE or language not in dict(settings.LANGUAGES):
        raise Http404
    current = MessageTemplate.objects.filter(event=event, language=language).first()
    if request.method == "POST" and "reset" in request.POST:
        notifications.reset_template(event=event, language=language, actor=request.user)
        messages.success(request, _("既定の文面に戻しました。"))
        return redirect("staff:message-templates")
    with translation.override(language):
        default = templates_text.default(event, SAMPLE)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            notifications.save_template(
                event=event,
                language=language,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
            messages.success(request, _("通知の文面を保存しました。"))
            return redirect("staff:message-templates")
    else:
        form = TemplateForm(
            initial={"subject": current.subject, "body": current.body} if current else None
        )
    return render(
        request,
        "staff/message_template_edit.html",
        {
            "form": form,
            "event": event,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "default": default,
            "placeholders": PLACEHOLDERS.items(),
            "custom": current,
        },
    )
