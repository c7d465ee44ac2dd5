"""Answering a correction request (補正), and withdrawing an application (取下げ)."""

import dataclasses

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.permissions import resident_required
from madoguchi.attachments import services as attachment_services
from madoguchi.cases import selectors as cases
from madoguchi.cases import services as case_services
from madoguchi.cases import workflow
from madoguchi.cases.models import Status
from madoguchi.forms import engine
from madoguchi.forms.schema import Step
from madoguchi.submissions import selectors as submissions
from madoguchi.submissions import services as submission_services


def _requested_steps(submission: object, keys: list[str]) -> list[Step]:
    """The form's steps cut down to the questions the city asked to correct."""
    steps = []
    for step in submission.form_version.parsed.steps:
        questions = tuple(q for q in step.questions if q.key in keys)
        if questions:
            steps.append(dataclasses.replace(step, questions=questions))
    return steps


@require_http_methods(["GET", "POST"])
@resident_required
def correction(request: HttpRequest, reference: str) -> HttpResponse:
    submission = submissions.own_submitted(request.user, reference)
    case = cases.case_for_submission(submission)
    open_correction = cases.open_correction(case) if case else None
    if open_correction is None or case.status != Status.CORRECTION_REQUESTED:
        raise Http404
    context = submission_services.choice_context(submission)
    steps = _requested_steps(submission, open_correction.question_keys)
    # One form of only the requested questions, built by the forms engine from the definition.
    merged = Step(
        key="correction",
        title={},
        questions=tuple(q for step in steps for q in step.questions),
    )
    data, upload_errors = request.POST, {}
    if request.method == "POST" and request.FILES:
        # A replacement file is checked like any upload; the file it replaces is kept, since
        # the application's history (補正前) still names it.
        data, upload_errors = attachment_services.receive_uploads(
            submission, merged, request.POST, request.FILES, replace=False
        )
        context = submission_services.choice_context(submission)
    if request.method == "POST":
        form, to_save = engine.posted_step_form(
            merged,
            context,
            data,
            request.FILES,
            answers=submission.answers,
            upload_errors=upload_errors,
        )
        if to_save and form.is_valid():
            try:
                case_services.resubmit_correction(
                    case, resident=request.user, answers=engine.to_answers(form)
                )
            except submission_services.SubmissionInvalid:
                messages.error(request, _("申請内容に問題があります。もう一度確認してください。"))
            except workflow.TransitionNotAllowed:
                messages.error(request, _("この申請はすでに再提出されています。"))
            else:
                messages.success(request, _("修正した内容で再提出しました。審査を続けます。"))
            return redirect("portal:application", reference=reference)
    else:
        form = engine.step_form(merged, context, answers=submission.answers)
    return render(
        request,
        "portal/correction.html",
        {"submission": submission, "correction": open_correction, "form": form},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("取り下げる理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
@resident_required
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    submission = submissions.own_submitted(request.user, reference)
    case = cases.case_for_submission(submission)
    if case is None or case.status not in workflow.WITHDRAWABLE:
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.withdraw(case, resident=request.user, reason=form.cleaned_data["reason"])
        except workflow.TransitionNotAllowed:
            messages.error(request, _("この申請は取り下げられません。"))
        else:
            messages.success(request, _("申請を取り下げました。"))
        return redirect("portal:application", reference=reference)
    return render(
        request, "portal/withdraw.html", {"submission": submission, "case": case, "form": form}
    )
