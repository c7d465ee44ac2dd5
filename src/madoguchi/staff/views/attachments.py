"""An application's uploads for the staff of the case's section; every download is audited."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import staff_required
from madoguchi.attachments import selectors as attachments
from madoguchi.audit import services as audit
from madoguchi.cases import selectors as cases


@require_GET
@staff_required
def download_attachment(request: HttpRequest, attachment: str) -> HttpResponse:
    found = attachments.attachment_of(attachment)
    case = cases.case_for_submission(found.submission)
    # Only the section handling the application may read it; anyone else is told nothing.
    if case is None or not cases.can_act_on(request.user, case):
        raise Http404
    audit.record(
        actor=request.user,
        action="download_attachment",
        target=found,
        purpose="審査",
        detail={"case": case.pk, "reference": found.submission.reference},
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
