"""The resident's inbox of messages from the city."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from madoguchi.accounts.permissions import resident_required
from madoguchi.notifications import selectors as notifications
from madoguchi.notifications import services as notification_services


@require_GET
@resident_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/inbox.html", {"inbox": notifications.inbox(request.user)})


@require_GET
@resident_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = notifications.own_message(request.user, message_id)
    notification_services.mark_read(message)
    return render(request, "portal/message.html", {"message": message})
