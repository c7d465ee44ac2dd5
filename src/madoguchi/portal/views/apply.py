"""Applying: the steps of a draft, check your answers, submit once, confirmation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.permissions import resident_required, step_up_redirect
from madoguchi.attachments import services as attachment_services
from madoguchi.cases import selectors as cases
from madoguchi.core.ratelimits import submission_ratelimit
from madoguchi.forms import engine
from madoguchi.forms import selectors as form_selectors
from madoguchi.forms.schema import Step
from madoguchi.payments import selectors as payments
from madoguchi.submissions import selectors as submissions
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.guards import SubmissionBlocked
from madoguchi.submissions.models import Submission

from .catalog import get_procedure_or_404


@require_POST
@resident_required
@submission_ratelimit
def start_application(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_procedure_or_404(code)
    form_version = form_selectors.current_version(procedure)
    if not procedure.online_available or form_version is None:
        raise Http404
    step_up = step_up_redirect(
        request, procedure.minimum_assurance, reverse("portal:procedure", args=[code])
    )
    if step_up:
        return step_up
    draft = submission_services.start_draft(
        applicant=request.user,
        form_version=form_version,
        language=get_language() or "ja",
        idempotency_key=request.POST.get("form_token", "")[:200],
    )
    if not draft.is_draft:  # the same form again after submitting: show the one application
        return redirect("portal:submitted", reference=draft.reference)
    first = draft.form_version.parsed.visible_steps(draft.answers)[0]
    return redirect("portal:step", draft=draft.uuid, step=first.key)


@require_http_methods(["GET", "POST"])
@resident_required
@submission_ratelimit
def form_step(request: HttpRequest, draft: str, step: str) -> HttpResponse:
    submission = submissions.own_draft(request.user, draft)
    schema = submission.form_version.parsed
    try:
        current = schema.step(step)
    except KeyError as missing:
        raise Http404 from missing
    returning_to_check = request.GET.get("return") == "check"
    visible = schema.visible_steps(submission.answers)
    if current not in visible:
        # An earlier answer skips this step: it is not asked.
        return _after(submission, schema.next_step(current.key, submission.answers), False)
    # Once-only: what the city holds is shown, not asked, unless the resident wants to change it.
    asked, prefilled_rows = submissions.split_prefilled(
        submission, current, change=request.GET.get("change") == "1"
    )
    change_query = request.GET.copy()
    change_query["change"] = "1"
    if request.method == "POST":
        data, upload_errors = attachment_services.receive_uploads(
            submission, current, request.POST, request.FILES
        )
        context = submission_services.choice_context(submission)
        form, to_save = engine.posted_step_form(
            asked,
            context,
            data,
            request.FILES,
            answers=submission.answers,
            upload_errors=upload_errors,
        )
        if to_save and form.is_valid():
            submission_services.save_step(submission, current.key, engine.to_answers(form))
            following = schema.next_step(current.key, submission.answers)
            return _after(submission, following, returning_to_check)
    else:
        context = submission_services.choice_context(submission)
        form = engine.step_form(asked, context, answers=submission.answers)
    previous = schema.previous_step(current.key, submission.answers)
    if returning_to_check:
        back_url = reverse("portal:check", kwargs={"draft": submission.uuid})
    elif previous:
        back_url = reverse("portal:step", kwargs={"draft": submission.uuid, "step": previous.key})
    else:
        back_url = reverse("portal:procedure", kwargs={"code": submission.procedure.code})
    return render(
        request,
        "portal/step.html",
        {
            "submission": submission,
            "step": current,
            "form": form,
            "step_number": visible.index(current) + 1,
            "step_total": len(visible),
            "back_url": back_url,
            "prefilled_rows": prefilled_rows,
            "change_url": f"?{change_query.urlencode()}",
        },
    )


def _after(submission: Submission, following: Step | None, to_check: bool) -> HttpResponse:
    if following is None or to_check:
        return redirect("portal:check", draft=submission.uuid)
    return redirect("portal:step", draft=submission.uuid, step=following.key)


@require_http_methods(["GET", "POST"])
@resident_required
@submission_ratelimit
def check_answers(request: HttpRequest, draft: str) -> HttpResponse:
    try:
        submission = submissions.own_draft(request.user, draft)
    except Http404:
        # A resent form after submitting (back button, double click): show the one application.
        done = submissions.own_submissions(request.user).filter(uuid=draft).first()
        if done is None or done.reference is None:
            raise
        return redirect("portal:submitted", reference=done.reference)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        step_up = step_up_redirect(
            request, submission.procedure.minimum_assurance, request.get_full_path()
        )
        if step_up:
            return step_up
        try:
            submitted = submission_services.submit(submission)
        except submission_services.SubmissionInvalid as invalid:
            errors = invalid.errors
        except SubmissionBlocked as blocked:
            errors = {"": [str(blocked.message)]}
        else:
            return redirect("portal:submitted", reference=submitted.reference)
    schema = submission.form_version.parsed
    return render(
        request,
        "portal/check.html",
        {
            "submission": submission,
            "rows": submissions.answer_rows(submission),
            "steps": schema.visible_steps(submission.answers),
            "step_errors": errors,
            "fee": payments.fee_for_submission(submission),
            "payment_due": payments.due_before_submission(submission),
        },
    )


@require_GET
@resident_required
def submitted(request: HttpRequest, reference: str) -> HttpResponse:
    submission = submissions.own_submitted(request.user, reference)
    return render(
        request,
        "portal/submitted.html",
        {"submission": submission, "case": cases.case_for_submission(submission)},
    )
