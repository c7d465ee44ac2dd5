"""A resident completes a form with every question type, a repeating group and an upload,
through the real views; attachments stay private; drafts expire."""

import datetime as dt
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from madoguchi.attachments.models import Attachment
from madoguchi.audit.models import AuditEntry
from madoguchi.forms import services as form_services
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests import factories
from tests.forms.every_type import EVERY_TYPE_POSTS, every_type_definition

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture
def procedure(kyoto) -> Procedure:
    procedure = Procedure.objects.get(municipality=kyoto, code="child-medical-subsidy")
    form_services.publish(procedure, every_type_definition())
    return procedure


@pytest.fixture
def applicant(resident, procedure) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def _start(client: Client) -> str:
    """The first step with every question asked: ``change=1`` asks also what the registry
    prefilled (shown, not asked, otherwise)."""
    response = client.post("/procedures/child-medical-subsidy/apply/")
    assert response.status_code == 302
    return response["Location"] + "?change=1"


def _step(url: str, key: str) -> str:
    return url.rsplit("/", 2)[0] + f"/{key}/"


def _fill_until_documents(client: Client, *, children: str = "yes") -> str:
    url = _start(client)
    assert url.endswith("/applicant/?change=1")
    response = client.post(url, EVERY_TYPE_POSTS["applicant"])
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        response["Location"], {**EVERY_TYPE_POSTS["details"], "has_children": children}
    )
    assert response.status_code == 302, response.content.decode()
    if children == "yes":
        assert response["Location"].endswith("/children/")
        response = client.post(response["Location"], EVERY_TYPE_POSTS["children"])
    assert response["Location"].endswith("/documents/")
    return response["Location"]


def _upload(content: bytes, name: str = "menkyo.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_resident_completes_every_question_type(applicant, clerk, kyoto) -> None:
    documents = _fill_until_documents(applicant)
    page = applicant.get(documents).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "ステップ 4 / 4" in page
    # A refused upload: the step is shown again with the reason, and nothing typed is lost.
    response = applicant.post(
        documents, {"purpose_detail": "奨学金", "id_document": _upload(b"just text")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "「本人確認書類」はPDF、JPEG、PNGのファイルにしてください（中身がその形式ではありません）。"
        in page
    )
    assert 'href="#id_id_document"' in page
    assert 'value="奨学金"' in page
    draft = Submission.objects.get(status="draft")
    assert draft.answers["full_name_kana"] == "キョウト　ハナコ"
    response = applicant.post(
        documents, {"purpose_detail": "奨学金", "id_document": _upload(PDF + EICAR)}
    )
    assert "ウイルスが見つかったため、受け付けませんでした。" in response.content.decode()
    assert not Attachment.objects.exists()
    # A good file is kept even when another answer on the page is missing.
    response = applicant.post(documents, {"purpose_detail": "", "id_document": _upload(PDF)})
    page = response.content.decode()
    assert "「使いみちの詳細」を入力してください。" in page
    attachment = Attachment.objects.get()
    assert f'name="id_document__current" value="{attachment.id}"' in page
    response = applicant.post(
        documents, {"purpose_detail": "奨学金", "id_document__current": str(attachment.id)}
    )
    check_url = response["Location"]
    assert check_url.endswith("/check/")

    page = applicant.get(check_url).content.decode()
    assert "〒604-8571 京都府京都市中京区寺町通御池上る上本能寺前町488" in page
    assert "お子さん 2：氏名" in page
    assert "平成2年（1990年）4月1日" in page
    for step in ("applicant", "details", "children", "documents"):
        assert f'href="{_step(check_url, step)}?return=check"' in page
    assert f'href="/applications/attachments/{attachment.id}/"' in page

    response = applicant.post(check_url)
    assert response.status_code == 302, response.content.decode()
    reference = re.search(r"/applications/([^/]+)/submitted/", response["Location"]).group(1)
    page = applicant.get(response["Location"]).content.decode()
    assert reference in page
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["children"][1] == {
        "child_name": "京都 二郎",
        "child_birth_date": "2022-06-01",
    }
    assert submission.answers["id_document"] == str(attachment.id)
    assert submission.case.section.code == "nakagyo-insurance-pension"


def test_attachments_are_private(applicant, other_resident, clerk, kyoto) -> None:
    documents = _fill_until_documents(applicant)
    applicant.post(documents, {"purpose_detail": "x", "id_document": _upload(PDF)})
    attachment = Attachment.objects.get()
    # Stored under a random name in private storage: no file name, no public URL.
    assert re.fullmatch(r"attachments/[0-9a-f]{32}", attachment.file.name)
    assert default_storage.exists(attachment.file.name)
    url = f"/applications/attachments/{attachment.id}/"
    own = applicant.get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    assert own["Cache-Control"] == "private, no-store"
    stranger = Client()
    stranger.force_login(other_resident)
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    staff_url = f"/staff/attachments/{attachment.id}/"
    clerk_client = Client()
    clerk_client.force_login(clerk)
    # Not submitted yet: no case, so no clerk can read it.
    assert clerk_client.get(staff_url).status_code == 404


def test_only_the_cases_section_downloads_and_each_download_is_audited(
    applicant, clerk, kyoto
) -> None:
    documents = _fill_until_documents(applicant, children="no")
    response = applicant.post(documents, {"purpose_detail": "x", "id_document": _upload(PDF)})
    applicant.post(response["Location"])
    attachment = Attachment.objects.get()
    staff_url = f"/staff/attachments/{attachment.id}/"
    handler = factories.staff_user(kyoto, "nakagyo-insurance", "nakagyo-insurance-pension")
    handler_client = Client()
    handler_client.force_login(handler)
    case_page = handler_client.get(f"/staff/cases/{attachment.submission.case.pk}/")
    assert f'href="{staff_url}"' in case_page.content.decode()
    response = handler_client.get(staff_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    entry = AuditEntry.objects.get(action="download_attachment")
    assert entry.actor_id == handler.pk
    assert entry.target_id == str(attachment.id)
    other_section = Client()
    other_section.force_login(clerk)  # 市民窓口課, not the case's 保険年金課
    assert other_section.get(staff_url).status_code == 404
    assert AuditEntry.objects.filter(action="download_attachment").count() == 1


def test_a_step_hidden_by_an_answer_is_skipped(applicant) -> None:
    documents = _fill_until_documents(applicant, children="no")
    assert "ステップ 3 / 3" in applicant.get(documents).content.decode()
    # Going to the hidden step's address directly moves on to the next step asked.
    assert applicant.get(_step(documents, "children"))["Location"] == documents
    # A step later changed to show it again: the children step is asked.
    response = applicant.post(
        _step(documents, "details"), {**EVERY_TYPE_POSTS["details"], "has_children": "yes"}
    )
    assert response["Location"] == _step(documents, "children")


def test_changing_an_answer_drops_the_answers_it_hides(applicant) -> None:
    documents = _fill_until_documents(applicant)
    applicant.post(
        _step(documents, "details"), {**EVERY_TYPE_POSTS["details"], "has_children": "no"}
    )
    draft = Submission.objects.get(status="draft")
    assert "children" not in draft.answers


def test_a_group_grows_and_shrinks_without_script(applicant) -> None:
    url = _start(applicant)
    children = _step(url, "children")
    applicant.post(url, EVERY_TYPE_POSTS["applicant"])
    applicant.post(_step(url, "details"), EVERY_TYPE_POSTS["details"])
    page = applicant.get(children).content.decode()
    assert 'name="children__0__child_name"' in page
    assert 'name="children__1__child_name"' not in page
    response = applicant.post(
        children,
        {"children__count": "1", "children__0__child_name": "京都 一郎", "_group": "add:children"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="children__1__child_name"' in page
    assert 'value="京都 一郎"' in page
    assert "error-summary" not in page
    assert 'value="remove:children:1"' in page
    response = applicant.post(
        children,
        {
            "children__count": "2",
            "children__0__child_name": "京都 一郎",
            "children__1__child_name": "京都 二郎",
            "_group": "remove:children:0",
        },
    )
    page = response.content.decode()
    assert 'value="京都 二郎"' in page
    assert "京都 一郎" not in page
    assert 'name="children__1__child_name"' not in page


def test_errors_link_to_each_field_and_the_summary_takes_focus(applicant) -> None:
    url = _start(applicant)
    response = applicant.post(
        url, {**EVERY_TYPE_POSTS["applicant"], "phone": "12", "address__block": ""}
    )
    page = response.content.decode()
    assert "<title>エラー: " in page
    assert re.search(r'class="error-summary"[^>]*tabindex="-1" autofocus', page)
    assert 'href="#id_phone"' in page
    assert 'href="#id_address__block"' in page
    assert 'id="id_address__block"' in page
    assert 'aria-invalid="true"' in page


def test_expired_drafts_are_not_resumed_and_are_purged(
    applicant, settings, django_capture_on_commit_callbacks
) -> None:
    documents = _fill_until_documents(applicant, children="no")
    applicant.post(documents, {"purpose_detail": "", "id_document": _upload(PDF)})
    attachment = Attachment.objects.get()
    stored = attachment.file.name
    old = timezone.now() - dt.timedelta(days=settings.MADOGUCHI_DRAFT_TTL_DAYS + 1)
    Submission.objects.filter(status="draft").update(updated_at=old)
    assert applicant.get(documents).status_code == 404
    fresh = _start(applicant)
    assert fresh.split("/")[3] != documents.split("/")[3]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired_drafts")
    assert Submission.objects.filter(status="draft").count() == 1  # only the fresh one
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)


def test_the_form_and_its_messages_are_in_english(applicant) -> None:
    url = "/en" + _start(applicant)
    page = applicant.get(url).content.decode()
    assert "About you" in page
    assert "If you enter the postcode, you can leave the prefecture and city blank" in page
    response = applicant.post(
        url, {**EVERY_TYPE_POSTS["applicant"], "full_name_kana": "kyoto", "birth_date": "R1.4.1"}
    )
    page = response.content.decode()
    assert "Enter “Name in katakana” in katakana." in page
    assert "The year of “Date of birth” is outside that era." in page
