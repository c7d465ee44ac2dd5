"""Atom feeds of the catalog's changes: what a feed reader shows a reuser."""

import pytest
from defusedxml import ElementTree as ET
from django.test import Client

from madoguchi.opendata import services
from tests.opendata.catalog_builders import EVACUATION_CSV, csv_resource, dataset, organization

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(path: str) -> list[dict[str, str]]:
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def catalog(kyoto):
    planning = organization(kyoto)
    shelters = dataset(planning, "shelters", "指定緊急避難場所一覧", title_en="Evacuation sites")
    csv_resource(shelters, EVACUATION_CSV, "shelters.csv")
    dataset(planning, "draft", "公開前の統計", private=True)
    return shelters


def test_the_catalog_feed_tells_each_new_version_of_public_datasets(catalog) -> None:
    found = entries("/opendata/feed/")
    assert [e["title"] for e in found] == [
        "指定緊急避難場所一覧（版 2）",
        "指定緊急避難場所一覧（版 1）",
    ]
    assert found[0]["summary"] == "ファイル「shelters.csv」を追加"
    assert found[0]["link"] == "http://testserver/opendata/dataset/shelters/"
    # A private dataset is in no feed, and has none of its own.
    assert Client().get("/opendata/dataset/draft/feed/").status_code == 404


def test_a_datasets_feed_follows_its_changes_in_the_readers_language(catalog) -> None:
    services.patch_dataset(None, catalog, {"notes": "災害時に緊急に避難する場所です。"})
    found = entries("/en/opendata/dataset/shelters/feed/")
    assert [e["title"] for e in found] == [f"Evacuation sites (version {n})" for n in (3, 2, 1)]
    assert found[0]["summary"] == "Changed: Description"
    assert found[2]["summary"] == "Published the dataset"
    page = Client().get("/opendata/dataset/shelters/").content.decode()
    assert 'type="application/atom+xml"' in page
    assert 'href="/opendata/dataset/shelters/feed/"' in page
