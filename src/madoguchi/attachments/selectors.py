from collections.abc import Iterable
from typing import Any

from django.http import Http404

from .models import Attachment


def names_for(submission: Any) -> dict[str, str]:
    """The application's attachments (id -> file name), for its file questions."""
    return {
        str(pk): name
        for pk, name in Attachment.objects.filter(submission=submission).values_list(
            "id", "original_name"
        )
    }


def own_attachment(user: Any, attachment_id: Any) -> Attachment:
    """An attachment of one of the resident's own applications; any other is a 404."""
    try:
        return Attachment.objects.select_related("submission").get(
            pk=attachment_id, submission__applicant=user
        )
    except Attachment.DoesNotExist as missing:
        raise Http404 from missing


def attachment_of(attachment_id: Any) -> Attachment:
    """An attachment by id, for a caller that checks the case's section itself."""
    try:
        return Attachment.objects.select_related("submission__municipality").get(pk=attachment_id)
    except Attachment.DoesNotExist as missing:
        raise Http404 from missing


def count_for_submissions(submission_ids: Iterable[int]) -> int:
    return Attachment.objects.filter(submission_id__in=list(submission_ids)).count()
