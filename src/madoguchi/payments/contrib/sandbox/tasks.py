import datetime as dt
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import signing
from .models import Webhook
from .server import body_of

MAX_ATTEMPTS = 5


@task()
def deliver_webhook(webhook_id: int) -> None:
    """POST the signed event to the merchant; retried with backoff as real providers do."""
    webhook = Webhook.objects.select_related("charge").get(pk=webhook_id)
    if webhook.delivered_at:
        return
    body = body_of(webhook)
    request = urllib.request.Request(  # noqa: S310 - the merchant's configured http(s) URL
        webhook.charge.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            signing.HEADER: signing.sign(settings.MADOGUCHI_SANDBOX_WEBHOOK_SECRET, body),
        },
    )
    webhook.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            webhook.last_status = response.status
            webhook.delivered_at = timezone.now()
    except urllib.error.HTTPError as error:
        webhook.last_status = error.code
    except OSError:
        webhook.last_status = None
    webhook.save()
    if webhook.delivered_at is None and webhook.attempts < MAX_ATTEMPTS:
        run_after = timezone.now() + dt.timedelta(seconds=10 * 2**webhook.attempts)
        deliver_webhook.using(run_after=run_after).enqueue(webhook_id)
