"""Payments through the sandbox provider: signed webhooks (forged, replayed, duplicated),
a lost webhook reconciled, refunds, and a failed payment that loses nothing."""

import datetime as dt
import io
import json
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.cases.models import Case
from madoguchi.payments import services
from madoguchi.payments.contrib.sandbox import server, signing
from madoguchi.payments.contrib.sandbox.models import Charge
from madoguchi.payments.models import Payment, WebhookEvent
from madoguchi.payments.tasks import check_payment
from madoguchi.submissions.models import Submission
from tests.flows import apply_juminhyo, decide_through_four_eyes, fill_juminhyo
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)
WEBHOOK = "/payments/webhooks/sandbox/"


@pytest.fixture
def resident_client(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def _pay_without_returning(client: Client, family, card: str) -> Payment:
    """Pay on the sandbox page but never come back (the tab was closed)."""
    check = fill_juminhyo(client, family[:1])
    checkout = client.post(check.replace("/check/", "/pay/"))["Location"]
    client.post(checkout, {"card_number": card})
    return Payment.objects.get()


def _post(body: bytes, signature: str) -> int:
    return (
        Client()
        .post(WEBHOOK, body, content_type="application/json", HTTP_SANDBOX_SIGNATURE=signature)
        .status_code
    )


def _signed_event(payment: Payment, *, timestamp: int | None = None) -> tuple[bytes, str]:
    charge = Charge.objects.get(charge_id=payment.provider_reference)
    body = json.dumps(server.event_payload(charge, "charge.succeeded")).encode()
    secret = settings.MADOGUCHI_SANDBOX_WEBHOOK_SECRET
    return body, signing.sign(secret, body, timestamp)


def test_the_webhook_submits_a_paid_application(resident_client, family) -> None:
    payment = _pay_without_returning(resident_client, family, server.CARD_OK)
    assert payment.status == "pending"
    body, signature = _signed_event(payment)
    assert _post(body, signature) == 200
    payment.refresh_from_db()
    assert payment.status == "paid"
    submission = payment.submission
    submission.refresh_from_db()
    assert submission.status == "submitted"  # submitted though the payer never came back
    assert Case.objects.filter(submission=submission).exists()


def test_a_forged_signature_is_rejected(resident_client, family) -> None:
    payment = _pay_without_returning(resident_client, family, server.CARD_OK)
    body, _signature = _signed_event(payment)
    forged = signing.sign("not-the-secret", body)
    assert _post(body, forged) == 400
    assert _post(body, "") == 400
    tampered = body.replace(b'"amount":300', b'"amount":1')
    assert _post(tampered, _signed_event(payment)[1]) == 400
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert WebhookEvent.objects.count() == 0


def test_a_replayed_webhook_is_ignored(resident_client, family) -> None:
    payment = _pay_without_returning(resident_client, family, server.CARD_OK)
    # Captured long ago and sent again: refused by its timestamp, signature or not.
    stale = int(time.time()) - settings.MADOGUCHI_PAYMENT_WEBHOOK_TOLERANCE_SECONDS - 60
    body, signature = _signed_event(payment, timestamp=stale)
    assert _post(body, signature) == 400
    payment.refresh_from_db()
    assert payment.status == "pending"
    # Applied once when fresh; the same event re-sent later (freshly signed) changes nothing.
    body, signature = _signed_event(payment)
    assert _post(body, signature) == 200
    secret = settings.MADOGUCHI_SANDBOX_WEBHOOK_SECRET
    response = Client().post(
        WEBHOOK,
        body,
        content_type="application/json",
        HTTP_SANDBOX_SIGNATURE=signing.sign(secret, body),
    )
    assert response.json() == {"result": "duplicate"}


def test_a_double_webhook_is_applied_once(resident_client, family) -> None:
    payment = _pay_without_returning(resident_client, family, server.CARD_OK)
    body, signature = _signed_event(payment)
    assert _post(body, signature) == 200
    assert _post(body, signature) == 200
    assert WebhookEvent.objects.count() == 1
    assert Submission.objects.filter(status="submitted").count() == 1
    assert Case.objects.count() == 1


def test_a_lost_webhook_is_reconciled(resident_client, family) -> None:
    payment = _pay_without_returning(resident_client, family, server.CARD_WEBHOOK_LOST)
    run_tasks()  # nothing is sent: this card's webhooks are lost
    assert Charge.objects.get().webhooks.count() == 0
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert not Case.objects.exists()
    # Not yet due for reconciliation: the threshold (10 minutes) has not passed.
    assert services.reconcile() == 0
    # The sweep (``manage.py reconcile_payments``, from cron) asks the provider.
    out = io.StringIO()
    call_command("reconcile_payments", older_than_minutes=0, stdout=out)
    assert out.getvalue().strip() == "1 payment(s) changed state."
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert Case.objects.filter(submission=payment.submission, status="received").exists()
    assert services.reconcile(older_than=dt.timedelta(0)) == 0


def test_the_scheduled_check_reconciles_one_payment(resident_client, family) -> None:
    payment = _pay_without_returning(resident_client, family, server.CARD_WEBHOOK_LOST)
    scheduled = DBTaskResult.objects.get(task_path="madoguchi.payments.tasks.check_payment")
    assert scheduled.run_after > timezone.now()  # asked only if no webhook came by then
    check_payment.call(payment.pk)
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_a_declined_card_loses_nothing(resident_client, family) -> None:
    check = fill_juminhyo(resident_client, family[:1], copies="3")
    checkout = resident_client.post(check.replace("/check/", "/pay/"))["Location"]
    back = resident_client.post(checkout, {"card_number": server.CARD_DECLINED})["Location"]
    response = resident_client.get(back, follow=True)
    page = response.content.decode()
    assert "お支払いは完了しませんでした。申請内容はそのまま保存されています。" in page
    assert response.redirect_chain[-1][0] == check
    draft = Submission.objects.get()
    assert draft.status == "draft"
    assert draft.answers["copies"] == 3
    assert Payment.objects.get().status == "failed"
    # Trying again with a good card submits the same draft.
    checkout = resident_client.post(check.replace("/check/", "/pay/"))["Location"]
    back = resident_client.post(checkout, {"card_number": server.CARD_OK})["Location"]
    assert resident_client.get(back)["Location"].endswith("/submitted/")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert Payment.objects.filter(status="paid").get().amount == 900


def test_the_webhook_arrives_over_http(live_server, settings, resident_client, family) -> None:
    # The sandbox's worker POSTs the signed event to the site's webhook URL, as a provider would.
    settings.MADOGUCHI_BASE_URL = live_server.url
    payment = _pay_without_returning(resident_client, family, server.CARD_OK)
    run_tasks()
    webhook = Charge.objects.get().webhooks.get()
    assert webhook.last_status == 200
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert WebhookEvent.objects.get().event_id == webhook.event_id


def test_a_rejection_refunds_the_fee(resident_client, family, clerk, approver) -> None:
    reference = apply_juminhyo(resident_client, family[:1])
    case = Case.objects.get(submission__reference=reference)
    decide_through_four_eyes(
        case.pk, clerk, approver, outcome="reject", reason="本人確認ができません。"
    )
    payment = Payment.objects.get()
    assert payment.status == "refunded"
    assert payment.refund_reason == "rejected"
    charge = Charge.objects.get(charge_id=payment.provider_reference)
    assert charge.status == "refunded"
    assert payment.refund_reference == charge.refund_id
    inbox = resident_client.get("/inbox/").content.decode()
    assert "手数料を返金しました" in inbox
    # A second refund (a retried task) changes nothing.
    services.refund_all(case.submission_id, reason="rejected")
    assert Payment.objects.get().refund_reference == charge.refund_id
