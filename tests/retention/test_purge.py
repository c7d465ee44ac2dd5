"""Retention per procedure: applications are anonymised N days after their case ended, stale
drafts deleted, issued files removed after their download period; a dry run only reports, and
what stays is still what statistics read."""

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.attachments import services as attachments
from madoguchi.attachments.models import Attachment
from madoguchi.audit import chain
from madoguchi.audit.models import AuditEntry
from madoguchi.cases import selectors as case_selectors
from madoguchi.cases.models import Case, CaseEvent, CaseNote
from madoguchi.forms.schema import Question
from madoguchi.issuance.models import IssuedDocument
from madoguchi.notifications.models import Message
from madoguchi.payments.models import Payment
from madoguchi.procedures.models import Procedure
from madoguchi.retention import services, tasks
from madoguchi.submissions.models import Submission
from tests.flows import apply_juminhyo, case_action, decide_through_four_eyes, staff_client
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)
PROOF = Question.parse(
    {"key": "proof", "type": "file", "label": {"ja": "証明書"}, "accept": ["pdf"]}
)


def _age(case: Case, days: int) -> None:
    """Let ``days`` pass since the case's events (the clock, not the data, is what moved)."""
    CaseEvent._base_manager.filter(case=case).update(at=timezone.now() - dt.timedelta(days=days))


@pytest.fixture
def world(resident, other_resident, family, neighbour, clerk, approver):
    """Applications of 住民票の写し in every state retention cares about."""
    client = Client()
    client.force_login(resident)
    # Issued 60 days ago, with a signed PDF, an internal note and a decision reason.
    old = Case.objects.get(submission__reference=apply_juminhyo(client, family[:2]))
    case_action(staff_client(clerk), old.pk, "note", {"text": "山田さんに電話で確認済み"})
    decide_through_four_eyes(old.pk, clerk, approver, reason="本人確認済み")
    run_tasks()
    old.refresh_from_db()
    _age(old, 60)
    # Withdrawn today, and one still open.
    recent = Case.objects.get(submission__reference=apply_juminhyo(client, family[:1]))
    client.post(f"/applications/{recent.reference}/withdraw/", {"reason": "不要になった"})
    still_open = Case.objects.get(submission__reference=apply_juminhyo(client, family[:1]))
    # A draft left 40 days ago, and the neighbour's draft of today.
    stale = Submission.objects.get(pk=_draft(client).pk)
    # Files the residents uploaded: one with the old application, one with the old draft.
    old_file = attachments.receive(old.submission, PROOF, "proof", _pdf())
    draft_file = attachments.receive(stale, PROOF, "proof", _pdf())
    recent_file = attachments.receive(recent.submission, PROOF, "proof", _pdf())
    Submission.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - dt.timedelta(days=40))
    other = Client()
    other.force_login(other_resident)
    fresh = _draft(other)
    Procedure.objects.filter(code="juminhyo-copy").update(
        retention_days=30, draft_retention_days=30
    )
    return {
        "old": old,
        "recent": recent,
        "open": still_open,
        "stale": stale,
        "fresh": fresh,
        "files": (old_file, draft_file, recent_file),
    }


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


def _stored(attachment: Attachment) -> bool:
    return attachment.file.storage.exists(attachment.file.name)


def _draft(client: Client) -> Submission:
    client.post("/procedures/juminhyo-copy/apply/")
    return Submission.objects.filter(status="draft").order_by("-created_at").first()


def _purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_reports_and_changes_nothing(world) -> None:
    old = world["old"]
    file_name = old.document.file.name
    entries = AuditEntry.objects.count()
    report = _purge("--dry-run")
    assert "Dry run: nothing changed." in report
    assert (
        "261009 juminhyo-copy: 1 applications would be anonymised, 1 drafts would be deleted "
        "(0 kept for a payment), 1 attachments and 1 issued files would be removed"
    ) in report
    assert "Total: 1 applications, 1 drafts, 1 attachments, 1 files in 1 procedures." in report
    assert all(_stored(a) for a in world["files"])
    assert Attachment.objects.count() == 3
    old.submission.refresh_from_db()
    assert old.submission.answers
    assert old.submission.person_id
    assert Submission.objects.filter(pk=world["stale"].pk).exists()
    assert IssuedDocument.objects.get(pk=old.document_id).file.storage.exists(file_name)
    assert CaseNote.objects.filter(case=old).exists()
    assert AuditEntry.objects.count() == entries


def test_a_real_run_anonymises_exactly_the_expired_ones(world, resident, family) -> None:
    old, recent, still_open = world["old"], world["recent"], world["open"]
    document = old.document
    file_name = document.file.name
    recent_answers = Submission.objects.get(pk=recent.submission_id).answers
    report = _purge()
    assert "261009 juminhyo-copy: 1 applications anonymised, 1 drafts deleted" in report

    submission = Submission.objects.get(pk=old.submission_id)
    assert submission.answers == {}
    assert submission.person_id is None
    assert submission.applicant != resident
    assert not submission.applicant.is_active
    assert not submission.applicant.has_usable_password()
    assert submission.reference == old.reference  # the record of the application stays
    old.refresh_from_db()
    assert old.decision_reason == old.draft_reason == ""
    assert not CaseNote.objects.filter(case=old).exists()
    assert set(CaseEvent.objects.filter(case=old).values_list("reason", flat=True)) == {""}
    assert Payment.objects.get(submission=submission).payer == submission.applicant
    document.refresh_from_db()
    assert not document.file
    assert not document.file.storage.exists(file_name)
    assert document.owner == submission.applicant
    # The uploaded files: the old application's and the deleted draft's are gone.
    old_file, draft_file, recent_file = world["files"]
    assert list(Attachment.objects.all()) == [recent_file]
    assert not _stored(old_file)
    assert not _stored(draft_file)
    assert _stored(recent_file)
    # The printed copy can still be verified by its code.
    page = Client().get(f"/verify/{document.verification_code}/").content.decode()
    assert "住民票の写し" in page

    # Closed 0 days ago, still open, the fresh draft: untouched.
    assert Submission.objects.get(pk=recent.submission_id).answers == recent_answers
    assert Submission.objects.get(pk=still_open.submission_id).person == family[0]
    assert not Submission.objects.filter(pk=world["stale"].pk).exists()
    assert Submission.objects.filter(pk=world["fresh"].pk).exists()
    # The resident no longer finds it among their applications.
    client = Client()
    client.force_login(resident)
    assert client.get(f"/applications/{old.reference}/").status_code == 404
    # What it was told stays in the inbox, without a link to that page; a recent one keeps it.
    told = Message.objects.filter(recipient=resident, about=f"cases.case:{old.pk}")
    assert told.exists()
    for message in told:
        page = client.get(f"/inbox/{message.pk}/").content.decode()
        assert old.reference in page
        assert f"/applications/{old.reference}/" not in page
    recent_link = f"/applications/{recent.submission.reference}/"
    assert Message.objects.filter(recipient=resident, link=recent_link).exists()

    # A second run finds nothing more.
    assert "Total: 0 applications, 0 drafts, 0 attachments, 0 files in 0 procedures." in _purge()


def test_the_purge_is_audited_with_counts_only(world) -> None:
    _purge()
    entry = AuditEntry.objects.get(action="purge")
    assert entry.actor is None
    assert entry.target_type == "procedures.procedure"
    assert entry.detail == {
        "anonymised": 1,
        "drafts_deleted": 1,
        "drafts_kept": 0,
        "files_removed": 1,
        "attachments_removed": 1,
    }
    assert chain.verify().intact


def test_what_stays_is_what_statistics_read(world, clerk) -> None:
    old = world["old"]
    received_at, decided_at = old.received_at, old.decided_at
    _purge()
    old = Case.objects.select_related("section__parent", "procedure").get(pk=old.pk)
    assert (old.status, old.procedure.code, old.section.parent.code) == (
        "issued",
        "juminhyo-copy",
        "nakagyo",
    )
    assert (old.received_at, old.decided_at) == (received_at, decided_at)
    steps = [
        row["to_status"] for row in case_selectors.step_durations(Case.objects.filter(pk=old.pk))
    ]
    assert steps == ["received", "in_review", "awaiting_approval", "approved", "issued"]
    (load,) = case_selectors.section_overview(clerk)
    assert load.by_status["issued"] == 1
    # The case page still opens, without anyone's personal data.
    page = staff_client(clerk).get(f"/staff/cases/{old.pk}/").content.decode()
    assert old.reference in page
    assert "山田" not in page


def test_issued_files_go_after_their_download_period_before_retention_ends(
    resident, family, clerk, approver
) -> None:
    client = Client()
    client.force_login(resident)
    case = Case.objects.get(submission__reference=apply_juminhyo(client, family[:1]))
    decide_through_four_eyes(case.pk, clerk, approver)
    run_tasks()
    case.refresh_from_db()
    document = case.document
    IssuedDocument.objects.filter(pk=document.pk).update(
        available_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert "0 applications anonymised, 0 drafts deleted (0 kept for a payment), 0 attach" in (
        _purge()
    )
    document.refresh_from_db()
    assert not document.file
    assert Submission.objects.get(pk=case.submission_id).person == family[0]


def test_the_daily_task_runs_the_purge_and_queues_the_next_run(world, settings) -> None:
    settings.MADOGUCHI_RETENTION_HOUR = 3
    assert tasks.purge_expired.call()["anonymised"] == 1
    queued = DBTaskResult.objects.get(task_path=tasks.purge_expired.module_path, status="READY")
    run_after = timezone.localtime(queued.run_after)
    assert (run_after.hour, run_after.minute) == (3, 0)
    assert dt.timedelta(0) < queued.run_after - timezone.now() <= dt.timedelta(days=1)
    # Scheduling again (a second `purge_expired --schedule`) adds no second chain.
    assert "already queued" in _purge("--schedule")
    assert (
        DBTaskResult.objects.filter(
            task_path=tasks.purge_expired.module_path, status="READY"
        ).count()
        == 1
    )
    assert services.purge() == []


def test_administrators_see_each_procedures_retention_in_the_admin(kyoto) -> None:
    from tests import factories

    admin = factories.staff_user(kyoto, "city-admin", "digital-strategy", role="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    Procedure.objects.filter(code="juminhyo-copy").update(retention_days=365)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/procedures/procedure/?q=juminhyo-copy").content.decode()
    assert "終了した申請の保存期間（日）" in page
    assert "下書きの保存期間（日）" in page
    assert '<td class="field-retention_days">365</td>' in page
