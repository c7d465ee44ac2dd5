"""Case handling: the section queue, a case and its decision."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.permissions import staff_required
from madoguchi.audit import services as audit
from madoguchi.cases import selectors as cases
from madoguchi.cases import services as case_services
from madoguchi.cases import workflow
from madoguchi.cases.models import Status
from madoguchi.residents.selectors import persons_in_household
from madoguchi.submissions import selectors as submissions

from ..forms import APPROVE, DecisionForm, QueueFilterForm


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or {"status": "open"})
    status = form.cleaned_data["status"] if form.is_valid() else "open"
    return render(
        request,
        "staff/queue.html",
        {
            "filter_form": form,
            "cases": cases.queue(request.user, status=status),
            "sections": cases.staff_sections(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = cases.case_for_staff(request.user, case_id)
    submission = case.submission
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                case_services.decide(
                    case,
                    actor=request.user,
                    approve=form.cleaned_data["outcome"] == APPROVE,
                    reason=form.cleaned_data["reason"],
                )
            except workflow.TransitionNotAllowed:
                messages.error(request, _("この案件はすでに決定されています。"))
            else:
                messages.success(request, _("決定を登録しました。申請者に通知します。"))
            return redirect("staff:case", case_id=case.pk)
    else:
        form = DecisionForm()
    applicant = submission.person
    member_ids = [int(i) for i in submission.answers.get("members", [])]
    audit.record(
        actor=request.user,
        action="view_personal_data",
        target=case,
        purpose="審査",
        detail={"reference": submission.reference},
    )
    return render(
        request,
        "staff/case_detail.html",
        {
            "case": case,
            "submission": submission,
            "applicant": applicant,
            "members": persons_in_household(applicant, member_ids) if applicant else [],
            "rows": submissions.answer_rows(submission),
            "events": case.events.select_related("actor"),
            "form": form,
            "can_decide": case.status == Status.RECEIVED,
        },
    )
