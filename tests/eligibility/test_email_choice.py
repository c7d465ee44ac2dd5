"""Proactive notices reach the portal inbox always, and e-mail only where the resident chose it."""

import datetime as dt

import pytest
from django.test import Client

from madoguchi.eligibility import services
from madoguchi.eligibility.models import Category, Run
from madoguchi.notifications.models import Delivery, Message
from madoguchi.residents.models import TaxLedgerEntry
from tests import factories
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spouse(family):
    """The mother of the 山田 family has her own account, with an e-mail address too."""
    return factories.resident_user(family[1], email="hanako@resident.example.jp")


def sent_run(clerk, approver, kyoto) -> Run:
    run = services.start_run(clerk, kyoto, dt.date(2026, 4, 1))
    run_tasks()
    run.refresh_from_db()
    services.approve(run, approver)
    run_tasks()
    run.refresh_from_db()
    assert run.status == Run.Status.SENT
    return run


@pytest.fixture
def ledger(family):
    for person, income in zip(family, [3_500_000, 0, 0], strict=True):
        TaxLedgerEntry.objects.create(
            person=person, fiscal_year=2026, income=income, shotoku=income
        )


def test_only_the_resident_who_chose_email_gets_the_notice_by_email(
    smtp_server, ledger, resident, spouse, clerk, approver, kyoto
) -> None:
    client = Client()
    client.force_login(resident)
    page = client.get("/inbox/settings/").content.decode()
    assert 'name="email"' in page
    assert "checked" not in page.split('name="email"')[1].split(">")[0]  # off until chosen
    response = client.post(
        "/inbox/settings/", {"wanted": list(Category.values), "email": "on"}, follow=True
    )
    assert "お知らせの設定を保存しました。" in response.content.decode()
    assert "checked" in client.get("/inbox/settings/").content.decode().split('name="email"')[1]

    sent_run(clerk, approver, kyoto)

    subjects = {"児童手当を受けられます", "子ども医療費支給制度を受けられます"}
    for user in (resident, spouse):  # both are told in the portal
        inbox = Message.objects.filter(recipient=user, event__startswith="eligibility_")
        assert {m.texts["ja"]["subject"] for m in inbox} == subjects
    # Only the resident who chose it gets e-mail; the spouse's address receives nothing.
    assert {tuple(m.rcpt_tos) for m in smtp_server.messages} == {(resident.email,)}
    assert {smtp_server.decoded(i)[0] for i in range(len(smtp_server.messages))} == subjects
    assert not Delivery.objects.filter(message__recipient=spouse, channel="email").exists()


def test_turning_email_off_again_stops_it(
    smtp_server, ledger, resident, clerk, approver, kyoto
) -> None:
    services.set_opt_outs(resident, [], email=True)
    services.set_opt_outs(resident, [], email=False)

    sent_run(clerk, approver, kyoto)

    assert Message.objects.filter(recipient=resident, event__startswith="eligibility_").count() == 2
    assert smtp_server.messages == []
