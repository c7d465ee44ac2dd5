"""A dataset's history: what each saved version changed, on the dataset page and as CKAN's
activity stream."""

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.opendata import conformance
from madoguchi.opendata.models import Resource
from madoguchi.opendata.standards import validate_csv


def call(client: Client, name: str, data: dict[str, Any], token: str) -> dict[str, Any]:
    response = client.post(
        f"/api/3/action/{name}",
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": token},
    )
    assert response.status_code == 200, response.content
    return response.json()["result"]


def upload(client: Client, name: str, data: dict[str, Any], token: str) -> dict[str, Any]:
    response = client.post(f"/api/3/action/{name}", data, headers={"Authorization": token})
    assert response.status_code == 200, response.content
    return response.json()["result"]


def history(page: str) -> list[str]:
    """The history section's entries, each as its words."""
    section = re.search(r"<h2>[^<]*(?:更新履歴|history)[^<]*</h2>(.*?)<h2>", page, re.S | re.I)
    assert section, "the page has no history"
    entries = re.findall(r"<li>(.*?)</ul></li>", section.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", entry)).strip() for entry in entries]


@pytest.fixture
def shelters(client: Client, organization: Any, token: str) -> dict[str, Any]:
    """A dataset taken through the changes a publisher makes over a year."""
    call(
        client,
        "package_create",
        {
            "name": "shelters",
            "title": "避難所一覧",
            "owner_org": "kyoto-city",
            "tags": [{"name": "防災"}],
        },
        token,
    )
    first = upload(
        client,
        "resource_create",
        {
            "package_id": "shelters",
            "name": "避難所.csv",
            "upload": SimpleUploadedFile("a.csv", b"a\n1\n"),
        },
        token,
    )
    call(
        client,
        "package_patch",
        {"id": "shelters", "title": "指定避難所一覧", "tags": [{"name": "防災"}, {"name": "避難"}]},
        token,
    )
    upload(
        client,
        "resource_patch",
        {"id": first["id"], "upload": SimpleUploadedFile("a.csv", b"a\n1\n2\n")},
        token,
    )
    link = call(
        client,
        "resource_create",
        {"package_id": "shelters", "name": "地図", "url": "https://example.jp/map"},
        token,
    )
    call(client, "resource_delete", {"id": link["id"]}, token)
    return first


@pytest.mark.django_db
def test_the_dataset_page_says_what_each_version_changed(client: Client, shelters: Any) -> None:
    entries = history(client.get("/opendata/dataset/shelters/").content.decode())
    assert [entry.split(":", 1)[0] for entry in entries] == [f"版 {n}" for n in range(6, 0, -1)]
    assert "ファイル「地図」を削除" in entries[0]
    assert "ファイル「地図」を追加" in entries[1]
    assert "ファイル「避難所.csv」を差し替え" in entries[2]
    assert "タイトル、タグを変更" in entries[3]
    assert "ファイル「避難所.csv」を追加" in entries[4]
    assert entries[5].endswith("データセットを公開")
    # A version tells only its own changes: the title changed once.
    assert sum("タイトル" in entry for entry in entries) == 1

    english = history(client.get("/en/opendata/dataset/shelters/").content.decode())
    assert "Changed: Title, Tag" in english[3]
    assert "Replaced the file “避難所.csv”" in english[2]


@pytest.mark.django_db
def test_downloads_and_saving_unchanged_are_not_changes_of_the_data(
    client: Client, shelters: dict[str, Any], token: str
) -> None:
    client.get(shelters["url"].removeprefix("http://testserver"))
    call(client, "package_patch", {"id": "shelters"}, token)
    newest = history(client.get("/opendata/dataset/shelters/").content.decode())[0]
    assert newest.startswith("版 7")
    assert "変更なし" in newest


@pytest.mark.django_db
def test_package_activity_list_is_ckans_activity_stream(
    client: Client, shelters: Any, token: str
) -> None:
    activities = client.get("/api/3/action/package_activity_list", {"id": "shelters"}).json()
    assert activities["success"] is True
    found = activities["result"]
    assert [a["activity_type"] for a in found] == ["changed package"] * 5 + ["new package"]
    assert [a["data"]["package"]["title"] for a in found][3:5] == ["指定避難所一覧", "避難所一覧"]
    assert {a["user_id"] for a in found} == {None}  # who changed it is not published
    paged = client.get(
        "/api/3/action/package_activity_list", {"id": "shelters", "offset": 4, "limit": 5}
    ).json()["result"]
    assert [a["activity_type"] for a in paged] == ["changed package", "new package"]

    call(client, "package_patch", {"id": "shelters", "private": True}, token)
    hidden = client.get("/api/3/action/package_activity_list", {"id": "shelters"})
    assert hidden.status_code == 404
    call(client, "package_delete", {"id": "shelters"}, token)
    deleted = call(client, "package_activity_list", {"id": "shelters"}, token)
    assert deleted[0]["activity_type"] == "deleted package"


@pytest.mark.django_db
def test_a_standard_check_is_told_with_its_file_only(client: Client, shelters: Any) -> None:
    resource = Resource.objects.get(pk=shelters["id"])
    conformance.record(None, resource, validate_csv("名称\n".encode(), "evacuation_sites"))
    newest = history(client.get("/opendata/dataset/shelters/").content.decode())[0]
    assert "ファイル「避難所.csv」を自治体標準オープンデータセットの定義で確認" in newest
    # The dataset's copy of the mark is not a change of its own.
    assert "その他の項目" not in newest
