"""The public pages of the open data portal, without JavaScript: search with facets, a
dataset (with schema.org JSON-LD), a resource with its table preview and map."""

import json
import re

import pytest
from django.test import Client

from madoguchi.opendata import conformance, licenses, services
from madoguchi.opendata.models import License
from madoguchi.opendata.standards import table_text
from tests.opendata.catalog_builders import (
    EVACUATION_CSV,
    SHELTERS,
    csv_resource,
    dataset,
    organization,
)
from tests.support import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(kyoto):
    planning = organization(kyoto, "sogo-kikaku")
    children = organization(kyoto, "kodomo-wakamono")
    shelters = dataset(
        planning,
        "evacuation-sites",
        "指定緊急避難場所一覧",
        title_en="Designated emergency evacuation sites",
        notes="災害のときに緊急に避難する場所の一覧です。",
        tags=[{"name": "防災"}],
    )
    csv_resource(shelters, EVACUATION_CSV, "evacuation.csv", format="CSV")
    dataset(children, "childcare", "子育て施設一覧", tags=[{"name": "子育て"}])
    return shelters


def test_search_finds_a_dataset_by_part_of_its_japanese_title(catalog) -> None:
    page = Client().get("/opendata/", {"q": "避難所"}).content.decode()
    assert "指定緊急避難場所一覧" in page
    assert "子育て施設一覧" not in page
    assert "1件のデータセット" in page


def test_facets_narrow_the_results_and_can_be_removed(catalog) -> None:
    page = Client().get("/opendata/").content.decode()
    assert "2件のデータセット" in page
    link = re.search(r'href="(\?tags=[^"]+)">子育て \(1\)', page).group(1)
    narrowed = Client().get("/opendata/" + link.replace("&amp;", "&")).content.decode()
    assert "1件のデータセット" in narrowed
    assert "子育て施設一覧" in narrowed
    assert "指定緊急避難場所一覧" not in narrowed
    assert 'aria-current="true"' in narrowed
    assert "絞り込みをすべて解除" in narrowed


def test_the_dataset_page_has_schema_org_json_ld(catalog) -> None:
    page = Client().get("/opendata/dataset/evacuation-sites/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "Dataset"
    assert data["name"] == "指定緊急避難場所一覧"
    assert data["keywords"] == ["防災"]
    assert data["distribution"][0]["contentUrl"].endswith("/evacuation.csv")
    assert data["license"].startswith("https://creativecommons.org/")


def test_the_english_dataset_page_uses_the_english_title(catalog) -> None:
    page = Client().get("/en/opendata/dataset/evacuation-sites/").content.decode()
    assert "<h1>Designated emergency evacuation sites</h1>" in page


def test_only_a_conforming_dataset_is_marked(catalog) -> None:
    marked = "自治体標準オープンデータセット「指定緊急避難場所一覧」準拠"
    loose = catalog.resources.get()  # lacks most of the standard's columns
    conformance.record(None, loose, conformance.check(loose, "evacuation_sites"))
    assert marked not in Client().get("/opendata/dataset/evacuation-sites/").content.decode()

    conforming = dataset(catalog.owner_org, "shelters-standard", "指定緊急避難場所（標準形式）")
    resource = csv_resource(conforming, table_text("evacuation_sites", SHELTERS), "shelters.csv")
    conformance.record(None, resource, conformance.check(resource, "evacuation_sites"))
    assert marked in Client().get("/opendata/dataset/shelters-standard/").content.decode()
    page = Client().get(f"/opendata/dataset/shelters-standard/resource/{resource.id}/")
    assert marked in page.content.decode()
    # The definition it was checked against: this schema follows the official one of that date.
    assert "（2026-08-01版の定義による確認）" in page.content.decode()


def test_the_resource_page_previews_the_table_and_maps_the_points(catalog) -> None:
    resource = catalog.resources.get()
    page = (
        Client().get(f"/opendata/dataset/evacuation-sites/resource/{resource.id}/").content.decode()
    )
    assert "京都御苑" in page
    assert "岡崎公園" in page
    assert page.count("<circle") == 2
    assert "<td>35.0254</td><td>135.7621</td>" in page
    assert "<image" not in page  # no tile server configured: points only


def test_tiles_come_from_the_configured_server_and_are_allowed_by_the_csp(
    catalog, settings
) -> None:
    settings.MADOGUCHI_OPENDATA_MAP_TILES = "https://tiles.example.jp/{z}/{x}/{y}.png"
    resource = catalog.resources.get()
    response = Client().get(f"/opendata/dataset/evacuation-sites/resource/{resource.id}/")
    assert 'href="https://tiles.example.jp/' in response.content.decode()
    assert "https://tiles.example.jp" in response["Content-Security-Policy"]


def test_private_datasets_are_not_found(kyoto) -> None:
    dataset(organization(kyoto), "secret", "非公開データ", private=True)
    assert Client().get("/opendata/dataset/secret/").status_code == 404
    assert "非公開データ" not in Client().get("/opendata/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_resource_loaded_into_the_datastore_is_previewed_from_it(kyoto) -> None:
    licenses.seed(License)
    shelters = dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    resource = csv_resource(shelters, EVACUATION_CSV, "evacuation.csv", format="CSV")
    run_tasks()
    resource.refresh_from_db()
    assert resource.datastore_active
    page = Client().get(f"/opendata/dataset/shelters/resource/{resource.id}/").content.decode()
    assert "全2行のうち最初の2行" in page
    assert "<td>35.0254</td><td>135.7621</td>" in page


def test_a_mark_from_a_provisional_definition_says_so(catalog) -> None:
    # aed_locations has not been checked against the Digital Agency's definition yet.
    aed = dataset(catalog.owner_org, "aed-standard", "AED設置箇所（標準形式）")
    row = {
        "全国地方公共団体コード": "261009",
        "地方公共団体名": "京都市",
        "ID": "001",
        "名称": "京都市役所",
        "緯度": "35.0116",
        "経度": "135.7681",
        "小児対応設備の有無": "有",
    }
    resource = csv_resource(aed, table_text("aed_locations", [row]), "aed.csv")
    conformance.record(None, resource, conformance.check(resource, "aed_locations"))
    page = Client().get("/opendata/dataset/aed-standard/").content.decode()
    assert "自治体標準オープンデータセット「AED設置箇所一覧」準拠" in page
    assert "デジタル庁の公式定義とはまだ照合していません" in page
    english = Client().get("/en/opendata/dataset/aed-standard/").content.decode()
    assert "not yet compared with the Digital Agency" in english


def titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="h3"><a href="/opendata/dataset/[^"]+">([^<]+)</a>', page)


def test_results_can_be_sorted_and_the_order_is_kept_while_narrowing(catalog) -> None:
    # 子育て施設一覧 was published after 指定緊急避難場所一覧, which is then corrected.
    services.patch_dataset(None, catalog, {"notes": "災害のときに緊急に避難する場所です。"})
    newest = Client().get("/opendata/").content.decode()
    assert titles(newest) == ["指定緊急避難場所一覧", "子育て施設一覧"]
    assert '<option value="" selected>更新日の新しい順</option>' in newest
    published = Client().get("/opendata/", {"sort": "created"}).content.decode()
    assert titles(published) == ["子育て施設一覧", "指定緊急避難場所一覧"]
    assert '<option value="created" selected>公開日の新しい順</option>' in published
    # Facet links and the search form keep the order.
    assert re.search(r'href="\?sort=created&amp;tags=', published)
    assert '<input type="hidden" name="sort" value="created">' in published
    # With words, relevance comes first; an unknown order is ignored.
    ranked = Client().get("/opendata/", {"q": "一覧", "sort": "nonsense"}).content.decode()
    assert '<option value="" selected>関連度順</option>' in ranked
    assert len(titles(ranked)) == 2


def test_the_dataset_page_says_how_to_credit_the_source(catalog) -> None:
    page = Client().get("/opendata/dataset/evacuation-sites/").content.decode()
    assert "「クリエイティブ・コモンズ 表示 4.0 国際」の条件で" in page
    assert (
        "出典：京都市「指定緊急避難場所一覧」"
        "（http://testserver/opendata/dataset/evacuation-sites/）"
    ) in page
    english = Client().get("/en/opendata/dataset/evacuation-sites/").content.decode()
    assert (
        "Source: Kyoto City, “Designated emergency evacuation sites” "
        "(http://testserver/en/opendata/dataset/evacuation-sites/)"
    ) in english
