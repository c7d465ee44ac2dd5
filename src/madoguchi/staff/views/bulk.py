"""Bulk actions on routine cases: each case is moved by the same service as one by one, and
one that cannot move (state changed, four-eyes rule) is skipped and counted."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madoguchi.accounts.permissions import staff_required
from madoguchi.cases import selectors as cases
from madoguchi.cases import services as case_services
from madoguchi.cases import workflow
from madoguchi.cases.models import Outcome

from ..forms import BulkForm


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    user = request.user
    own = cases.queue(user, cases.QueueFilter(status=""))
    form = BulkForm(request.POST, case_ids=list(own.values_list("pk", flat=True)))
    if not form.is_valid():
        messages.error(request, _("案件と操作を選んでください。"))
        return redirect("staff:queue")
    action = form.cleaned_data["action"]
    done = skipped = 0
    for case in own.filter(pk__in=form.cleaned_data["cases"]):
        try:
            if action == "assign_me":
                case_services.assign(case, actor=user, assignee=user)
            elif action == "start_review":
                case_services.start_review(case, actor=user)
            elif action == "draft_approve":
                case_services.draft_decision(case, actor=user, outcome=Outcome.APPROVE, reason="")
            elif action == "sign_off":
                case_services.sign_off(case, actor=user)
            done += 1
        except (workflow.TransitionNotAllowed, PermissionDenied, ValidationError):
            skipped += 1
    messages.success(
        request,
        _("%(done)d件を処理しました（処理できなかった案件：%(skipped)d件）。")
        % {"done": done, "skipped": skipped},
    )
    return redirect("staff:queue")
