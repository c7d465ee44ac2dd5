"""The datastore: tabular resources loaded into rows, and CKAN's datastore_search over them.

CSV files in Japan come in UTF-8, UTF-8 with a BOM and CP932 (Windows' Shift_JIS): the file is
decoded as UTF-8 (BOM or not) and, failing that, as CP932. A file is loaded whole or not at all:
the rows are checked first, then replaced in one transaction, and a bad file leaves the
previous rows and an error report (line numbers and what is wrong) on the resource.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _
from django_tasks import task

from .models import DatastoreField, DatastoreRow, Resource

TABULAR_FORMATS = {"CSV", "TSV"}
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
    errors: list[dict[str, Any]] = []
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise LoadError([{"row": 1, "message": _("ファイルが空です。")}]) from None
    except csv.Error as error:
        raise LoadError(
            [{"row": 1, "message": _("CSVの形式が正しくありません: %(error)s") % {"error": error}}]
        ) from None
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
        if len(row) != len(headers):
            errors.append(
                {
                    "row": reader.line_num,
                    "message": _(
                        "列の数が見出しと違います（見出し%(expected)d列、この行%(found)d列）。"
                    )
                    % {"expected": len(headers), "found": len(row)},
                }
            )
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
            continue
        rows.append([value.strip() for value in row])
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
        table = parse(raw, "\t" if resource.format.upper() == "TSV" else ",")
    except LoadError as error:
        Resource.objects.filter(pk=resource.pk).update(
            datastore_status=Resource.DatastoreStatus.ERROR, datastore_errors=error.errors
        )
        return
    with transaction.atomic():
        DatastoreRow.objects.filter(resource=resource).delete()
        DatastoreField.objects.filter(resource=resource).delete()
        DatastoreField.objects.bulk_create(
            DatastoreField(resource=resource, position=i, name=name, type=kind)
            for i, (name, kind) in enumerate(zip(table.headers, table.types, strict=True))
        )
        for start in range(0, len(table.rows), BATCH):
            DatastoreRow.objects.bulk_create(
                DatastoreRow(
                    resource=resource,
                    number=start + offset + 1,
                    data=[_convert(v, k) for v, k in zip(row, table.types, strict=True)],
                    text=row_text(row),
                )
                for offset, row in enumerate(table.rows[start : start + BATCH])
            )
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
) -> dict[str, Any]:
    columns = list(resource.fields.all())
    rows = DatastoreRow.objects.filter(resource=resource)
    filtered = False
    for name, value in (filters or {}).items():
        column = _column(columns, name, "filters")
        key = f"data__{column.position}"
        values = value if isinstance(value, list) else [value]
        condition = Q()
        for item in values:
            condition |= Q(**{key: _typed(item, column, "filters")})
        rows = rows.filter(condition)
        filtered = True
    for term in row_text([q]).split():
        rows = rows.filter(text__contains=term)
        filtered = True
    order: list[Any] = []
    for part in (p.strip() for p in sort.split(",") if p.strip()):
        words = part.rsplit(" ", 1)
        if len(words) == 2 and words[1].lower() in {"asc", "desc"}:
            name, direction = words[0].strip().strip('"'), words[1]
        else:
            name, direction = part.strip('"'), "asc"
        if name == "_id":
            expression: Any = "number"
            order.append(f"-{expression}" if direction.lower() == "desc" else expression)
            continue
        column = _column(columns, name, "sort")
        transform = KeyTransform(str(column.position), "data")
        order.append(
            transform.desc(nulls_last=True)
            if direction.lower() == "desc"
            else transform.asc(nulls_last=True)
        )
    rows = rows.order_by(*order, "number")
    selected = columns
    if fields:
        selected = [_column(columns, name, "fields") for name in fields if name != "_id"]
    page = list(rows.values_list("number", "data")[offset : offset + limit])
    records = [
        {"_id": number, **{c.name: data[c.position] for c in selected}} for number, data in page
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
    }
    if include_total:
        result["total"] = rows.count() if filtered else resource.datastore_rows
        result["total_was_estimated"] = False
    return result
