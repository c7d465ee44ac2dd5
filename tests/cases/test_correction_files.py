"""A correction (補正) of a file: the resident replaces a file (or removes an optional one); the
new file is checked like any upload, the replaced one stays readable for staff in the history,
the change is shown on the case page and audited."""

import pytest

from madoguchi.attachments.models import Attachment
from madoguchi.audit.models import AuditEntry
from madoguchi.cases.models import Case
from tests import files, onestop
from tests.flows import case_action, staff_client


@pytest.fixture
def pension_clerk(kyoto):
    return onestop.section_clerk(kyoto)


@pytest.fixture
def case(kyoto, family, resident_client, pension_clerk) -> Case:
    """An application with both files, sent back for a correction of them and the phone."""
    files.add_documents_step(onestop.publish(kyoto))
    step = resident_client.post(f"/procedures/{onestop.CODE}/apply/")["Location"]
    step = resident_client.post(step, {"phone": "075-222-3111"})["Location"]
    step = resident_client.post(step, {"members": [str(family[2].pk)], "insured": "yes"})
    check = resident_client.post(
        step["Location"],
        {"health_card": files.upload(), "other_document": files.upload(name="other.pdf")},
    )["Location"]
    resident_client.post(check)
    case = Case.objects.get()
    staff = staff_client(pension_clerk)
    case_action(staff, case.pk, "start_review")
    case_action(
        staff,
        case.pk,
        "correction",
        {
            "message": "保険証の写しが読めません。",
            "questions": ["phone", "health_card", "other_document"],
        },
    )
    case.refresh_from_db()
    assert case.status == "correction_requested"
    return case


def test_the_resident_replaces_and_removes_files_and_staff_see_both_versions(
    case, resident_client, pension_clerk
) -> None:
    url = f"/applications/{case.reference}/correction/"
    original = Attachment.objects.get(original_name="hokensho.pdf")
    other = Attachment.objects.get(original_name="other.pdf")
    page = resident_client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "選択済みのファイル：hokensho.pdf" in page
    assert 'name="other_document__remove"' in page  # optional: it may go
    assert 'name="health_card__remove"' not in page  # required: only replaced

    # A replacement is checked like any upload: refused, nothing changes.
    refused = resident_client.post(
        url,
        {
            "phone": "075-222-3111",
            "health_card": files.upload(b"just text", "scan.pdf"),
            "health_card__current": str(original.id),
            "other_document__current": str(other.id),
        },
    )
    assert refused.status_code == 200
    assert "「健康保険証の写し」はPDF、JPEG、PNGのファイルにしてください" in (
        refused.content.decode()
    )
    # A good file with another answer missing: kept on the page, not yet in the application.
    pending = resident_client.post(
        url,
        {
            "phone": "",
            "health_card": files.upload(files.PDF + b"%1", "first-try.pdf"),
            "health_card__current": str(original.id),
            "other_document__current": str(other.id),
        },
    )
    assert pending.status_code == 200
    first_try = Attachment.objects.get(original_name="first-try.pdf")
    assert f'name="health_card__current" value="{first_try.id}"' in pending.content.decode()
    case.refresh_from_db()
    assert case.status == "correction_requested"
    assert case.submission.answers["health_card"] == str(original.id)

    response = resident_client.post(
        url,
        {
            "phone": "075-222-3111",
            "health_card": files.upload(files.PDF + b"%2", "clear.pdf"),
            "health_card__current": str(first_try.id),
            "other_document__current": str(other.id),
            "other_document__remove": "1",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_review"
    clear = Attachment.objects.get(original_name="clear.pdf")
    assert case.submission.answers["health_card"] == str(clear.id)
    assert case.submission.answers["other_document"] == ""
    # Nothing is lost: the replaced and the removed file stay; only the first try (never sent)
    # is gone.
    assert set(Attachment.objects.values_list("original_name", flat=True)) == {
        "hokensho.pdf",
        "other.pdf",
        "clear.pdf",
    }
    resident_page = resident_client.get(f"/applications/{case.reference}/").content.decode()
    assert "clear.pdf" in resident_page

    # Staff read both versions in the correction's history, and download each.
    staff = staff_client(pension_clerk)
    page = staff.get(f"/staff/cases/{case.pk}/").content.decode()
    history = page[page.index("補正前と補正後") :]
    for attachment in (original, other, clear):
        assert f'href="/staff/attachments/{attachment.id}/">{attachment.original_name}</a>' in (
            history
        )
    old = staff.get(f"/staff/attachments/{original.id}/")
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == files.PDF
    # The resubmission is audited with the files that went and came (ids, no names).
    entry = AuditEntry.objects.get(action="update", target_id=str(case.submission.pk))
    assert entry.actor_id == case.submission.applicant_id
    assert entry.detail["files_removed"] == sorted([str(original.id), str(other.id)])
    assert entry.detail["files_added"] == [str(clear.id)]
    assert "clear.pdf" not in str(entry.detail)


def test_a_correction_without_a_new_file_keeps_the_file(case, resident_client) -> None:
    original = Attachment.objects.get(original_name="hokensho.pdf")
    other = Attachment.objects.get(original_name="other.pdf")
    response = resident_client.post(
        f"/applications/{case.reference}/correction/",
        {
            "phone": "075-222-9999",
            "health_card__current": str(original.id),
            "other_document__current": str(other.id),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.submission.answers["health_card"] == str(original.id)
    assert case.submission.answers["phone"] == "075-222-9999"
    assert "files_removed" not in AuditEntry.objects.get(action="update").detail


def test_a_file_question_not_opened_for_correction_is_not_taken(
    kyoto, family, resident_client
) -> None:
    files.add_documents_step(onestop.publish(kyoto))
    step = resident_client.post(f"/procedures/{onestop.CODE}/apply/")["Location"]
    step = resident_client.post(step, {"phone": "075-222-3111"})["Location"]
    step = resident_client.post(step, {"members": [str(family[2].pk)], "insured": "yes"})
    check = resident_client.post(step["Location"], {"health_card": files.upload()})["Location"]
    resident_client.post(check)
    case = Case.objects.get()
    staff = staff_client(onestop.section_clerk(kyoto))
    case_action(staff, case.pk, "start_review")
    case_action(staff, case.pk, "correction", {"message": "電話番号", "questions": ["phone"]})
    response = resident_client.post(
        f"/applications/{case.reference}/correction/",
        {"phone": "075-222-9999", "health_card": files.upload(name="sneaked.pdf")},
    )
    assert response.status_code == 302
    assert not Attachment.objects.filter(original_name="sneaked.pdf").exists()
    case.refresh_from_db()
    assert case.submission.answers["phone"] == "075-222-9999"


def test_the_correction_error_is_in_english(case, resident_client) -> None:
    original = Attachment.objects.get(original_name="hokensho.pdf")
    response = resident_client.post(
        f"/en/applications/{case.reference}/correction/",
        {
            "phone": "075-222-3111",
            "health_card": files.upload(files.PDF + files.EICAR),
            "health_card__current": str(original.id),
        },
    )
    assert "The file for “Copy of the health insurance card” contains a virus" in (
        response.content.decode()
    )
