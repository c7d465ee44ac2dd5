from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Message


def inbox(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def own_message(user: Any, message_id: int) -> Message:
    return get_object_or_404(Message, pk=message_id, recipient=user)
