"""書かない窓口 with a file question: the clerk takes in (scans) the document the resident brought;
it is checked like any upload, shown on the confirmation, and recorded as taken in by the clerk."""

from django.test import Client

from madoguchi.attachments.models import Attachment
from madoguchi.submissions.models import Submission
from tests import files, onestop


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_clerk_takes_in_a_document_for_the_resident(kyoto, family, resident) -> None:
    procedure = onestop.publish(kyoto)
    files.add_documents_step(procedure)
    clerk = onestop.section_clerk(kyoto)
    counter = _client(clerk)
    step = counter.post(
        f"/staff/counter/people/{family[0].pk}/start/", {"procedure": onestop.CODE}
    )["Location"]
    step = counter.post(step, {"phone": "075-222-3111"})["Location"]
    documents = counter.post(step, {"members": [str(family[2].pk)], "insured": "yes"})["Location"]
    assert documents.endswith("/documents/")
    page = counter.get(documents).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="health_card"' in page

    # A scan that is not a PDF/image or carries a virus is refused with the reason.
    refused = counter.post(documents, {"health_card": files.upload(files.PDF + files.EICAR)})
    assert refused.status_code == 200
    assert (
        "「健康保険証の写し」のファイルからウイルスが見つかったため、受け付けませんでした。"
        in refused.content.decode()
    )
    assert not Attachment.objects.exists()

    confirm = counter.post(documents, {"health_card": files.upload(name="scan.pdf")})["Location"]
    assert confirm.endswith("/confirm/")
    taken_in = Attachment.objects.get()
    assert taken_in.uploaded_by == clerk
    page = counter.get(confirm).content.decode()
    assert "scan.pdf" in page  # the resident reads what will be sent
    done = counter.post(confirm, {"confirmed": "on"})["Location"]
    assert done.endswith("/done/")

    submission = Submission.objects.get(status="submitted")
    assert submission.assisted_by == clerk
    assert submission.answers["health_card"] == str(taken_in.id)
    taken_in.refresh_from_db()
    assert taken_in.submission == submission
    # The case page says the clerk took it in; the resident reads it as their own.
    case_page = counter.get(f"/staff/cases/{submission.case.pk}/").content.decode()
    assert f'href="/staff/attachments/{taken_in.id}/">scan.pdf</a>' in case_page
    assert "窓口で職員が取り込み" in case_page
    english = counter.get(f"/en/staff/cases/{submission.case.pk}/").content.decode()
    assert "taken in by staff at the counter" in english
    download = _client(resident).get(f"/applications/attachments/{taken_in.id}/")
    assert b"".join(download.streaming_content) == files.PDF


def test_a_resident_upload_is_not_marked_as_taken_in(kyoto, family, resident) -> None:
    procedure = onestop.publish(kyoto)
    files.add_documents_step(procedure)
    applicant = _client(resident)
    step = applicant.post(f"/procedures/{onestop.CODE}/apply/")["Location"]
    step = applicant.post(step, {"phone": "075-222-3111"})["Location"]
    step = applicant.post(step, {"members": [str(family[2].pk)], "insured": "yes"})["Location"]
    check = applicant.post(step, {"health_card": files.upload()})["Location"]
    applicant.post(check)
    submission = Submission.objects.get(status="submitted")
    assert Attachment.objects.get().uploaded_by is None
    case_page = _client(onestop.section_clerk(kyoto)).get(f"/staff/cases/{submission.case.pk}/")
    assert "hokensho.pdf" in case_page.content.decode()
    assert "窓口で職員が取り込み" not in case_page.content.decode()
