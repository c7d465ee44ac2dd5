"""The providers' webhooks: signed, checked for freshness, applied once."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .providers.base import InvalidWebhook


@csrf_exempt  # signed by the provider instead
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        result = services.handle_webhook(provider, request.body, request.headers)
    except InvalidWebhook:
        return JsonResponse({"error": "invalid"}, status=400)
    return JsonResponse({"result": result})
