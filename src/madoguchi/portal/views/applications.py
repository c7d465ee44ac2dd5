"""My applications: their status, history and issued documents."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import resident_required
from madoguchi.audit import services as audit
from madoguchi.cases import selectors as cases
from madoguchi.datause import selectors as datause
from madoguchi.issuance import selectors as issuance
from madoguchi.submissions import selectors as submissions

from .case_actions import case_actions


@require_GET
@resident_required
def my_applications(request: HttpRequest) -> HttpResponse:
    own = submissions.own_submissions(request.user)
    submitted_list = [
        (submission, cases.case_for_submission(submission))
        for submission in own.filter(status="submitted")
    ]
    return render(
        request,
        "portal/applications.html",
        {"submitted": submitted_list, "drafts": own.filter(status="draft")},
    )


@require_GET
@resident_required
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    submission = submissions.own_submitted(request.user, reference)
    case = cases.case_for_submission(submission)
    document = case.document if case else None
    return render(
        request,
        "portal/application_detail.html",
        {
            "submission": submission,
            "case": case,
            "history": cases.resident_history(case) if case else [],
            "rows": submissions.answer_rows(submission),
            "data_uses": datause.uses_for_submission(request.user, submission),
            "document": document,
            "document_available": document is not None
            and document.available_until >= timezone.now()
            and not document.is_revoked,
            **case_actions(case),
        },
    )


@require_GET
@resident_required
def download_document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    submission = submissions.own_submitted(request.user, reference)
    document = issuance.downloadable(request.user, document_id)
    if document.reference != submission.reference:
        raise Http404
    audit.record(actor=request.user, action="download", target=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
