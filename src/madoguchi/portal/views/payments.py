"""Paying a fee: before submitting (the check page sends the resident here) or after review
(事後決済, from the application's page). The provider's page takes the card; the resident comes
back to ``payment_return``. A failed or cancelled payment leaves the application as it was."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.permissions import resident_required
from madoguchi.cases import selectors as cases
from madoguchi.cases.models import Status
from madoguchi.forms import engine
from madoguchi.payments import selectors as payments
from madoguchi.payments import services as payment_services
from madoguchi.payments.models import Payment
from madoguchi.submissions import selectors as submissions
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.guards import SubmissionBlocked
from madoguchi.submissions.models import Submission


def _start(request: HttpRequest, submission: Submission, amount: int) -> HttpResponse:
    _payment, url = payment_services.start(
        submission,
        payer=request.user,
        amount=amount,
        return_url=lambda p: reverse("portal:payment-return", kwargs={"payment": p.uuid}),
    )
    return redirect(url)


@require_POST
@resident_required
def pay_draft(request: HttpRequest, draft: str) -> HttpResponse:
    submission = submissions.own_draft(request.user, draft)
    errors = engine.validate_answers(
        submission.form_version.parsed,
        submission.answers,
        submission_services.choice_context(submission),
    )
    if errors:
        return redirect("portal:check", draft=submission.uuid)
    amount = payments.due_before_submission(submission)
    if amount <= 0:
        return redirect("portal:check", draft=submission.uuid)
    return _start(request, submission, amount)


@require_POST
@resident_required
def pay_application(request: HttpRequest, reference: str) -> HttpResponse:
    submission = submissions.own_submitted(request.user, reference)
    case = cases.case_for_submission(submission)
    if case is None or case.status != Status.AWAITING_PAYMENT:
        raise Http404
    amount = payments.amount_due(submission, case.fee_yen or 0)
    if amount <= 0:
        return redirect("portal:application", reference=reference)
    return _start(request, submission, amount)


@require_GET
@resident_required
def payment_return(request: HttpRequest, payment: str) -> HttpResponse:
    """Back from the provider: ask it now rather than wait for the webhook."""
    own = payments.own_payment(request.user, payment)
    if not own.is_settled:
        own = payment_services.refresh(own)
    submission = own.submission
    submission.refresh_from_db()
    if own.status == Payment.Status.PAID:
        if submission.is_draft:
            # Usually submitted already when the payment was confirmed; submitting is
            # idempotent, so the payer who is here does not wait for that.
            try:
                submission = submission_services.submit(submission)
            except (submission_services.SubmissionInvalid, SubmissionBlocked):
                return redirect("portal:check", draft=submission.uuid)
        if own.created_at < submission.submitted_at:  # paid at application: it is submitted
            return redirect("portal:submitted", reference=submission.reference)
        messages.success(request, _("お支払いを確認しました。交付の準備ができたらお知らせします。"))
        return redirect("portal:application", reference=submission.reference)
    if own.status == Payment.Status.PENDING:
        return render(request, "portal/payment_pending.html", {"payment": own})
    messages.error(
        request,
        _(
            "お支払いは完了しませんでした。申請内容はそのまま保存されています。もう一度お試しください。"
        ),
    )
    if submission.is_draft:
        return redirect("portal:check", draft=submission.uuid)
    return redirect("portal:application", reference=submission.reference)
