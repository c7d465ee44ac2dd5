"""Benchmark: the open data portal's package_search and datastore_search at scale.

    make bench-opendata

Loads a synthetic catalog of 20,000 datasets / 200,000 resources with Japanese titles and
descriptions (bulk inserts, the search index built with the portal's own grams and facet
counts) and a 1,000,000-row datastore table (created and indexed as the loader does), then
times typical CKAN API calls through Django's test client (the whole view: parsing, search,
facets, JSON). Runs on SQLite (a fresh file) and on
PostgreSQL (BENCH_DATABASE_URL, default the local madoguchi_bench_opendata database, emptied
first), each in its own process. Prints p50/p95 per query and the ratio to the targets:
package_search p95 < 50 ms, datastore_search p95 < 100 ms.
"""

import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

DATASETS = int(os.environ.get("BENCH_DATASETS", 20_000))
RESOURCES_PER_DATASET = 10
ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))
REPEAT = 40
BUDGET = 15  # seconds of calls per query at most
SEARCH_TARGET_MS, DATASTORE_TARGET_MS = 50, 100
POSTGRES = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/madoguchi_bench_opendata"
)

WARDS = ["北区", "上京区", "左京区", "中京区", "東山区", "山科区", "下京区", "南区", "右京区",
         "西京区", "伏見区"]  # fmt: skip
TOPICS = ["指定緊急避難場所", "指定避難所", "公共施設", "AED設置箇所", "子育て施設", "保育所",
          "地域・年齢別人口", "観光施設", "イベント", "公衆トイレ", "図書館", "駐輪場",
          "ごみ収集日", "文化財", "バス停留所", "医療機関", "介護サービス事業所", "公園",
          "消防水利", "選挙投票所"]  # fmt: skip
KINDS = ["一覧", "統計", "年報", "位置情報", "月次データ", "調査結果"]
TAGS = ["防災", "子育て", "観光", "人口", "福祉", "医療", "環境", "交通", "教育", "文化",
        "統計", "施設", "地図", "行政", "くらし"]  # fmt: skip
FORMATS = ["CSV", "XLSX", "PDF", "JSON", "GeoJSON"]

SEARCHES = {
    "q=避難所 + facets": {"q": "避難所", "facet.field": '["organization","tags","res_format"]'},
    "q=子育て 施設": {"q": "子育て 施設"},
    "q=北区 人口, rows=20": {"q": "北区 人口", "rows": "20"},
    "q=AED fq=res_format:CSV": {"q": "AED", "fq": "res_format:CSV"},
    "fq=organization:org-03": {"fq": "organization:org-03"},
    "browse, newest + facets": {
        "sort": "metadata_modified desc",
        "facet.field": '["organization","groups","tags","res_format","license_id"]',
    },
    "q=図 (one character)": {"q": "図"},
}


def main() -> None:
    if len(sys.argv) > 1:
        run(sys.argv[1])
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    for backend in ("sqlite", "postgresql"):
        print(f"\n=== {backend} ===", flush=True)
        subprocess.run([sys.executable, __file__, backend], check=True)


def run(backend: str) -> None:
    os.environ.setdefault("MADOGUCHI_VAR_DIR", tempfile.mkdtemp(prefix="madoguchi-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.conf.test")
    os.environ["MADOGUCHI_RATE_API"] = "100000000/m"
    if backend == "postgresql":
        os.environ["DATABASE_URL"] = POSTGRES
        _create_database(POSTGRES)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['MADOGUCHI_VAR_DIR']}/bench.sqlite3"
    sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "src")]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    resource_id = load(connection)
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
    # As the server does after loading (madoguchi/wsgi.py): what was loaded so far is never
    # scanned by the cyclic collector again.
    gc.collect()
    gc.freeze()
    measure(resource_id)
    if backend == "sqlite":
        shutil.rmtree(os.environ["MADOGUCHI_VAR_DIR"], ignore_errors=True)


def _create_database(url: str) -> None:
    """The benchmark's own database, made on first use (its schema is emptied on each run)."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def insert(connection, table: str, columns: list[str], rows) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def load(connection) -> str:
    from django.db import transaction
    from django.utils import timezone

    from madoguchi.opendata import datastore, search, selectors
    from madoguchi.opendata.models import (
        Dataset,
        DatastoreField,
        FacetValue,
        Group,
        Organization,
        Resource,
        SearchDocument,
        Tag,
    )

    started = time.perf_counter()
    rng = random.Random(261009)
    now = timezone.now()

    # Raw inserts: PostgreSQL takes UUIDs, SQLite stores Django's UUIDs as 32 hex digits.
    def key(value: uuid.UUID) -> object:
        return value if connection.vendor == "postgresql" else value.hex

    def uid() -> object:
        return key(uuid.uuid4())

    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(name=f"org-{i:02d}", title_ja=f"京都市 {w}役所 {i}課")
            for i, w in enumerate(WARDS * 2)
        )
        groups = Group.objects.bulk_create(
            Group(name=f"group-{i}", title_ja=t) for i, t in enumerate(TAGS[:10])
        )
        tags = Tag.objects.bulk_create(Tag(name=t) for t in TAGS)
        datasets, resources, documents, tag_links, group_links, facets = [], [], [], [], [], []
        for i in range(DATASETS):
            ward, topic, kind = rng.choice(WARDS), rng.choice(TOPICS), rng.choice(KINDS)
            year = rng.randint(2015, 2026)
            title = f"{ward} {topic}{kind}（{year}年度）"
            notes = (
                f"京都市{ward}の{topic}に関する{kind}です。住所、緯度経度、電話番号などを"
                f"掲載しています。{rng.choice(TOPICS)}と合わせてご利用ください。"
            )
            org = rng.choice(orgs)
            dataset_id = uid()
            chosen_tags = rng.sample(tags, 3)
            group = rng.choice(groups)
            modified = now - timezone.timedelta(minutes=i)
            datasets.append(
                (dataset_id, f"dataset-{i:05d}", title, "", notes, "", key(org.pk), "cc-by-4.0",
                 "annual", ward, "", "", "", "", "{}", "active", False, modified, modified)
            )  # fmt: skip
            tag_links += [(dataset_id, key(t.pk)) for t in chosen_tags]
            group_links.append((dataset_id, key(group.pk)))
            names = []
            for position in range(RESOURCES_PER_DATASET):
                fmt = FORMATS[position % len(FORMATS)]
                name = f"{topic}{kind} {year - position // 5}年度（{fmt}）"
                names.append(f"{name} {fmt}")
                resources.append(
                    (uid(), dataset_id, name, "", fmt, f"https://example.jp/{i}/{position}",
                     "", "", "", position, False, "", "[]", 0, 0, "{}", modified, modified, "")
                )  # fmt: skip
            fields = search.field_grams(
                [
                    (search.TITLE, [title, f"dataset-{i:05d}"]),
                    (search.TAG, [t.name for t in chosen_tags]),
                    (search.ORGANIZATION, [org.title_ja, group.title_ja]),
                    (search.BODY, [notes, *names]),
                ]
            )
            values = sorted([
                ("organization", org.name), ("groups", group.name), ("license_id", "cc-by-4.0"),
                *(("tags", t.name) for t in chosen_tags), *(("res_format", f) for f in FORMATS),
            ])  # fmt: skip
            facets += [(dataset_id, facet, value) for facet, value in values]
            documents.append((i + 1, dataset_id, True, search.facets_text(values), fields))
        print(f"  {len(datasets):,} datasets, {len(resources):,} resources, "
              f"{sum(len(g) for d in documents for g in d[4].values()):,} index grams",
              flush=True)  # fmt: skip
        t = Dataset._meta.db_table
        insert(connection, t, ["id", "name", "title", "title_en", "notes", "notes_en",
               "owner_org_id", "license_id", "frequency", "spatial", "contact_name",
               "contact_email", "url", "version", "extras", "state", "private", "created",
               "modified"], datasets)  # fmt: skip
        insert(connection, Dataset.tags.through._meta.db_table, ["dataset_id", "tag_id"], tag_links)
        insert(
            connection,
            Dataset.groups.through._meta.db_table,
            ["dataset_id", "group_id"],
            group_links,
        )
        insert(connection, Resource._meta.db_table, ["id", "dataset_id", "name", "description",
               "format", "url", "upload", "filename", "mimetype", "position", "datastore_active",
               "datastore_status", "datastore_errors", "download_count", "datastore_rows",
               "extras", "created", "last_modified", "hash"], resources)  # fmt: skip
        # Each document's stored package dict, which search results are served from.
        packages = {}
        ids = list(Dataset.objects.order_by("pk").values_list("pk", flat=True))
        for first in range(0, len(ids), 500):
            chunk = Dataset.objects.filter(pk__in=ids[first : first + 500])
            for dataset in selectors.with_relations(chunk):
                packages[key(dataset.pk)] = selectors.stored_package(dataset)
        insert(
            connection,
            SearchDocument._meta.db_table,
            ["id", "dataset_id", "public", "facets", "package"],
            ((*d[:4], packages[d[1]]) for d in documents),
        )
        with connection.cursor() as cursor:
            for document_id, _dataset, _public, _facets, fields in documents:
                search.write_document(document_id, fields, cursor, replace=False)
        insert(connection, FacetValue._meta.db_table, ["dataset_id", "facet", "value"], facets)
        search.recount()
        print(f"  catalog inserted at {time.perf_counter() - started:.0f} s", flush=True)

        # The datastore table: one resource of 1,000,000 rows, as the loader stores them.
        table = Resource.objects.filter(format="CSV").first()
        headers = [("ID", "int"), ("名称", "text"), ("区", "text"), ("人口", "int"),
                   ("緯度", "numeric"), ("経度", "numeric")]  # fmt: skip
        fields = DatastoreField.objects.bulk_create(
            DatastoreField(resource=table, position=i, name=n, type=k)
            for i, (n, k) in enumerate(headers)
        )
        datastore.create_table(table, fields)

        def rows():
            for number in range(1, ROWS + 1):
                latitude = round(34.9 + rng.random() / 5, 6)
                longitude = round(135.6 + rng.random() / 5, 6)
                values = [number, f"施設{number}", rng.choice(WARDS), rng.randint(0, 99999),
                          latitude, longitude]  # fmt: skip
                yield number, *values, datastore.row_text([str(v) for v in values])

        columns = ["_id", *(f"c{f.position}" for f in fields), "_full_text"]
        insert(connection, f'"{datastore.table_name(table)}"', columns, rows())
        print(f"  datastore rows inserted at {time.perf_counter() - started:.0f} s", flush=True)
        datastore.index_table(table, fields)
        Resource.objects.filter(pk=table.pk).update(
            datastore_active=True, datastore_status="done", datastore_rows=ROWS
        )
    with connection.cursor() as cursor:
        # PostgreSQL: vacuumed as a catalog in use would be (and as the loader does for the
        # datastore table), so that autovacuum of the bulk load does not run during the timing.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        # The bulk load written out now, not by the checkpointer and the kernel during the
        # timing.
        cursor.execute(
            "CHECKPOINT" if connection.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)"
        )
    os.sync()
    return str(table.pk)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(client, path: str, params: dict[str, str]) -> tuple[float, float, int, dict]:
    """p50 and p95 over REPEAT calls (fewer, at least 5, when they take over BUDGET s)."""
    body = client.get(path, params).json()
    assert body["success"], body
    samples: list[float] = []
    budget = time.perf_counter() + BUDGET
    while len(samples) < REPEAT and (len(samples) < 5 or time.perf_counter() < budget):
        started = time.perf_counter()
        response = client.get(path, params)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    return (*percentiles(samples), len(samples), body["result"])


def measure(resource_id: str) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    worst = 0.0
    print(f"\npackage_search over {DATASETS:,} datasets (target p95 < {SEARCH_TARGET_MS} ms)")
    for label, params in SEARCHES.items():
        p50, p95, n, result = timed(client, "/api/3/action/package_search", params)
        worst = max(worst, p95)
        print(
            f"  {label:30} count {result['count']:>6,}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  n={n}"
        )
    print(f"  worst p95 {worst:.1f} ms = {worst / SEARCH_TARGET_MS:.2f} x target")

    queries = {
        "first page (limit 100)": {},
        "filters 区=北区": {"filters": '{"区": "北区"}'},
        "filters 区=北区, no total": {"filters": '{"区": "北区"}', "include_total": "false"},
        "sort 人口 desc": {"sort": "人口 desc"},
        "q=施設12345": {"q": "施設12345"},
        "offset 500,000": {"offset": "500000"},
        "fields ID,名称, limit 1000": {"fields": "ID,名称", "limit": "1000"},
    }
    worst = 0.0
    print(f"\ndatastore_search on {ROWS:,} rows (target p95 < {DATASTORE_TARGET_MS} ms)")
    for label, params in queries.items():
        p50, p95, n, result = timed(
            client, "/api/3/action/datastore_search", {"resource_id": resource_id, **params}
        )
        worst = max(worst, p95)
        total = result.get("total", "-")
        print(f"  {label:30} total {total:>9}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  n={n}")
    print(f"  worst p95 {worst:.1f} ms = {worst / DATASTORE_TARGET_MS:.2f} x target")


if __name__ == "__main__":
    main()
