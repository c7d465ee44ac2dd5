"""Every staff read of personal data goes through the audit log: the case page names the
persons shown, the households of an eligibility run are read with a purpose, and the admin's
audit log itself shows no resident's name."""

import datetime as dt

import pytest
from django.test import Client

from madoguchi.audit import services as audit
from madoguchi.audit.models import AuditEntry
from madoguchi.eligibility.models import Change, Finding, Run
from tests import factories
from tests.flows import staff_client


@pytest.fixture
def run(kyoto, family, clerk) -> Run:
    """A finished run that found the 山田 household (written directly: the engine is tested in
    tests/eligibility)."""
    household = family[0].household
    run = Run.objects.create(
        municipality=kyoto,
        status=Run.Status.READY,
        as_of=dt.date(2026, 4, 1),
        counts={"jido-teate": {str(household.ward_id): {"new": 1}}},
        started_by=clerk,
    )
    Finding.objects.create(
        run=run, program="jido-teate", household=household, ward=household.ward, change=Change.NEW
    )
    return run


def test_reading_the_households_of_a_run_is_audited(run, clerk, family) -> None:
    household = family[0].household
    page = (
        staff_client(clerk)
        .get(f"/staff/eligibility/{run.pk}/jido-teate/{household.ward_id}/")
        .content.decode()
    )
    assert household.address in page
    entry = AuditEntry.objects.get(action="view_personal_data")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        clerk,
        "eligibility.run",
        str(run.pk),
    )
    assert entry.purpose == "プッシュ型通知の確認"
    assert entry.detail == {"program": "jido-teate", "ward": household.ward_id, "households": 1}


def test_a_refused_read_is_not_recorded_as_a_read(run, other_ward_clerk, family) -> None:
    ward = family[0].household.ward_id
    response = staff_client(other_ward_clerk).get(f"/staff/eligibility/{run.pk}/jido-teate/{ward}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="view_personal_data").exists()


def test_the_admins_audit_log_names_staff_but_no_resident(kyoto, resident, clerk) -> None:
    audit.record(actor=resident, action="login", target=resident)
    audit.record(actor=clerk, action="view_personal_data", target=resident, purpose="審査")
    admin = factories.staff_user(kyoto, "city-admin", "digital-strategy", role="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/audit/auditentry/").content.decode()
    assert "nakagyo-clerk" in page
    assert f"住民 #{resident.pk}" in page
    assert resident.full_name not in page
    entry = AuditEntry.objects.get(action="login")
    detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert resident.full_name not in detail
