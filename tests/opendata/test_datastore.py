"""Tabular resources loaded into the datastore in the worker, and datastore_search."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from madoguchi.opendata import datastore, services
from madoguchi.opendata.models import Resource
from tests.support import run_tasks

SHELTERS = (
    "ID,名称,区,収容人数,緯度,経度\n"
    "1,京都市立朱雀第一小学校,中京区,500,35.0050,135.7450\n"
    "2,京都市立御所南小学校,中京区,800,35.0150,135.7600\n"
    "3,京都市立紫野小学校,北区,650,35.0400,135.7450\n"
)


def upload(publisher: Any, dataset: Any, content: bytes, name: str = "shelters.csv") -> Resource:
    resource = services.save_resource(
        publisher, {"package_id": dataset.name}, SimpleUploadedFile(name, content)
    )
    run_tasks()
    resource.refresh_from_db()
    return resource


def search(client: Client, resource: Resource, **params: Any) -> Any:
    return client.get("/api/3/action/datastore_search", {"resource_id": resource.id, **params})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "shift_jis"])
def test_csv_in_every_japanese_encoding_loads_the_same(
    catalog: Any, publisher: Any, client: Client, encoding: str
) -> None:
    resource = upload(publisher, catalog["shelters"], SHELTERS.encode(encoding))
    assert resource.datastore_status == Resource.DatastoreStatus.DONE
    assert resource.datastore_active
    body = search(client, resource).json()["result"]
    assert body["total"] == 3
    assert [f["id"] for f in body["fields"]] == [
        "_id",
        "ID",
        "名称",
        "区",
        "収容人数",
        "緯度",
        "経度",
    ]
    assert {f["id"]: f["type"] for f in body["fields"]}["収容人数"] == "int"
    assert body["records"][0] == {
        "_id": 1,
        "ID": 1,
        "名称": "京都市立朱雀第一小学校",
        "区": "中京区",
        "収容人数": 500,
        "緯度": 35.005,
        "経度": 135.745,
    }


@pytest.mark.django_db(transaction=True)
def test_filters_q_sort_fields_and_paging(catalog: Any, publisher: Any, client: Client) -> None:
    resource = upload(publisher, catalog["shelters"], SHELTERS.encode())
    body = search(client, resource, filters='{"区": "中京区"}', sort="収容人数 desc").json()[
        "result"
    ]
    assert body["total"] == 2
    assert [r["収容人数"] for r in body["records"]] == [800, 500]
    assert search(client, resource, q="紫野").json()["result"]["total"] == 1
    assert search(client, resource, filters='{"収容人数": "650"}').json()["result"]["total"] == 1
    page = search(client, resource, limit=1, offset=1, fields="名称").json()["result"]
    assert page["records"] == [{"_id": 2, "名称": "京都市立御所南小学校"}]
    assert page["_links"]["next"].startswith("/api/3/action/datastore_search?offset=2")
    wrong = search(client, resource, filters='{"階数": 1}')
    assert wrong.status_code == 409
    assert wrong.json()["error"]["filters"] == ["列「階数」はありません。"]


@pytest.mark.django_db(transaction=True)
def test_a_malformed_csv_loads_nothing_and_says_where(
    catalog: Any, publisher: Any, client: Client
) -> None:
    resource = upload(publisher, catalog["shelters"], SHELTERS.encode())
    bad = SHELTERS + "4,京都市立嵯峨小学校,右京区\n5,京都市立桂小学校,西京区,700,34.98,135.69\n"
    replaced = services.save_resource(
        publisher, {"name": "避難所"}, SimpleUploadedFile("shelters.csv", bad.encode()), resource
    )
    run_tasks()
    replaced.refresh_from_db()
    assert replaced.datastore_status == Resource.DatastoreStatus.ERROR
    assert replaced.datastore_errors == [
        {"row": 5, "message": "列の数が見出しと違います（見出し6列、この行3列）。"}
    ]
    # The previous load stays whole: the good fifth row of the bad file is not there.
    assert search(client, resource).json()["result"]["total"] == 3
    assert search(client, resource, q="桂").json()["result"]["total"] == 0


@pytest.mark.django_db(transaction=True)
def test_undecodable_and_duplicate_headings_are_reported(
    catalog: Any, publisher: Any, client: Client
) -> None:
    garbled = upload(publisher, catalog["toilets"], "名称\n".encode() + b"\x81")
    assert garbled.datastore_status == Resource.DatastoreStatus.ERROR
    assert "UTF-8" in garbled.datastore_errors[0]["message"]
    duplicate = upload(publisher, catalog["toilets"], "名称,名称\na,b\n".encode())
    assert duplicate.datastore_errors == [{"row": 1, "message": "見出し「名称」が重複しています。"}]
    assert search(client, garbled).status_code == search(client, duplicate).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_leading_zeros_keep_text(catalog: Any, publisher: Any, client: Client) -> None:
    resource = upload(
        publisher, catalog["toilets"], "郵便番号,番号\n0600001,1\n6048571,2\n".encode()
    )
    body = search(client, resource).json()["result"]
    assert body["records"][0]["郵便番号"] == "0600001"
    assert {f["id"]: f["type"] for f in body["fields"]}["郵便番号"] == "text"


@pytest.mark.django_db(transaction=True)
def test_total_estimation_threshold_as_ckan(catalog: Any, publisher: Any, client: Client) -> None:
    resource = upload(publisher, catalog["shelters"], SHELTERS.encode())
    # Without filters or q, a table reaching the threshold gives its row count as estimated.
    reached = search(client, resource, total_estimation_threshold=3).json()["result"]
    assert (reached["total"], reached["total_was_estimated"]) == (3, True)
    assert reached["total_estimation_threshold"] == 3
    below = search(client, resource, total_estimation_threshold=4).json()["result"]
    assert (below["total"], below["total_was_estimated"]) == (3, False)
    # Filters and q are always counted.
    filtered = search(
        client, resource, filters='{"区": "中京区"}', total_estimation_threshold=1
    ).json()["result"]
    assert (filtered["total"], filtered["total_was_estimated"]) == (2, False)
    plain = search(client, resource).json()["result"]
    assert plain["total_estimation_threshold"] is None
    assert plain["total_was_estimated"] is False


@pytest.mark.django_db(transaction=True)
def test_loading_indexes_every_column_and_the_row_text(catalog: Any, publisher: Any) -> None:
    resource = upload(publisher, catalog["shelters"], SHELTERS.encode())
    table = datastore.table_name(resource)
    with connection.cursor() as cursor:
        indexed = {
            column
            for constraint in connection.introspection.get_constraints(cursor, table).values()
            if constraint["index"] and not constraint["primary_key"]
            for column in constraint["columns"] or []
        }
        if connection.vendor == "sqlite":
            cursor.execute(f'SELECT count(*) FROM "{table}_fts"')  # noqa: S608
            assert cursor.fetchone()[0] == 3
        else:
            assert "_full_text" in indexed
    assert {f"c{i}" for i in range(6)} <= indexed


@pytest.mark.django_db(transaction=True)
def test_q_sort_and_offset_over_the_indexes(catalog: Any, publisher: Any, client: Client) -> None:
    csv = "名称,人口\n" + "".join(f"施設{n},{n % 7 or ''}\n" for n in range(1, 41))
    resource = upload(publisher, catalog["toilets"], csv.encode())
    # Three characters or more go through the trigram index, shorter words scan; same answer.
    assert [
        r["名称"] for r in search(client, resource, q="施設12").json()["result"]["records"]
    ] == ["施設12"]
    assert search(client, resource, q="設1").json()["result"]["total"] == 11
    assert search(client, resource, q="100%").json()["result"]["total"] == 0
    # Empty values sort last both ways; ties keep file order.
    ascending = search(client, resource, sort="人口 asc", limit=40).json()["result"]["records"]
    descending = search(client, resource, sort="人口 desc", limit=40).json()["result"]["records"]
    assert [r["人口"] for r in ascending][:2] == [1, 1]
    assert [r["_id"] for r in ascending][:2] == [1, 8]
    assert descending[0]["人口"] == 6
    assert ascending[-1]["人口"] is None
    assert descending[-1]["人口"] is None
    page = search(client, resource, offset=35, limit=10).json()["result"]["records"]
    assert [r["_id"] for r in page] == [36, 37, 38, 39, 40]


@pytest.mark.django_db(transaction=True)
def test_a_deleted_resource_takes_its_table_along(
    catalog: Any, publisher: Any, client: Client
) -> None:
    resource = upload(publisher, catalog["shelters"], SHELTERS.encode())
    table = datastore.table_name(resource)
    services.delete_resource(publisher, resource)
    with connection.cursor() as cursor:
        assert table not in connection.introspection.table_names(cursor)


def _workbook(rows: list[list[Any]]) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_excel_workbook_loads_like_its_csv(catalog: Any, publisher: Any, client: Client) -> None:
    import datetime as dt

    workbook = _workbook(
        [
            ["ID", "名称", "区", "収容人数", "開設日", "郵便番号", None],  # a wider used range
            [1, "京都市立朱雀第一小学校", "中京区", 500, dt.datetime(2024, 4, 1), "6048571"],
            [2, "京都市立御所南小学校", "中京区", 800.0, dt.date(2025, 4, 1), "0600001"],
            [],
            [3, "京都市立紫野小学校", "北区", 650, None, "6038000"],
        ]
    )
    resource = upload(publisher, catalog["shelters"], workbook, name="shelters.xlsx")
    assert resource.format == "XLSX"
    assert resource.datastore_status == Resource.DatastoreStatus.DONE
    body = search(client, resource, sort="収容人数 desc").json()["result"]
    assert body["total"] == 3
    types = {f["id"]: f["type"] for f in body["fields"]}
    assert (types["収容人数"], types["郵便番号"], types["開設日"]) == ("int", "text", "text")
    assert [r["収容人数"] for r in body["records"]] == [800, 650, 500]
    assert body["records"][0]["開設日"] == "2025-04-01"
    assert body["records"][2]["開設日"] == "2024-04-01"
    assert body["records"][1]["開設日"] is None
    assert body["records"][0]["郵便番号"] == "0600001"  # the leading zero stays
    assert search(client, resource, q="紫野").json()["result"]["total"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_bad_excel_file_loads_nothing_and_says_why(catalog: Any, publisher: Any) -> None:
    not_a_workbook = upload(publisher, catalog["toilets"], b"PK\x03\x04 broken", name="x.xlsx")
    assert not_a_workbook.datastore_errors == [
        {"row": None, "message": "Excel（XLSX）ファイルとして読めません。"}
    ]
    ragged = upload(
        publisher, catalog["toilets"], _workbook([["名称", "区"], ["a", "北区", "余分"]]), "y.xlsx"
    )
    assert ragged.datastore_status == Resource.DatastoreStatus.ERROR
    assert ragged.datastore_errors == [
        {"row": 2, "message": "列の数が見出しと違います（見出し2列、この行3列）。"}
    ]
