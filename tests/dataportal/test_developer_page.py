"""The page for developers, and the API links of the dataset and resource pages: every
address they show answers as the page says."""

import html
import re

import pytest
from django.test import Client

from madoguchi.opendata import datastore
from tests.opendata.catalog_builders import EVACUATION_CSV, csv_resource, dataset, organization

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def shelters(kyoto):
    target = dataset(organization(kyoto), "evacuation-sites", "指定緊急避難場所一覧")
    # Loaded into the datastore as the background task does once the upload is committed
    # (the worker itself is tested in tests/opendata/test_datastore.py).
    datastore.load(csv_resource(target, EVACUATION_CSV, "evacuation.csv", format="CSV"))
    return target


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(http://testserver/api/[^"]+)"', page)]


def answer(client: Client, url: str) -> dict:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    body = response.json()
    assert body["success"] is True, url
    return body["result"]


def test_the_developer_page_shows_examples_that_work(shelters) -> None:
    client = Client()
    page = client.get("/opendata/api/").content.decode()
    assert "http://testserver/api/3/action/" in page
    # Shown as one would type it; the link itself is escaped.
    assert ">http://testserver/api/3/action/package_search?q=避難所</a>" in page
    examples = links(page)
    search, show, rows = (
        next(u for u in examples if f"/{name}?" in u)
        for name in ("package_search", "package_show", "datastore_search")
    )
    assert answer(client, search)["results"][0]["title"] == "指定緊急避難場所一覧"
    assert answer(client, show)["name"] == "evacuation-sites"
    found = answer(client, rows)
    assert found["total"] == 2
    assert found["records"][0]["名称"] == "京都御苑"
    # Every action is listed with its help, which answers.
    assert answer(client, next(u for u in examples if u.endswith("help_show?name=package_search")))
    assert "ckanapi dump datasets --all -r http://testserver" in page
    assert "1分に300回まで" in page


def test_the_developer_page_in_english_has_no_japanese_but_the_examples(shelters) -> None:
    page = Client().get("/en/opendata/api/").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    # Left in Japanese on purpose: the example search word and dataset titles.
    for kept in ("避難所", "指定緊急避難場所一覧", "京都市"):
        text = text.replace(kept, "")
    assert not JAPANESE.search(html.unescape(text)), JAPANESE.findall(text)
    assert "300 calls per minute" in page


def test_dataset_and_resource_pages_link_their_api_calls(shelters) -> None:
    client = Client()
    dataset_page = client.get("/opendata/dataset/evacuation-sites/").content.decode()
    (shown,) = links(dataset_page)
    assert answer(client, shown)["title"] == "指定緊急避難場所一覧"
    resource = shelters.resources.get()
    page = client.get(f"/opendata/dataset/evacuation-sites/resource/{resource.id}/").content
    show, rows = links(page.decode())
    assert answer(client, show)["id"] == str(resource.id)
    assert answer(client, rows)["records"][1]["名称"] == "岡崎公園"
