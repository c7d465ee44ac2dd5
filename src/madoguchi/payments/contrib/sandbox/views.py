"""The hosted payment page: the payer enters a (test) card here, never on the city's site."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import server
from .models import Charge


class CardForm(forms.Form):
    card_number = forms.CharField(
        label=_("カード番号"),
        max_length=23,
        help_text=_("テスト用の番号だけが使えます（下の表を参照）。"),
        error_messages={"required": _("カード番号を入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )

    def clean_card_number(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["card_number"] if ch.isdigit())
        if len(digits) != 16:
            raise forms.ValidationError(_("カード番号は16桁の数字で入力してください。"))
        return digits


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, charge_id: str) -> HttpResponse:
    try:
        charge = server.get_charge(charge_id)
    except Charge.DoesNotExist as missing:
        raise Http404 from missing
    if charge.status != Charge.Status.OPEN:
        return redirect(charge.return_url)
    if request.method == "POST":
        if "cancel" in request.POST:
            server.cancel(charge)
            return redirect(charge.return_url)
        form = CardForm(request.POST)
        if form.is_valid():
            server.pay(charge, form.cleaned_data["card_number"])
            return redirect(charge.return_url)
    else:
        form = CardForm()
    return render(
        request,
        "payments_sandbox/checkout.html",
        {
            "charge": charge,
            "form": form,
            "cards": [
                (server.CARD_OK, _("支払が成功する")),
                (server.CARD_DECLINED, _("カードが拒否される")),
                (server.CARD_WEBHOOK_LOST, _("成功するが通知（Webhook）が届かない")),
            ],
        },
    )
