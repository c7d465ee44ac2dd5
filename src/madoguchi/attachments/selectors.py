from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.http import Http404

from .models import Attachment
from .services import owner_filter


def names_for(owner: Any) -> dict[str, str]:
    """The attachments (id -> file name) of an application or a bundle's draft, for its file
    questions."""
    return {
        str(pk): name
        for pk, name in Attachment.objects.filter(**owner_filter(owner)).values_list(
            "id", "original_name"
        )
    }


def taken_in_by_staff(submission: Any) -> set[str]:
    """The ids of the application's files a clerk took in at the counter."""
    return {
        str(pk)
        for pk in Attachment.objects.filter(
            submission=submission, uploaded_by__isnull=False
        ).values_list("id", flat=True)
    }


def own_attachment(user: Any, attachment_id: Any) -> Attachment:
    """An attachment of one of the resident's own applications or bundle drafts; any other is
    a 404."""
    try:
        return Attachment.objects.select_related("submission").get(
            Q(submission__applicant=user) | Q(bundle_application__applicant=user),
            pk=attachment_id,
        )
    except Attachment.DoesNotExist as missing:
        raise Http404 from missing


def attachment_of(attachment_id: Any) -> Attachment:
    """An application's attachment by id, for a caller that checks the case's section itself
    (a bundle draft's files are nobody's case yet: 404)."""
    try:
        return Attachment.objects.select_related("submission__municipality").get(
            pk=attachment_id, submission__isnull=False
        )
    except Attachment.DoesNotExist as missing:
        raise Http404 from missing


def count_for_submissions(submission_ids: Iterable[int]) -> int:
    return Attachment.objects.filter(submission_id__in=list(submission_ids)).count()
