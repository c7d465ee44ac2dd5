"""A run over the registry, the dry run, approval, and the notices residents receive."""

import datetime as dt

import pytest

from madoguchi.accounts.models import StaffMembership
from madoguchi.eligibility import services
from madoguchi.eligibility.models import Change, Notice, OptOut, Run
from madoguchi.notifications.models import Message
from madoguchi.residents.models import BenefitReceipt, TaxLedgerEntry
from tests import factories
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 4, 1)


@pytest.fixture
def ledger(family):
    """The 山田 family's incomes: the father earns, the mother has no income."""
    for person, shotoku in zip(family, [3_500_000, 0, 0], strict=True):
        TaxLedgerEntry.objects.create(
            person=person, fiscal_year=2026, income=shotoku, shotoku=shotoku
        )
    return family


@pytest.fixture
def approver(kyoto):
    return factories.staff_user(
        kyoto, "nakagyo-approver", "nakagyo-citizen-services", StaffMembership.Role.APPROVER
    )


def evaluated(user, kyoto) -> Run:
    run = services.start_run(user, kyoto, DAY)
    run_tasks()
    run.refresh_from_db()
    assert run.status == Run.Status.READY, run.error
    return run


def eligibility_messages(user):
    return Message.objects.filter(recipient=user, event__startswith="eligibility_")


def test_a_family_not_yet_receiving_is_told_after_approval_once(
    ledger, resident, clerk, approver, kyoto
) -> None:
    run = evaluated(clerk, kyoto)
    new = run.findings.filter(change=Change.NEW, household=ledger[0].household)
    assert set(new.values_list("program", flat=True)) == {"jido-teate", "kodomo-iryo"}
    assert run.rule_versions["jido-teate"].startswith("openfisca-japan")
    assert run.counts["jido-teate"][str(ledger[0].household.ward_id)]["new"] == 1
    # The dry run sends nothing.
    assert not eligibility_messages(resident).exists()

    services.approve(run, approver)
    run_tasks()
    run.refresh_from_db()
    assert run.status == Run.Status.SENT
    assert run.approved_by == approver
    subjects = sorted(m.texts["ja"]["subject"] for m in eligibility_messages(resident))
    assert subjects == ["児童手当を受けられます", "子ども医療費支給制度を受けられます"]
    allowance = eligibility_messages(resident).get(texts__ja__subject="児童手当を受けられます")
    assert "月額 10,000円" in allowance.texts["ja"]["body"]
    assert allowance.link == "/procedures/child-allowance-claim/"
    assert "Child allowance" in allowance.texts["en"]["subject"]

    # The next run finds the same and sends nothing twice.
    again = evaluated(clerk, kyoto)
    services.approve(again, approver)
    run_tasks()
    again.refresh_from_db()
    assert again.notices_sent == 0
    assert eligibility_messages(resident).count() == 2


def test_a_clerk_cannot_approve_the_sending(ledger, resident, clerk, kyoto) -> None:
    run = evaluated(clerk, kyoto)
    with pytest.raises(services.PermissionDenied):
        services.approve(run, clerk)
    run_tasks()
    assert Run.objects.get(pk=run.pk).status == Run.Status.READY
    assert not eligibility_messages(resident).exists()


def test_current_recipients_are_not_told_and_those_who_left_are_listed(
    ledger, resident, clerk, neighbour, kyoto
) -> None:
    home = ledger[0].household
    BenefitReceipt.objects.create(household=home, program="jido-teate", since=dt.date(2024, 10, 1))
    BenefitReceipt.objects.create(
        household=neighbour[0].household, program="jido-teate", since=dt.date(2020, 4, 1)
    )
    run = evaluated(clerk, kyoto)
    found = dict(run.findings.filter(program="jido-teate").values_list("household", "change"))
    assert found == {neighbour[0].household_id: Change.ENDED}


def test_opted_out_residents_are_not_told(ledger, resident, clerk, approver, kyoto) -> None:
    OptOut.objects.create(user=resident, category="child")
    run = evaluated(clerk, kyoto)
    services.approve(run, approver)
    run_tasks()
    assert not eligibility_messages(resident).exists()
    assert not Notice.objects.exists()


def test_missing_income_is_told_as_possible(family, resident, clerk, approver, kyoto) -> None:
    # No ledger at all for the 山田 family: 生活保護 can only be "possible".
    run = evaluated(clerk, kyoto)
    hogo = run.findings.get(program="seikatsu-hogo", household=family[0].household)
    assert hogo.change == Change.POSSIBLE
    assert hogo.low == 0
    assert hogo.high > 0
    assert hogo.facts["income_unknown"] == 1
    services.approve(run, approver)
    run_tasks()
    message = eligibility_messages(resident).get(
        event="eligibility_possible", texts__ja__subject="生活保護を受けられる可能性があります"
    )
    assert "確認できていません" in message.texts["ja"]["body"]
