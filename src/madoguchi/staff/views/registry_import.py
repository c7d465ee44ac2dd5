"""Registry import from CSV files (docs/registry-import.md), for administrators: the same
import as ``manage.py import_registry``, for the updates a page can carry."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.models import StaffMembership
from madoguchi.accounts.permissions import staff_required
from madoguchi.audit import services as audit
from madoguchi.residents.importing import FILES, ImportRefused, import_registry

LABELS = {
    "households": gettext_lazy("世帯"),
    "persons": gettext_lazy("住民（続柄を含む）"),
    "tax_ledger": gettext_lazy("課税台帳（所得・控除）"),
    "disability_certificates": gettext_lazy("障害者手帳"),
    "single_parents": gettext_lazy("ひとり親・寡婦"),
    "benefit_recipients": gettext_lazy("現在の受給者"),
}


class ImportForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in FILES:
            self.fields[name] = forms.FileField(
                label=_("%(file)s（%(what)s）") % {"file": f"{name}.csv", "what": LABELS[name]},
                required=False,
            )

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(name) for name in FILES):
            raise forms.ValidationError(_("取り込むファイルを1つ以上選んでください。"))
        return data


@require_http_methods(["GET", "POST"])
@staff_required
def registry_import(request: HttpRequest) -> HttpResponse:
    if not request.user.memberships.filter(role=StaffMembership.Role.ADMIN).exists():
        raise PermissionDenied
    context: dict = {}
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        municipality = request.user.municipality
        with tempfile.TemporaryDirectory(prefix="madoguchi-import-") as name:
            for field in FILES:
                upload = form.cleaned_data.get(field)
                if upload:
                    with (Path(name) / f"{field}.csv").open("wb") as target:
                        for chunk in upload.chunks():
                            target.write(chunk)
            try:
                report = import_registry(Path(name), municipality)
            except ImportRefused as refused:
                report = refused.report
        rows = {file: read.rows for file, read in report.files.items()}
        audit.record(
            actor=request.user,
            action="registry_imported" if report.ok else "registry_import_refused",
            target=municipality,
            detail={"rows": rows, "problems": len(report.problems)},
        )
        if report.ok:
            messages.success(
                request, _("%(count)d行を取り込みました。") % {"count": sum(rows.values())}
            )
        context["report"] = report
    context["form"] = form
    return render(request, "staff/registry_import.html", context)
