"""Staff pages: publishing datasets and files of the staff member's municipality, the check
against a standard dataset before publishing, and download counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.opendata.models import Dataset
from tests import factories
from tests.opendata.catalog_builders import (
    SHELTERS,
    csv_resource,
    dataset,
    organization,
    standard_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(clerk) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


def test_staff_create_a_dataset_for_a_bureau_of_their_city(kyoto, staff_client) -> None:
    organization(kyoto, "sogo-kikaku")
    response = staff_client.post(
        "/staff/opendata/new/",
        {
            "name": "public-toilets",
            "title": "公衆トイレ一覧",
            "owner_org": "sogo-kikaku",
            "tags": "トイレ、観光",
            "license_id": "cc-by-4.0",
            "temporal_start": "2025-04-01",
        },
    )
    assert response.status_code == 302
    created = Dataset.objects.get(name="public-toilets")
    assert {t.name for t in created.tags.all()} == {"トイレ", "観光"}
    assert created.revisions.count() == 1


def test_a_bad_dataset_form_says_what_is_wrong(kyoto, staff_client) -> None:
    organization(kyoto)
    page = staff_client.post(
        "/staff/opendata/new/", {"name": "公衆トイレ", "title": "", "temporal_start": "令和7年"}
    ).content.decode()
    assert "入力内容に問題があります" in page
    assert "タイトルを入力してください。" in page
    assert "日付は 2025-04-01 の形で入力してください。" in page
    assert "組織を選んでください。" in page


def test_a_non_conforming_file_is_reported_and_not_published(kyoto, staff_client) -> None:
    target = dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    bad = standard_csv("evacuation_sites", [{**SHELTERS[0], "緯度": "北緯35度"}])
    page = staff_client.post(
        "/staff/opendata/shelters/resources/new/",
        {
            "standard": "evacuation_sites",
            "upload": SimpleUploadedFile("shelters.csv", bad.encode("cp932")),
        },
    ).content.decode()
    assert "定義に合わない箇所が1件あります。ファイルは公開していません。" in page
    assert "「緯度」の値「北緯35度」は数値ではありません。" in page
    assert "<td>2</td>" in page  # the line of the file
    assert target.resources.count() == 0


def test_a_conforming_file_is_published_and_marked(kyoto, staff_client) -> None:
    target = dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    good = standard_csv("evacuation_sites", SHELTERS)
    response = staff_client.post(
        "/staff/opendata/shelters/resources/new/",
        {
            "standard": "evacuation_sites",
            "upload": SimpleUploadedFile("shelters.csv", good.encode("cp932")),
        },
    )
    assert response.status_code == 302
    resource = target.resources.get()
    # The mark names the version of the definition the file was checked against.
    assert resource.extras == {
        "standard": "evacuation_sites",
        "standard_conforms": True,
        "standard_version": "2026-08-01",
    }
    target.refresh_from_db()
    assert target.extras["standard_conforms"] is True
    assert target.extras["standard_version"] == "2026-08-01"
    page = staff_client.get("/staff/opendata/shelters/").content.decode()
    assert "自治体標準オープンデータセットに準拠" in page


def test_replacing_a_file_keeps_the_resource_and_counts_downloads(kyoto, staff_client) -> None:
    target = dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    resource = csv_resource(target, "a,b\r\n1,2\r\n", "old.csv")
    download = f"/dataset/{target.id}/resource/{resource.id}/download/old.csv"
    for _ in range(3):
        Client().get(download)
    response = staff_client.post(
        f"/staff/opendata/shelters/resources/{resource.id}/replace/",
        {"upload": SimpleUploadedFile("new.csv", b"a,b\r\n3,4\r\n")},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.filename == "new.csv"
    listing = staff_client.get("/staff/opendata/").content.decode()
    assert "<td>3</td>" in listing


def test_staff_of_another_city_and_residents_cannot_manage(kyoto, resident) -> None:
    dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    otsu = factories.other_municipality()
    foreign = factories.staff_user(otsu, "otsu-clerk", "otsu-hq")
    client = Client()
    client.force_login(foreign)
    assert client.get("/staff/opendata/shelters/").status_code == 404
    assert "指定緊急避難場所一覧" not in client.get("/staff/opendata/").content.decode()
    client.force_login(resident)
    assert client.get("/staff/opendata/").status_code == 403
