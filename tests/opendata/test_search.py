"""Japanese search: partial words, relevance, filters and facets (package_search)."""

import io
from typing import Any

import pytest
from django.core.management import call_command

from madoguchi.opendata import search, selectors, services
from madoguchi.opendata.models import SearchDocument


def titles(q: str = "", **options: Any) -> list[str]:
    result = selectors.package_search(None, q=q, rows=50, **options)
    return [d["title"] for d in selectors.packages(result.ids)]


@pytest.mark.django_db
def test_a_word_finds_titles_that_contain_it_split_by_other_words(catalog: Any) -> None:
    found = titles("避難所")
    # 避難所一覧 holds the whole word and ranks first; 指定緊急避難場所一覧 holds 避難.
    assert found[:2] == ["避難所一覧", "指定緊急避難場所一覧"]
    assert "公衆トイレ一覧" not in found


@pytest.mark.django_db
def test_partial_words_and_single_characters_match(catalog: Any) -> None:
    assert titles("緊急") == ["指定緊急避難場所一覧"]
    assert titles("こども") == ["保育所・認定こども園一覧"]
    assert set(titles("園")) == {"保育所・認定こども園一覧"}
    assert set(titles("口")) == {"地域・年齢別人口"}


@pytest.mark.django_db
def test_width_and_case_are_folded(catalog: Any) -> None:
    assert titles("ａｅｄ") == ["AED設置箇所一覧"]
    assert titles("トイレ") == titles("ﾄｲﾚ") == ["公衆トイレ一覧"]


@pytest.mark.django_db
def test_every_word_must_match(catalog: Any) -> None:
    assert titles("避難 指定") == ["指定緊急避難場所一覧"]
    assert titles("避難 トイレ") == []


@pytest.mark.django_db
def test_tags_and_resources_are_searched_and_weigh_less_than_titles(catalog: Any) -> None:
    # 統計 is only a tag of the population dataset.
    assert titles("統計") == ["地域・年齢別人口"]
    # 防災 is a tag of two datasets and the name of their group.
    assert set(titles("防災")) == {"指定緊急避難場所一覧", "避難所一覧"}


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_description_match(catalog: Any, publisher: Any) -> None:
    services.patch_dataset(publisher, catalog["toilets"], {"notes": "避難所にもトイレがあります"})
    found = titles("避難所")
    assert found.index("公衆トイレ一覧") > found.index("避難所一覧")


@pytest.mark.django_db
def test_filters_and_facets(catalog: Any) -> None:
    result = selectors.package_search(
        None, q="一覧", fq="tags:防災", facet_fields=["tags", "res_format", "organization"]
    )
    assert result.count == 2
    assert result.facets["tags"] == {"防災": 2, "避難": 1}
    assert result.facets["res_format"] == {"CSV": 2}
    assert result.facets["organization"] == {"kyoto-city": 2}
    assert set(titles(fq="-res_format:CSV")) == {"AED設置箇所一覧", "地域・年齢別人口"}


@pytest.mark.django_db
def test_private_and_deleted_datasets_are_not_found(catalog: Any, publisher: Any) -> None:
    services.patch_dataset(publisher, catalog["shelters"], {"private": True})
    services.delete_dataset(publisher, catalog["aed"])
    assert "避難所一覧" not in titles("避難所")
    assert titles("AED") == []
    staff_view = selectors.package_search(publisher, q="避難所", include_private=True)
    assert "避難所一覧" in [d["title"] for d in selectors.packages(staff_view.ids)]


def test_grams_cover_every_character() -> None:
    assert search.grams("避難所") == {"避難", "難所", "所"}
    assert search.grams("ＡＥＤ 一覧") == {"ae", "ed", "d", "一覧", "覧"}


@pytest.mark.django_db
def test_reindex_rebuilds_grams_and_facets(catalog: Any) -> None:
    search.clear()
    assert titles("避難所") == []
    call_command("reindex_opendata", stdout=io.StringIO())
    assert titles("避難所")[:2] == ["避難所一覧", "指定緊急避難場所一覧"]
    assert titles(fq="tags:防災") != []


def browse_facets() -> dict[str, dict[str, int]]:
    return selectors.package_search(None, facet_fields=["tags", "organization"]).facets


@pytest.mark.django_db
def test_catalog_facet_counts_follow_private_deleted_and_edited_datasets(
    catalog: Any, publisher: Any
) -> None:
    assert browse_facets()["tags"]["防災"] == 2
    assert browse_facets()["organization"] == {"kyoto-city": 6}
    services.patch_dataset(publisher, catalog["shelters"], {"private": True})
    assert browse_facets()["tags"]["防災"] == 1
    services.delete_dataset(publisher, catalog["evacuation-sites"])
    assert "防災" not in browse_facets()["tags"]
    services.patch_dataset(publisher, catalog["shelters"], {"private": False, "tags": []})
    assert "防災" not in browse_facets()["tags"]
    assert browse_facets()["organization"] == {"kyoto-city": 5}
    # The counts of the whole catalog are those a filter on nothing would count.
    staff = selectors.package_search(
        publisher, facet_fields=["tags", "organization"], include_private=True
    ).facets
    assert staff == browse_facets()


@pytest.mark.django_db
def test_a_long_word_matches_by_halves_of_its_pieces(catalog: Any) -> None:
    # Twelve characters, eleven grams: pieces of six and five, each needing half its grams.
    assert titles("指定緊急避難場所一覧です") == ["指定緊急避難場所一覧"]
    assert titles("指定緊急避難場所のトイレ") == []


def test_half_of_a_terms_grams_as_a_boolean_query() -> None:
    assert search._half(["ab", "bc", "cd"], postgresql=False) == (
        '(("ab" AND "bc") OR ("ab" AND "cd") OR ("bc" AND "cd"))'
    )
    assert search._half(["x"], postgresql=True) == "(('x':*))"


@pytest.mark.django_db
def test_a_document_without_its_stored_package_is_served_from_the_catalog(catalog: Any) -> None:
    # As after a bulk load or an upgrade, before reindex_opendata has run.
    ids = selectors.package_search(None, q="避難所").ids
    stored = selectors.packages(ids)
    SearchDocument.objects.filter(dataset__name="shelters").update(package="")
    assert selectors.packages(ids) == stored
    assert [p["name"] for p in stored] == ["shelters", "evacuation-sites"]


@pytest.mark.django_db
def test_a_file_added_to_a_dataset_is_found_and_listed_in_its_results(
    catalog: Any, publisher: Any
) -> None:
    services.save_resource(
        publisher,
        {"package_id": "shelters", "name": "浸水想定区域図", "url": "https://example.jp/m"},
    )
    found = selectors.packages(selectors.package_search(None, q="浸水想定").ids)
    assert [p["name"] for p in found] == ["shelters"]
    assert [r["name"] for r in found[0]["resources"]][-1] == "浸水想定区域図"


@pytest.mark.django_db
def test_facet_filters_with_words_in_every_order(catalog: Any, publisher: Any) -> None:
    assert set(titles("一覧", fq="-tags:防災")) == {
        "AED設置箇所一覧",
        "保育所・認定こども園一覧",
        "公衆トイレ一覧",
    }
    assert titles("一覧", fq="res_format:CSV -tags:防災", sort="name desc") == [
        "公衆トイレ一覧",
        "保育所・認定こども園一覧",
    ]
    # A tag is a whole value: 防 is not 防災.
    assert titles("一覧", fq="tags:防") == []
    services.patch_dataset(publisher, catalog["toilets"], {"private": True})
    assert "公衆トイレ一覧" not in titles("一覧", fq="res_format:CSV")
    staff = selectors.package_search(
        publisher, q="一覧", fq="res_format:CSV -tags:防災", include_private=True
    )
    assert {p["title"] for p in selectors.packages(staff.ids)} == {
        "公衆トイレ一覧",
        "保育所・認定こども園一覧",
    }
