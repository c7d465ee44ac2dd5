"""Residents are told by e-mail through a real SMTP server; an outage delays, never loses."""

import pytest
from django.test import Client

from madoguchi.cases.models import Case
from madoguchi.notifications.models import Delivery
from tests.flows import apply_juminhyo, decide_through_four_eyes
from tests.support import free_port, run_tasks

# Decisions and deliveries run after commit, in the task worker: use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def resident_client(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def test_receipt_and_issue_are_emailed(
    smtp_server, resident_client, resident, family, clerk, approver
) -> None:
    reference = apply_juminhyo(resident_client, family[:1])
    run_tasks()
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].rcpt_tos == [resident.email]
    subject, body = smtp_server.decoded(0)
    assert subject == f"申請を受け付けました（受付番号 {reference}）"
    assert "住民票の写しの交付請求の申請を受け付けました。" in body
    assert "山田" not in subject + body  # no personal data in e-mail

    case = Case.objects.get(submission__reference=reference)
    decide_through_four_eyes(case.pk, clerk, approver)
    run_tasks()
    assert len(smtp_server.messages) == 2
    subject, body = smtp_server.decoded(1)
    assert subject == f"交付物をダウンロードできます（受付番号 {reference}）"
    assert f"http://127.0.0.1:8000/applications/{reference}/" in body


def test_an_smtp_outage_is_retried_and_the_case_still_moves(
    settings, resident_client, family, clerk, approver, smtp_server
) -> None:
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # a port nothing listens on: the server is "down"
    reference = apply_juminhyo(resident_client, family[:1])
    run_tasks()
    delivery = Delivery.objects.get(channel="email", message__event="application_received")
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.last_error == "ConnectionRefusedError"
    case = Case.objects.get(submission__reference=reference)
    assert case.status == "received"  # the application stands, the outage changed nothing
    assert "申請を受け付けました" in resident_client.get("/inbox/").content.decode()
    # Staff go on working while mail is down: the case is reviewed, decided and issued.
    decide_through_four_eyes(case.pk, clerk, approver)
    run_tasks()
    case.refresh_from_db()
    assert case.status == "issued"
    issued_mail = Delivery.objects.get(channel="email", message__event="document_issued")
    assert issued_mail.status == "pending"
    assert "交付物をダウンロードできます" in resident_client.get("/inbox/").content.decode()

    settings.EMAIL_PORT = real_port
    from madoguchi.notifications.services import deliver

    deliver(delivery.pk)  # the retry the worker would run after its backoff
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(smtp_server.messages) == 1
    deliver(delivery.pk)  # a duplicate retry sends nothing more
    assert len(smtp_server.messages) == 1
