"""The 自治体標準オープンデータセット schemas and the validation of uploaded CSV files."""

import csv
import io

import pytest
from django.utils import translation
from frictionless import Schema

from madoguchi.opendata.standards import standards, validate_csv

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


def test_every_standard_dataset_of_the_issue_is_a_valid_table_schema() -> None:
    assert {s.title_ja for s in standards().values()} == EXPECTED
    for standard in standards().values():
        descriptor = {k: v for k, v in standard.descriptor.items() if k != "title_en"}
        assert Schema.validate_descriptor(descriptor).valid, standard.key
        assert standard.columns[:2] in (
            ["全国地方公共団体コード", "ID"],
            ["全国地方公共団体コード", "地域コード"],
        )


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
