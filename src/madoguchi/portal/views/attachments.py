"""A resident's own uploads, streamed from private storage (there is no public URL)."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import resident_required
from madoguchi.attachments import selectors as attachments


@require_GET
@resident_required
def download_attachment(request: HttpRequest, attachment: str) -> HttpResponse:
    found = attachments.own_attachment(request.user, attachment)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
