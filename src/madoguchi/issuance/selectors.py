from typing import Any

from django.http import Http404
from django.utils import timezone

from .models import IssuedDocument


def downloadable(user: Any, document_id: int) -> IssuedDocument:
    """The owner's document while it may still be downloaded; anything else is a 404."""
    document = IssuedDocument.objects.filter(pk=document_id, owner=user).first()
    if document is None or document.available_until < timezone.now():
        raise Http404
    return document
