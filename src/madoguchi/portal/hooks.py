from typing import Any

from django.http import HttpRequest

from madoguchi.core.hooks import register_header_hook
from madoguchi.notifications.selectors import unread_count


@register_header_hook
def inbox_count(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_resident:
        return {"unread_messages": unread_count(user)}
    return {}
