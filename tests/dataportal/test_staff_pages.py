"""Staff pages: publishing datasets and files of the staff member's municipality, the check
against a standard dataset before publishing, and download counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.opendata.models import Dataset, DatasetRevision
from madoguchi.opendata.standards import table_text
from tests import factories
from tests.opendata.catalog_builders import (
    SHELTERS,
    csv_resource,
    dataset,
    organization,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(kyoto):
    """A staff member of 総合企画局 デジタル戦略推進室: publishes for 総合企画局."""
    return factories.staff_user(kyoto, "sogo-kikaku-publisher", "digital-strategy")


@pytest.fixture
def staff_client(publisher) -> Client:
    client = Client()
    client.force_login(publisher)
    return client


def test_staff_create_a_dataset_for_their_bureau(kyoto, staff_client) -> None:
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
    bad = table_text("evacuation_sites", [{**SHELTERS[0], "緯度": "北緯35度"}])
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
    good = table_text("evacuation_sites", SHELTERS)
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


def test_staff_see_every_dataset_but_change_only_their_organizations(kyoto, staff_client) -> None:
    dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    theirs = dataset(organization(kyoto, "hoken-fukushi"), "aed", "AED設置箇所一覧")
    resource = csv_resource(theirs, "a,b\r\n1,2\r\n", "aed.csv")
    listing = staff_client.get("/staff/opendata/").content.decode()
    assert "AED設置箇所一覧" in listing
    assert 'href="/staff/opendata/shelters/edit/"' in listing
    assert 'href="/staff/opendata/aed/edit/"' not in listing
    page = staff_client.get("/staff/opendata/aed/").content.decode()
    assert "変更できるのは、その組織の課の職員、組織の編集者と管理者、カタログ管理者です。" in page
    assert "/staff/opendata/aed/edit/" not in page
    assert "/staff/opendata/aed/resources/new/" not in page
    assert f"/resources/{resource.id}/replace/" not in page

    upload = {"upload": SimpleUploadedFile("new.csv", b"a,b\r\n3,4\r\n")}
    attempts = [
        staff_client.get("/staff/opendata/aed/edit/"),
        staff_client.post(
            "/staff/opendata/aed/edit/",
            {"name": "aed", "title": "書き換え", "owner_org": "sogo-kikaku"},
        ),
        staff_client.post("/staff/opendata/aed/resources/new/", upload),
        staff_client.post(f"/staff/opendata/aed/resources/{resource.id}/replace/", upload),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert (
            "「保健福祉局」のデータセットは、その組織の課の職員、組織の編集者と管理者、"
            "カタログ管理者だけが変更できます。" in response.content.decode()
        )
    theirs.refresh_from_db()
    assert (theirs.title, theirs.owner_org.name) == ("AED設置箇所一覧", "hoken-fukushi")
    assert [r.filename for r in theirs.resources.all()] == ["aed.csv"]
    assert DatasetRevision.objects.filter(dataset=theirs).count() == 2


def test_the_form_offers_only_organizations_one_may_publish_for(kyoto, staff_client) -> None:
    mine = dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    organization(kyoto, "hoken-fukushi")
    form = staff_client.get("/staff/opendata/new/").content.decode()
    assert 'value="sogo-kikaku"' in form
    assert 'value="hoken-fukushi"' not in form
    for url, name in [
        ("/staff/opendata/new/", "aed"),
        ("/staff/opendata/shelters/edit/", "shelters"),
    ]:
        page = staff_client.post(
            url, {"name": name, "title": "AED設置箇所一覧", "owner_org": "hoken-fukushi"}
        ).content.decode()
        assert "この組織のデータセットは作成・変更できません。一覧から選んでください。" in page
    assert not Dataset.objects.filter(name="aed").exists()
    mine.refresh_from_db()
    assert mine.owner_org.name == "sogo-kikaku"


def test_a_catalog_admin_edits_and_moves_any_organizations_datasets(kyoto, publisher) -> None:
    theirs = dataset(organization(kyoto, "hoken-fukushi"), "aed", "AED設置箇所一覧")
    organization(kyoto)
    client = Client()
    client.force_login(factories.catalog_admin(publisher))
    form = client.get("/staff/opendata/aed/edit/").content.decode()
    assert 'value="sogo-kikaku"' in form
    assert 'value="hoken-fukushi"' in form
    response = client.post(
        "/staff/opendata/aed/edit/",
        {"name": "aed", "title": "AED設置箇所一覧", "owner_org": "sogo-kikaku"},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.owner_org.name == "sogo-kikaku"


def test_staff_without_an_organization_of_theirs_cannot_create(kyoto, clerk) -> None:
    # 中京区役所 市民窓口課 has no organization in the catalog.
    organization(kyoto)
    client = Client()
    client.force_login(clerk)
    assert "/staff/opendata/new/" not in client.get("/staff/opendata/").content.decode()
    refused = client.get("/staff/opendata/new/")
    assert refused.status_code == 403
    assert "データセットを公開できる組織がありません。" in refused.content.decode()
    english = client.get("/en/staff/opendata/new/")
    assert "There is no organization you can publish datasets for." in english.content.decode()


def test_the_list_of_the_whole_catalog_comes_in_pages(kyoto, staff_client, monkeypatch) -> None:
    from madoguchi.dataportal.views import staff

    monkeypatch.setattr(staff, "PAGE_SIZE", 2)
    org = organization(kyoto)
    for name, title in [("a-data", "データA"), ("b-data", "データB"), ("c-data", "データC")]:
        dataset(org, name, title)
    first = staff_client.get("/staff/opendata/").content.decode()
    second = staff_client.get("/staff/opendata/?page=2").content.decode()
    assert 'href="?page=2"' in first
    assert "1 / 2 ページ" in first
    titles = ["データA", "データB", "データC"]
    on_first = [t for t in titles if t in first]
    assert len(on_first) == 2
    assert [t for t in titles if t in second] == [t for t in titles if t not in on_first]


def test_the_staff_page_shows_who_changed_what(kyoto, publisher, staff_client) -> None:
    dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    response = staff_client.post(
        "/staff/opendata/shelters/resources/new/",
        {"name": "一覧", "upload": SimpleUploadedFile("shelters.csv", b"a,b\r\n1,2\r\n")},
    )
    assert response.status_code == 302
    page = staff_client.get("/staff/opendata/shelters/").content.decode()
    history = page.split('id="history-caption"', 1)[1]
    rows = history.split("<tr>")[2:]
    # Newest first: the staff member's upload, then the dataset as the system created it.
    assert str(publisher) in rows[0]
    assert "ファイル「一覧」を追加" in rows[0]
    assert "システム" in rows[1]
    assert "データセットを公開" in rows[1]
