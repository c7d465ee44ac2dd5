from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.procedures.models import StandardDomain


class CatalogSearchForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"),
        required=False,
        max_length=100,
        help_text=_("例：住民票、児童手当、介護"),
    )
    domain = forms.ChoiceField(
        label=_("分野"),
        required=False,
        choices=[("", _("すべての分野")), *StandardDomain.choices],
    )
