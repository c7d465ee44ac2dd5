"""The 自治体標準オープンデータセット schemas and the validation of uploaded CSV files."""

import csv
import io

import pytest
from django.utils import translation
from frictionless import Schema

from madoguchi.opendata.standards import standards, table_text, validate_csv

EXPECTED = {
    "公共施設一覧",
    "指定緊急避難場所一覧",
    "AED設置箇所一覧",
    "子育て施設一覧",
    "地域・年齢別人口",
    "観光施設一覧",
    "イベント一覧",
    "公衆トイレ一覧",
}


@pytest.fixture(autouse=True)
def _japanese():
    # A request to an English page earlier in the run leaves English active in this thread.
    with translation.override("ja"):
        yield


def aed_csv(*rows: dict[str, str], encoding: str = "utf-8") -> bytes:
    columns = standards()["aed_locations"].columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode(encoding)


def aed(**values: str) -> dict[str, str]:
    return {
        "全国地方公共団体コード": "261009",
        "ID": "0001",
        "地方公共団体名": "京都市",
        "名称": "京都市役所",
        "名称_カナ": "キョウトシヤクショ",
        "所在地_連結表記": "京都府京都市中京区寺町通御池上る上本能寺前町488",
        "緯度": "35.0116",
        "経度": "135.7681",
        "小児対応設備の有無": "有",
        "開始時間": "08:45",
        "終了時間": "17:30",
        **values,
    }


def standard_csv(key: str, *rows: dict[str, str], columns: list[str] | None = None) -> bytes:
    return table_text(key, rows, columns).encode("utf-8")


KYOTO = {"全国地方公共団体コード": "261009", "地方公共団体名": "京都市"}
PLACE = {**KYOTO, "ID": "001", "名称": "京都市役所", "緯度": "35.0116", "経度": "135.7681"}
# One conforming row per standard: the required columns and a few typed ones.
CONFORMING = {
    "public_facilities": {**PLACE, "開始時間": "08:45", "終了時間": "17:30"},
    "evacuation_sites": {
        **KYOTO,
        "ID": "001",
        "名称": "京都御苑",
        "所在地_連結表記": "京都府京都市上京区京都御苑",
        "町字ID": "0001-001",
        "緯度": "35.0254",
        "経度": "135.7621",
        "電話番号": "075-222-3111",
        "郵便番号": "6020881",
        "市区町村コード": "261009",
        "災害種別_地震": "1",
        "災害種別_大規模な火事": "1",
        "想定収容人数": "5000",
    },
    "aed_locations": {**PLACE, "小児対応設備の有無": "有"},
    "childcare_facilities": {**PLACE, "種別": "保育所", "定員": "60", "一時預かりの有無": "無"},
    "population_by_area_age": {
        **KYOTO,
        "地域コード": "261017",
        "調査年月日": "2026-10-01",
        "地域名": "北区",
        "総人口": "115000",
    },
    "tourist_facilities": {**PLACE, "名称": "二条城"},
    "events": {**KYOTO, "ID": "E1", "イベント名": "京都市民の集い", "開始日": "2026-12-01"},
    "public_toilets": {
        **KYOTO,
        "ID": "001",
        "名称": "円山公園公衆トイレ",
        "所在地_連結表記": "京都府京都市東山区円山町",
        "設置位置": "公園南側",
        "緯度": "35.0036",
        "経度": "135.7810",
        "高度の種別": "階数",
        "高度の値": "1",
        "男女共用トイレ総数": "2",
        "バリアフリートイレ数": "1",
        "車椅子使用者用トイレ有無": "有",
        "利用開始時間": "06:00",
        "利用終了時間": "22:00",
    },
}
# What breaks each: a code whose check digit is wrong, and one cell the schema refuses.
BROKEN = {
    "public_facilities": (
        "開始時間",
        "8時45分",
        "「開始時間」の値「8時45分」は時刻（hh:mm）ではありません。",
    ),
    "evacuation_sites": (
        "災害種別_洪水",
        "0",
        "「災害種別_洪水」の値「0」は次のいずれかでなければなりません: 1",
    ),
    "aed_locations": ("緯度", "北緯35度", "「緯度」の値「北緯35度」は数値ではありません。"),
    "childcare_facilities": ("定員", "-1", "「定員」の値「-1」は 0 以上でなければなりません。"),
    "population_by_area_age": ("総人口", "", "「総人口」は必須です。"),
    "tourist_facilities": ("名称", "", "「名称」は必須です。"),
    "events": (
        "開始日",
        "12月1日",
        "「開始日」の値「12月1日」は日付（YYYY-MM-DD）ではありません。",
    ),
    "public_toilets": ("設置位置", "", "「設置位置」は必須です。"),
}


def test_every_standard_dataset_of_the_issue_is_a_valid_table_schema() -> None:
    assert {s.title_ja for s in standards().values()} == EXPECTED
    for standard in standards().values():
        # Our own keys (titles, version, sources, checkDigit) do not stop Frictionless.
        assert Schema.validate_descriptor(standard.descriptor).valid, standard.key
        Schema.from_descriptor(standard.descriptor)
        assert standard.columns[:2] in (
            ["全国地方公共団体コード", "ID"],
            ["全国地方公共団体コード", "地域コード"],
        )


def test_the_checked_standards_name_their_version_and_sources() -> None:
    checked = {key for key, s in standards().items() if s.version}
    assert checked == {"evacuation_sites", "public_toilets"}
    for key in checked:
        descriptor = standards()[key].descriptor
        assert descriptor["version"] == "2026-08-01"
        assert len(descriptor["sources"]) >= 3
        assert len(standards()[key].columns) == 39


@pytest.mark.parametrize("key", sorted(CONFORMING))
def test_a_conforming_file_of_each_standard_passes(key: str) -> None:
    report = validate_csv(standard_csv(key, CONFORMING[key]), key)
    assert report.valid, report.problems
    assert report.rows == 1


@pytest.mark.parametrize("key", sorted(BROKEN))
def test_a_non_conforming_file_of_each_standard_is_reported_by_row(key: str) -> None:
    column, value, message = BROKEN[key]
    rows = (
        CONFORMING[key],
        {**CONFORMING[key], "ID": "002", "地域コード": "261025", column: value},
        {**CONFORMING[key], "ID": "003", "地域コード": "261033"}
        | {"全国地方公共団体コード": "261008"},
    )
    report = validate_csv(standard_csv(key, *rows), key)
    assert [(p.row, p.message) for p in report.problems] == [
        (3, message),
        (4, "「全国地方公共団体コード」の値「261008」は検査数字（6桁目）が合いません。"),
    ]


def test_a_public_toilet_file_in_the_older_layout_is_told_which_columns_changed() -> None:
    # The 推奨データセット counted 多機能トイレ数 where the 正式版 counts バリアフリートイレ数.
    columns = [
        "多機能トイレ数" if c == "バリアフリートイレ数" else c
        for c in standards()["public_toilets"].columns
    ]
    data = standard_csv("public_toilets", CONFORMING["public_toilets"], columns=columns)
    report = validate_csv(data, "public_toilets")
    assert [(p.row, p.message) for p in report.problems] == [
        (1, "30列目の見出しは「バリアフリートイレ数」でなければなりません（「多機能トイレ数」）。")
    ]


def test_an_evacuation_site_repeats_no_id_and_leaves_unmarked_flags_empty() -> None:
    site = CONFORMING["evacuation_sites"]
    data = standard_csv(
        "evacuation_sites",
        site,
        {**site, "名称": "岡崎公園", "災害種別_地震": "", "市区町村コード": "26100"},
    )
    report = validate_csv(data, "evacuation_sites")
    assert {(p.row, p.column, p.message) for p in report.problems} == {
        (3, "ID", "「ID」の値「001」が他の行と重複しています。"),
        (3, "市区町村コード", "「市区町村コード」の値「26100」の形式が正しくありません。"),
    }


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_conforming_file_passes_in_every_common_encoding(encoding: str) -> None:
    data = aed_csv(
        aed(), aed(ID="0002", 名称="右京区役所", 緯度="35.0160", 経度="135.7131"), encoding=encoding
    )
    report = validate_csv(data, "aed_locations")
    assert report.valid, report.problems
    assert report.rows == 2
    assert report.encoding == encoding if encoding != "utf-8" else report.encoding == "utf-8-sig"


def test_a_non_conforming_file_is_reported_row_by_row_in_japanese() -> None:
    data = aed_csv(
        aed(),
        aed(ID="0001", 緯度="北緯35度", 経度="200", 小児対応設備の有無="あり"),
        aed(ID="0003", 全国地方公共団体コード="26100", 名称=""),
        encoding="cp932",
    )
    report = validate_csv(data, "aed_locations")
    assert not report.valid
    lines = {(p.row, p.column, p.message) for p in report.problems}
    assert lines == {
        (3, "ID", "「ID」の値「0001」が他の行と重複しています。"),
        (3, "緯度", "「緯度」の値「北緯35度」は数値ではありません。"),
        (3, "経度", "「経度」の値「200」は 122 以上 154 以下でなければなりません。"),
        (
            3,
            "小児対応設備の有無",
            "「小児対応設備の有無」の値「あり」は次のいずれかでなければなりません: 有、無",
        ),
        (
            4,
            "全国地方公共団体コード",
            "「全国地方公共団体コード」の値「26100」の形式が正しくありません。",
        ),
        (4, "名称", "「名称」は必須です。"),
    }


def test_the_report_speaks_english_on_english_pages() -> None:
    data = aed_csv(aed(緯度="north"))
    with translation.override("en"):
        report = validate_csv(data, "aed_locations")
        messages = [p.message for p in report.problems]
    assert messages == ["The value “north” of 緯度 (Latitude) is not a number."]


def test_wrong_headers_name_the_expected_column() -> None:
    report = validate_csv("名称,ID\n京都市役所,1\n".encode(), "aed_locations")
    assert report.problems[0].row == 1
    assert report.problems[0].message == (
        "1列目の見出しは「全国地方公共団体コード」でなければなりません（「名称」）。"
    )


def test_a_file_in_neither_encoding_is_refused_with_a_clear_message() -> None:
    report = validate_csv(b"\xff\xfe\x00\x81\x00", "aed_locations")
    assert [p.message for p in report.problems] == [
        "文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"
    ]
