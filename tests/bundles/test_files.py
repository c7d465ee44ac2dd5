"""File questions in a life-event bundle: uploaded on the shared step, checked like any upload,
shown on the check page, and handed to each application whose form asks for it, where only
that application's section reads it."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from madoguchi.attachments.models import Attachment
from madoguchi.bundles.models import BundleApplication
from madoguchi.demo.bundles import load_bundles
from madoguchi.procedures.models import Procedure
from madoguchi.retention import tasks as retention_tasks
from madoguchi.submissions.models import Submission
from tests import factories, files, onestop
from tests.flows import staff_client

from .flows import birth_steps

# Both ask for the same file question; the 児童手当 form does not.
WITH_FILES = ["child-medical-subsidy", "nhi-enrollment"]


@pytest.fixture
def bundles(kyoto):
    for code in WITH_FILES:
        files.add_documents_step(Procedure.objects.get(municipality=kyoto, code=code))
    return load_bundles(kyoto)


@pytest.fixture
def resident_client(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def _documents_url(client: Client, family, prefix: str = "") -> str:
    """Answer every step before the documents step; return its URL."""
    steps = birth_steps(family)
    response = client.post(
        f"{prefix}/life-events/birth/start/",
        {"procedures": ["child-allowance-claim", *WITH_FILES]},
    )
    url = response["Location"]
    while not url.rstrip("/").endswith("documents"):
        response = client.post(url, steps[url.rstrip("/").split("/")[-1]])
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    return url


def _finish(client: Client, url: str, family) -> str:
    """Answer the steps after the documents step; return the check URL."""
    steps = birth_steps(family)
    while not url.endswith("/check/"):
        response = client.post(url, steps[url.rstrip("/").split("/")[-1]])
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    return url


def test_a_bundles_file_is_checked_shown_and_handed_to_each_application_asking_for_it(
    bundles,
    resident_client,
    resident,
    family,
    other_resident,
    kyoto,
    django_capture_on_commit_callbacks,
) -> None:
    url = _documents_url(resident_client, family)
    page = resident_client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    # Asked once for both procedures.
    assert "この回答は次の手続に使います" in page

    refused = resident_client.post(url, {"health_card": files.upload(b"just text")})
    assert refused.status_code == 200
    assert (
        "「健康保険証の写し」はPDF、JPEG、PNGのファイルにしてください（中身がその形式ではありません）。"
        in refused.content.decode()
    )
    infected = resident_client.post(url, {"health_card": files.upload(files.PDF + files.EICAR)})
    assert "ウイルスが見つかったため、受け付けませんでした。" in infected.content.decode()
    missing = resident_client.post(url, {})
    assert "「健康保険証の写し」のファイルを選んでください。" in missing.content.decode()
    assert not Attachment.objects.exists()

    response = resident_client.post(url, {"health_card": files.upload()})
    assert response.status_code == 302, response.content.decode()
    check_url = _finish(resident_client, response["Location"], family)
    kept = Attachment.objects.get()
    application = BundleApplication.objects.get(applicant=resident)
    assert kept.bundle_application == application
    assert kept.submission is None
    assert application.answers["health_card"] == str(kept.id)

    # The check page names the file and lets the resident (only) open it.
    page = resident_client.get(check_url).content.decode()
    assert f'<a href="/applications/attachments/{kept.id}/">hokensho.pdf</a>' in page
    download = resident_client.get(f"/applications/attachments/{kept.id}/")
    assert b"".join(download.streaming_content) == files.PDF
    other = Client()
    other.force_login(other_resident)
    assert other.get(f"/applications/attachments/{kept.id}/").status_code == 404
    pension_clerk = staff_client(onestop.section_clerk(kyoto))
    assert pension_clerk.get(f"/staff/attachments/{kept.id}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert resident_client.post(check_url).status_code == 302

    made = Submission.objects.filter(status="submitted").select_related("procedure")
    submissions = {s.procedure.code: s for s in made}
    assert set(submissions) == {"child-allowance-claim", *WITH_FILES}
    copies = {code: Attachment.objects.get(submission=submissions[code]) for code in WITH_FILES}
    assert len({c.id for c in copies.values()}) == 2
    assert len({c.file.name for c in copies.values()}) == 2
    for code, copy in copies.items():
        assert submissions[code].answers["health_card"] == str(copy.id)
        assert copy.original_name == "hokensho.pdf"
        assert copy.file.read() == files.PDF
    assert "health_card" not in submissions["child-allowance-claim"].answers
    assert not Attachment.objects.filter(submission=submissions["child-allowance-claim"]).exists()
    # The bundle's own copy is gone, its stored file too.
    assert not Attachment.objects.filter(bundle_application=application).exists()
    assert not default_storage.exists(kept.file.name)

    # The section handling each application reads its file from the case page; the 児童手当
    # section (another section) does not.
    for code, copy in copies.items():
        case_page = pension_clerk.get(f"/staff/cases/{submissions[code].case.pk}/")
        assert (
            f'href="/staff/attachments/{copy.id}/">hokensho.pdf</a>' in case_page.content.decode()
        )
        assert "窓口で職員が取り込み" not in case_page.content.decode()
        assert pension_clerk.get(f"/staff/attachments/{copy.id}/").status_code == 200
    child_support = staff_client(
        factories.staff_user(kyoto, "nakagyo-child-clerk", "nakagyo-child-support")
    )
    for copy in copies.values():
        assert child_support.get(f"/staff/attachments/{copy.id}/").status_code == 404
    # The resident reads each application's own file.
    for copy in copies.values():
        assert resident_client.get(f"/applications/attachments/{copy.id}/").status_code == 200


def test_a_good_file_survives_an_error_elsewhere_and_a_new_one_replaces_it(
    bundles, resident_client, family
) -> None:
    url = _documents_url(resident_client, family)
    first = resident_client.post(
        url, {"health_card": files.upload(), "other_document": files.upload(b"not a pdf", "x.pdf")}
    )
    page = first.content.decode()
    assert "「その他の書類」はPDFのファイルにしてください" in page
    kept = Attachment.objects.get()
    assert f'name="health_card__current" value="{kept.id}"' in page
    second = resident_client.post(url, {"health_card": files.upload(files.PDF + b"\n", "new.pdf")})
    assert second.status_code == 302
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["new.pdf"]


def test_refusals_are_in_english_on_english_pages(bundles, resident_client, family) -> None:
    url = _documents_url(resident_client, family, prefix="/en")
    assert url.startswith("/en/")
    page = resident_client.post(url, {"health_card": files.upload(b"just text")}).content.decode()
    assert "The file for “Copy of the health insurance card” must be PDF" in page


def test_at_the_counter_the_clerk_takes_in_a_bundles_file(bundles, clerk, resident, family):
    counter = staff_client(clerk)
    url = counter.post(f"/staff/counter/people/{family[0].pk}/life-events/birth/start/")["Location"]
    steps = birth_steps(family)
    while not url.endswith("/confirm/"):
        key = url.rstrip("/").split("/")[-1]
        if key == "documents":
            page = counter.get(url).content.decode()
            assert 'enctype="multipart/form-data"' in page
            refused = counter.post(url, {"health_card": files.upload(b"just text")})
            assert "「健康保険証の写し」はPDF、JPEG、PNGのファイルにしてください" in (
                refused.content.decode()
            )
            response = counter.post(url, {"health_card": files.upload(name="scan.pdf")})
        else:
            response = counter.post(url, steps[key])
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    assert "scan.pdf" in counter.get(url).content.decode()
    counter.post(url, {"confirmed": "on"})
    made = Submission.objects.filter(status="submitted", procedure__code__in=WITH_FILES)
    assert made.count() == 2
    for submission in made:
        copy = Attachment.objects.get(submission=submission)
        assert copy.uploaded_by == clerk
        assert submission.answers["health_card"] == str(copy.id)
        assert submission.assisted_by == clerk
    assert Attachment.objects.filter(submission__isnull=True).count() == 0


def test_expired_bundle_drafts_are_not_resumed_and_are_purged_with_their_files(
    bundles, resident_client, resident, family, settings, django_capture_on_commit_callbacks
) -> None:
    url = _documents_url(resident_client, family)
    resident_client.post(url, {"health_card": files.upload()})
    stale = BundleApplication.objects.get(applicant=resident)
    stored = Attachment.objects.get().file.name
    BundleApplication.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=settings.MADOGUCHI_DRAFT_TTL_DAYS + 1)
    )
    fresh = resident_client.post("/life-events/birth/start/", {"procedures": WITH_FILES})
    assert str(stale.uuid) not in fresh["Location"]
    # The daily retention run deletes it (the command does the same by hand).
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_tasks.purge_expired.call()["expired_drafts_deleted"] == 1
    assert not BundleApplication.objects.filter(pk=stale.pk).exists()
    assert BundleApplication.objects.count() == 1  # the fresh draft stays
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)


def test_a_refused_bundle_leaves_no_copied_files_behind(
    bundles, resident_client, resident, family, monkeypatch
) -> None:
    """A procedure late in the bundle refuses (a guard: an unpaid fee, say) after the earlier
    ones got their copies of the file: nothing is made, and the copies' stored files go too."""
    from madoguchi.submissions import guards

    def refuse_the_last(submission) -> None:
        if submission.procedure.code == WITH_FILES[-1]:
            raise guards.SubmissionBlocked("先に手数料をお支払いください。")

    monkeypatch.setattr(guards, "_guards", [*guards._guards, refuse_the_last])
    url = _documents_url(resident_client, family)
    response = resident_client.post(url, {"health_card": files.upload()})
    check_url = _finish(resident_client, response["Location"], family)
    original = Attachment.objects.get()
    stored_before = set(default_storage.listdir(original.file.name.rsplit("/", 1)[0])[1])

    refused = resident_client.post(check_url)
    assert "先に手数料をお支払いください。" in refused.content.decode()
    assert not Submission.objects.filter(status="submitted").exists()
    assert list(Attachment.objects.all()) == [original]  # the resident's file stays for a retry
    assert set(default_storage.listdir(original.file.name.rsplit("/", 1)[0])[1]) == stored_before
