"""The datastore: tabular resources loaded into rows, and CKAN's datastore_search over them.

CSV files in Japan come in UTF-8, UTF-8 with a BOM and CP932 (Windows' Shift_JIS): the file is
decoded as UTF-8 (BOM or not) and, failing that, as CP932. An Excel workbook (XLSX) is read
from its first sheet with openpyxl; its first row holds the column names, as in a CSV file. A
file is loaded whole or not at all: the rows are checked first, then replaced in one
transaction, and a bad file leaves the previous rows and an error report (line numbers and what
is wrong) on the resource.

As in CKAN, each loaded resource gets a table of its own (``datastore_<resource id>``): ``_id``
(1 to n in file order, the primary key), one typed column per field (``c0``, ``c1`` … in
``DatastoreField`` order: int → bigint, numeric → double precision, text → text) and
``_full_text``, the normalised row for ``q``. Every column gets an index when the file is
loaded, and ``_full_text`` a trigram index (PostgreSQL pg_trgm, SQLite FTS5 trigram), so that
filters, totals, sorts and ``q`` read an index rather than every row.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks import task

from .models import DatastoreField, Resource

TABULAR_FORMATS = {"CSV", "TSV", "XLSX"}
MAX_REPORTED_ERRORS = 20
BATCH = 5000
INT = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
NUMERIC = re.compile(r"^[+-]?(0|[1-9][0-9]*)?(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
INT_LIMIT = 2**63


class LoadError(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError(
        [
            {
                "row": None,
                "message": _(
                    "文字コードを判別できません。UTF-8またはShift_JIS（CP932）で保存してください。"
                ),
            }
        ]
    )


def _column_type(values: list[str]) -> str:
    present = [v for v in values if v != ""]
    if not present:
        return "text"
    # A leading zero (郵便番号, 市区町村コード with 0) is kept as text, as it was written.
    if all(INT.match(v) and abs(int(v)) < INT_LIMIT for v in present):
        return "int"
    if all(NUMERIC.match(v) and any(c.isdigit() for c in v) for v in present) and not any(
        len(v) > 1 and v.lstrip("+-").startswith("0") and not v.lstrip("+-").startswith("0.")
        for v in present
    ):
        return "numeric"
    return "text"


def _convert(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "int":
        return int(value)
    if kind == "numeric":
        return float(value)
    return value


def row_text(values: list[str]) -> str:
    return unicodedata.normalize("NFKC", " ".join(values)).lower()


@dataclass
class Table:
    headers: list[str]
    types: list[str]
    rows: list[list[str]]


def parse(raw: bytes, delimiter: str = ",") -> Table:
    """Decode and check a CSV file; raise LoadError listing what is wrong, by line."""
    text = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise LoadError([{"row": 1, "message": _("ファイルが空です。")}]) from None
    except csv.Error as error:
        raise LoadError(
            [{"row": 1, "message": _("CSVの形式が正しくありません: %(error)s") % {"error": error}}]
        ) from None
    errors = _header_errors(headers)
    rows: list[list[str]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(
                {
                    "row": reader.line_num,
                    "message": _("CSVの形式が正しくありません: %(error)s") % {"error": error},
                }
            )
            break
        if not row or row == [""]:
            continue
        if not _fits(headers, row, reader.line_num, errors):
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
            continue
        rows.append([value.strip() for value in row])
    return _table(headers, rows, errors)


def parse_xlsx(raw: bytes) -> Table:
    """The first sheet of an Excel workbook, checked as a CSV file is (rows by their number in
    the sheet); numbers, dates and times are written as text the way a CSV would hold them."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise LoadError(
            [{"row": None, "message": _("Excel（XLSX）ファイルとして読めません。")}]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        numbered = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        first = next(numbered, None)
        if first is None:
            raise LoadError([{"row": 1, "message": _("ファイルが空です。")}])
        headers = _trimmed(first[1])
        errors = _header_errors(headers)
        rows: list[list[str]] = []
        for number, values in numbered:
            row = _trimmed(values)
            if not any(row):
                continue
            row += [""] * (len(headers) - len(row))  # empty cells at the end of a row
            if not _fits(headers, row, number, errors):
                if len(errors) >= MAX_REPORTED_ERRORS:
                    break
                continue
            rows.append(row)
    finally:
        workbook.close()
    return _table(headers, rows, errors)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _trimmed(values: list[str]) -> list[str]:
    """Without the empty cells after the last one written (a sheet's used range is wider)."""
    end = len(values)
    while end and values[end - 1] == "":
        end -= 1
    return values[:end]


def _fits(headers: list[str], row: list[str], line: int, errors: list[dict[str, Any]]) -> bool:
    if len(row) == len(headers):
        return True
    errors.append(
        {
            "row": line,
            "message": _("列の数が見出しと違います（見出し%(expected)d列、この行%(found)d列）。")
            % {"expected": len(headers), "found": len(row)},
        }
    )
    return False


def _header_errors(headers: list[str]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for position, header in enumerate(headers, start=1):
        if not header:
            errors.append(
                {"row": 1, "message": _("%(column)d列目の見出しが空です。") % {"column": position}}
            )
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            errors.append(
                {"row": 1, "message": _("見出し「%(name)s」が重複しています。") % {"name": header}}
            )
        seen.add(header)
    return errors


def _table(headers: list[str], rows: list[list[str]], errors: list[dict[str, Any]]) -> Table:
    if errors:
        raise LoadError(errors[:MAX_REPORTED_ERRORS])
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in headers]
    types = [_column_type(list(column)) for column in columns]
    return Table(headers, types, rows)


def load(resource: Resource) -> None:
    """Load an uploaded tabular resource, replacing its rows, or record why not."""
    try:
        with resource.upload.open("rb") as handle:
            raw = handle.read()
        kind = resource.format.upper()
        table = parse_xlsx(raw) if kind == "XLSX" else parse(raw, "\t" if kind == "TSV" else ",")
    except LoadError as error:
        Resource.objects.filter(pk=resource.pk).update(
            datastore_status=Resource.DatastoreStatus.ERROR, datastore_errors=error.errors
        )
        return
    with transaction.atomic():
        DatastoreField.objects.filter(resource=resource).delete()
        fields = DatastoreField.objects.bulk_create(
            DatastoreField(resource=resource, position=i, name=name, type=kind)
            for i, (name, kind) in enumerate(zip(table.headers, table.types, strict=True))
        )
        create_table(resource, fields)
        insert_rows(
            resource,
            fields,
            (
                [_convert(v, k) for v, k in zip(row, table.types, strict=True)] + [row_text(row)]
                for row in table.rows
            ),
        )
        index_table(resource, fields)
        transaction.on_commit(lambda: vacuum(resource))
        Resource.objects.filter(pk=resource.pk).update(
            datastore_active=True,
            datastore_status=Resource.DatastoreStatus.DONE,
            datastore_errors=[],
            datastore_rows=len(table.rows),
        )


@task()
def load_resource(resource_id: str) -> None:
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is not None and resource.upload:
        load(resource)


def is_tabular(resource: Resource) -> bool:
    return bool(resource.upload) and resource.format.upper() in TABULAR_FORMATS


def queue_load(resource: Resource) -> None:
    """Mark the resource pending and load it in the worker once the write is committed."""
    Resource.objects.filter(pk=resource.pk).update(
        datastore_status=Resource.DatastoreStatus.PENDING
    )
    resource.datastore_status = Resource.DatastoreStatus.PENDING
    resource_id = str(resource.pk)
    transaction.on_commit(lambda: load_resource.enqueue(resource_id))


# ---------------------------------------------------------------------------------------------
# The resource's table


SQL_TYPES = {
    "postgresql": {"int": "bigint", "numeric": "double precision", "text": "text"},
    "sqlite": {"int": "integer", "numeric": "real", "text": "text"},
}


def table_name(resource: Resource) -> str:
    return f"datastore_{uuid.UUID(str(resource.pk)).hex}"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _fts(resource: Resource) -> str:
    return table_name(resource) + "_fts"


def drop_table(resource: Resource) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {_quoted(_fts(resource))}")
        cursor.execute(f"DROP TABLE IF EXISTS {_quoted(table_name(resource))}")


def create_table(resource: Resource, fields: list[DatastoreField]) -> None:
    """An empty table for the resource's rows, replacing any it had."""
    drop_table(resource)
    types = SQL_TYPES[connection.vendor]
    primary = "integer" if connection.vendor == "sqlite" else "bigint"  # sqlite: the rowid
    columns = [f'"_id" {primary} PRIMARY KEY', '"_full_text" text NOT NULL']
    columns += [f'"c{f.position}" {types[f.type]}' for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {_quoted(table_name(resource))} ({', '.join(columns)})")


def insert_rows(resource: Resource, fields: list[DatastoreField], rows: Any) -> None:
    """Insert rows of values (in field order, then the row's text), numbered from 1."""
    columns = ['"_id"', *(f'"c{f.position}"' for f in fields), '"_full_text"']
    sql = (
        f"INSERT INTO {_quoted(table_name(resource))} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join('%s' for _ in columns)})"
    )
    with connection.cursor() as cursor:
        batch: list[list[Any]] = []
        for number, row in enumerate(rows, start=1):
            batch.append([number, *row])
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def index_table(resource: Resource, fields: list[DatastoreField]) -> None:
    """Index every column and the row text (after the rows are in: faster than row by row)."""
    table = table_name(resource)
    with connection.cursor() as cursor:
        for field in fields:
            cursor.execute(
                f"CREATE INDEX {_quoted(f'{table}_c{field.position}')} "
                f'ON {_quoted(table)} ("c{field.position}")'
            )
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE INDEX {_quoted(table + '_full_text')} "
                f'ON {_quoted(table)} USING gin ("_full_text" gin_trgm_ops)'
            )
            cursor.execute(f"ANALYZE {_quoted(table)}")
        else:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_quoted(_fts(resource))} USING fts5(_full_text, "
                f"content={_quoted(table)}, content_rowid=_id, tokenize='trigram')"
            )
            fts = _quoted(_fts(resource))
            cursor.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")  # noqa: S608


def vacuum(resource: Resource) -> None:
    """PostgreSQL, after the load is committed: mark the new table's pages all-visible, so that
    counts read the column indexes alone (index-only scans) instead of every matching row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {_quoted(table_name(resource))}")


def rows(resource: Resource, limit: int) -> list[list[Any]]:
    """The first rows' values, in field order."""
    fields = list(resource.fields.all())
    columns = ", ".join(f'"c{f.position}"' for f in fields) or "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {columns} FROM {_quoted(table_name(resource))} ORDER BY "_id" LIMIT %s',  # noqa: S608
            [limit],
        )
        return [list(row) for row in cursor.fetchall()]


# ---------------------------------------------------------------------------------------------
# datastore_search


class SearchError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _column(fields: list[DatastoreField], name: str, parameter: str) -> DatastoreField:
    for field in fields:
        if field.name == name:
            return field
    raise SearchError(parameter, _("列「%(name)s」はありません。") % {"name": name})


def _typed(value: Any, field: DatastoreField, parameter: str) -> Any:
    if value is None or field.type == "text":
        return value if value is None else str(value)
    try:
        return int(value) if field.type == "int" else float(value)
    except (TypeError, ValueError):
        raise SearchError(
            parameter,
            _("列「%(name)s」は数値の列です: %(value)s") % {"name": field.name, "value": value},
        ) from None


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _has_nulls(table: str, column: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_quoted(table)} WHERE {column} IS NULL LIMIT 1"  # noqa: S608
        )
        return cursor.fetchone() is not None


def search(
    resource: Resource,
    *,
    q: str = "",
    filters: dict[str, Any] | None = None,
    sort: str = "",
    limit: int = 100,
    offset: int = 0,
    fields: list[str] | None = None,
    include_total: bool = True,
    total_estimation_threshold: int | None = None,
) -> dict[str, Any]:
    columns = list(resource.fields.all())
    table = table_name(resource)
    where: list[str] = []
    params: list[Any] = []
    for name, value in (filters or {}).items():
        column = _column(columns, name, "filters")
        values = [
            _typed(v, column, "filters") for v in (value if isinstance(value, list) else [value])
        ]
        alternatives = [f'"c{column.position}" IS NULL' for v in values if v is None]
        present = [v for v in values if v is not None]
        if present:
            alternatives.append(f'"c{column.position}" IN ({", ".join("%s" for _ in present)})')
            params += present
        where.append("(" + " OR ".join(alternatives) + ")")
    for term in row_text([q]).split():
        if connection.vendor == "sqlite" and len(term) >= 3 and not set(term) & set("%_"):
            # The trigram index answers LIKE (without ESCAPE) for three characters or more.
            where.append(
                f'"_id" IN (SELECT rowid FROM {_quoted(table + "_fts")} WHERE _full_text LIKE %s)'  # noqa: S608
            )
            params.append(f"%{term}%")
        else:
            where.append("\"_full_text\" LIKE %s ESCAPE '\\'")
            params.append(_like(term))
    order: list[str] = []
    for part in (p.strip() for p in sort.split(",") if p.strip()):
        words = part.rsplit(" ", 1)
        if len(words) == 2 and words[1].lower() in {"asc", "desc"}:
            name, direction = words[0].strip().strip('"'), words[1].lower()
        else:
            name, direction = part.strip('"'), "asc"
        if name == "_id":
            order.append(f'"_id" {direction}')
            continue
        column = f'"c{_column(columns, name, "sort").position}"'
        # Empty values sort last; a column without any sorts by its index alone.
        nulls = " NULLS LAST" if _has_nulls(table, column) else ""
        order.append(f"{column} {direction}{nulls}")
    if order[-1:] != ['"_id" asc']:
        order.append('"_id" asc')
    selected = columns
    if fields:
        selected = [_column(columns, name, "fields") for name in fields if name != "_id"]
    condition = " AND ".join(where)
    page_where, page_params, page_offset = condition, list(params), offset
    if not where and order == ['"_id" asc'] and offset:
        # _id runs 1 to n without gaps (a file is loaded whole), so the offset is a key.
        page_where, page_params, page_offset = '"_id" > %s', [offset], 0
    select = ", ".join(['"_id"', *(f'"c{c.position}"' for c in selected)])
    sql = (
        f"SELECT {select} FROM {_quoted(table)}"  # noqa: S608
        + (f" WHERE {page_where}" if page_where else "")
        + f" ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*page_params, limit, page_offset])
        page = cursor.fetchall()
    records = [
        {"_id": row[0], **{c.name: value for c, value in zip(selected, row[1:], strict=True)}}
        for row in page
    ]
    result: dict[str, Any] = {
        "resource_id": str(resource.pk),
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": c.name, "type": c.type} for c in selected],
        "records": records,
        "limit": limit,
        "offset": offset,
        "records_format": "objects",
        "include_total": include_total,
        "total_estimation_threshold": total_estimation_threshold,
    }
    if include_total:
        result.update(_total(table, condition, params, resource, total_estimation_threshold))
    return result


def _total(
    table: str, condition: str, params: list[Any], resource: Resource, threshold: int | None
) -> dict[str, Any]:
    """CKAN's total: without filters or q, and with a total_estimation_threshold that the
    table's row count reaches, the count from the table's statistics (CKAN reads PostgreSQL's
    reltuples; here the count kept at load, which is exact) marked total_was_estimated;
    otherwise counted."""
    if not condition:
        estimated = threshold is not None and resource.datastore_rows >= threshold
        return {"total": resource.datastore_rows, "total_was_estimated": estimated}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {_quoted(table)} WHERE {condition}", params)  # noqa: S608
        return {"total": cursor.fetchone()[0], "total_was_estimated": False}
