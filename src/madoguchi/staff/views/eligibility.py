"""Proactive notices: run the eligibility engine, review the dry run, approve the sending."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.permissions import staff_required
from madoguchi.audit import services as audit
from madoguchi.eligibility import catalog
from madoguchi.eligibility import selectors as eligibility
from madoguchi.eligibility import services as eligibility_services


class RunForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("判定日"),
        help_text=gettext_lazy("この日の年齢と制度で判定します。例: 2026-04-01"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def runs(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RunForm(request.POST)
        if form.is_valid():
            run = eligibility_services.start_run(
                request.user, request.user.municipality, form.cleaned_data["as_of"]
            )
            messages.success(request, _("判定を始めました。終わるとこの画面に結果が出ます。"))
            return redirect("staff:eligibility-run", run_id=run.pk)
    else:
        form = RunForm(initial={"as_of": timezone.localdate()})
    return render(
        request,
        "staff/eligibility/runs.html",
        {"form": form, "runs": eligibility.runs(request.user)[:20]},
    )


@require_GET
@staff_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = eligibility.run_for_staff(request.user, run_id)
    return render(
        request,
        "staff/eligibility/run.html",
        {
            "run": run,
            "summary": eligibility.summary(run),
            "can_approve": eligibility_services.can_approve(request.user),
            "refresh": run.status in {run.Status.EVALUATING, run.Status.APPROVED},
        },
    )


@require_POST
@staff_required
def approve(request: HttpRequest, run_id: int) -> HttpResponse:
    run = eligibility.run_for_staff(request.user, run_id)
    try:
        eligibility_services.approve(run, request.user)
    except PermissionDenied:
        messages.error(request, _("送信を承認できるのは決裁者だけです。"))
    else:
        messages.success(request, _("送信を承認しました。お知らせを送っています。"))
    return redirect("staff:eligibility-run", run_id=run.pk)


@require_GET
@staff_required
def findings(request: HttpRequest, run_id: int, program: str, ward_id: int) -> HttpResponse:
    run = eligibility.run_for_staff(request.user, run_id)
    rows = list(eligibility.findings_for_staff(request.user, run, program, ward_id))
    audit.record(
        actor=request.user,
        action="view_personal_data",
        target=run,
        purpose="プッシュ型通知の確認",
        detail={"program": program, "ward": ward_id, "households": len(rows)},
    )
    return render(
        request,
        "staff/eligibility/findings.html",
        {
            "run": run,
            "program": catalog.program(program),
            "text": catalog.text(program),
            "findings": rows,
            "today": dt.date.today(),
        },
    )
