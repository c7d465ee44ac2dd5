"""The Digital Agency's 自治体標準オープンデータセット as Frictionless Table Schemas, and the
validation of an uploaded CSV against one of them.

Each standard is a JSON Table Schema in this folder (columns, order, types, constraints) that
also names the version of the Digital Agency's definition it follows and where that was checked
("version", "sheet", "sources"; docs/opendata-standards.md). The report turns Frictionless'
errors into one readable line per problem, in the user's language.
"""

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

FOLDER = Path(__file__).parent
# Japanese CSV files come as UTF-8 (with or without BOM) or as Shift_JIS / CP932 (Excel).
ENCODINGS = ("utf-8-sig", "cp932")
MAX_ERRORS = 200
# The keys of a descriptor that are Table Schema's; the others are ours (titles, version, sources).
TABLE_SCHEMA_KEYS = ("fields", "primaryKey", "foreignKeys", "missingValues")
SIX_DIGITS = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class Standard:
    key: str
    title_ja: str
    title_en: str
    descriptor: dict

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "ja").startswith("en") else self.title_ja

    @property
    def version(self) -> str | None:
        """The date of the definition checked against (e.g. 2026-08-01); None: not checked yet."""
        return self.descriptor.get("version")

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.descriptor["fields"]]

    def field_title(self, name: str) -> str:
        """A column's name as the user reads it: the Japanese name, in English with a gloss."""
        if not (get_language() or "ja").startswith("en"):
            return name
        for f in self.descriptor["fields"]:
            if f["name"] == name:
                return f"{name} ({f['title']})"
        return name


@cache
def standards() -> dict[str, Standard]:
    found = {}
    for path in sorted(FOLDER.glob("*.json")):
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        found[descriptor["name"]] = Standard(
            descriptor["name"], descriptor["title"], descriptor["title_en"], descriptor
        )
    return found


def choices() -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in standards().values()]


def table_text(key: str, rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> str:
    """A CSV of ``rows`` under the standard's columns, in order (cells not given are empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = columns or standards()[key].columns
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    return out.getvalue()


@dataclass(frozen=True)
class Problem:
    row: int | None  # the line in the file (the header is line 1); None: the whole file
    column: str
    message: str


@dataclass
class Report:
    standard: Standard
    encoding: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False

    @property
    def valid(self) -> bool:
        return not self.problems


class UndecodableFile(ValueError):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in (UTF-8, UTF-8 with BOM, CP932)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UndecodableFile(
        _("文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。")
    )


def validate_csv(data: bytes, key: str) -> Report:
    """Validate CSV bytes against the standard ``key``; every problem found, row by row."""
    from frictionless import Resource, Schema, formats

    standard = standards()[key]
    report = Report(standard)
    try:
        text, report.encoding = decode(data)
    except UndecodableFile as error:
        report.problems.append(Problem(None, "", str(error)))
        return report
    schema_descriptor = {k: v for k, v in standard.descriptor.items() if k in TABLE_SCHEMA_KEYS}
    resource = Resource(
        text.encode("utf-8"),
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(schema_descriptor),
        control=formats.CsvControl(),
    )
    result = resource.validate(limit_errors=MAX_ERRORS)
    task = result.tasks[0]
    report.rows = task.stats.get("rows") or 0
    report.truncated = len(task.errors) >= MAX_ERRORS
    problems = [_problem(standard, error) for error in task.errors]
    problems += _check_digits(standard, text, MAX_ERRORS - len(problems))
    report.truncated = report.truncated or len(problems) >= MAX_ERRORS
    order = {name: index for index, name in enumerate(standard.columns)}
    report.problems = sorted(
        problems, key=lambda p: (p.row or 0, order.get(p.column.split(" ")[0], len(order)))
    )
    return report


def check_digit_ok(code: str) -> bool:
    """Whether the sixth digit of a 全国地方公共団体コード is the check digit of the first five."""
    total = sum(
        int(digit) * weight for digit, weight in zip(code[:5], (6, 5, 4, 3, 2), strict=True)
    )
    return int(code[5]) == (11 - total % 11) % 10


def _check_digits(standard: Standard, text: str, room: int) -> list[Problem]:
    """Codes of six digits whose check digit is wrong (a pattern cannot compute one); codes that
    are not six digits are already reported by the pattern."""
    fields = [f["name"] for f in standard.descriptor["fields"] if f.get("checkDigit")]
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    positions = [(name, header.index(name)) for name in fields if name in header]
    problems: list[Problem] = []
    for line, cells in enumerate(rows, start=2):
        for name, position in positions:
            value = cells[position].strip() if position < len(cells) else ""
            if SIX_DIGITS.fullmatch(value) and not check_digit_ok(value):
                if len(problems) >= room:
                    return problems
                message = _("「{column}」の値「{value}」は検査数字（6桁目）が合いません。")
                shown = standard.field_title(name)
                problems.append(Problem(line, shown, message.format(column=shown, value=value)))
    return problems


def _problem(standard: Standard, error) -> Problem:
    column = getattr(error, "field_name", "") or getattr(error, "label", "") or ""
    row = getattr(error, "row_number", None)
    shown = standard.field_title(column) if column else ""
    cell = getattr(error, "cell", "")
    code = error.type
    if code == "incorrect-label":
        position = error.field_number
        expected = standard.columns[position - 1] if position <= len(standard.columns) else ""
        message = _("{position}列目の見出しは「{expected}」でなければなりません（「{label}」）。")
        return Problem(
            1,
            shown,
            message.format(position=position, expected=expected, label=error.label),
        )
    if code == "missing-label":
        return Problem(1, shown, _("列「{column}」がありません。").format(column=shown))
    if code == "extra-label":
        return Problem(
            1, error.label, _("規格にない列「{label}」があります。").format(label=error.label)
        )
    if code == "duplicate-label":
        return Problem(
            1, error.label, _("列「{label}」が重複しています。").format(label=error.label)
        )
    if code == "missing-cell":
        return Problem(
            row, shown, _("「{column}」の値がありません（列が足りません）。").format(column=shown)
        )
    if code == "extra-cell":
        return Problem(row, "", _("規格の列数より多い値があります。"))
    if code == "blank-row":
        return Problem(row, "", _("空の行です。"))
    if code == "primary-key":
        names = standard.descriptor["primaryKey"]
        key = "、".join(names)
        cells = error.cells
        value = "、".join(
            str(cells[i]) for i in (standard.columns.index(n) for n in names) if i < len(cells)
        )
        return Problem(row, key, _duplicate().format(column=key, value=value))
    if code == "unique-error":
        return Problem(row, shown, _duplicate().format(column=shown, value=cell))
    if code == "type-error":
        kind = _type_name(standard, column)
        return Problem(
            row,
            shown,
            _("「{column}」の値「{value}」は{kind}ではありません。").format(
                column=shown, value=cell, kind=kind
            ),
        )
    if code == "constraint-error":
        return Problem(row, shown, _constraint_message(standard, column, cell, error.note))
    return Problem(row, shown, error.message)


def _duplicate() -> str:
    return _("「{column}」の値「{value}」が他の行と重複しています。")


def _field(standard: Standard, name: str) -> dict:
    return next((f for f in standard.descriptor["fields"] if f["name"] == name), {})


def _type_name(standard: Standard, name: str) -> str:
    kind = _field(standard, name).get("type", "string")
    return {
        "number": _("数値"),
        "integer": _("整数"),
        "date": _("日付（YYYY-MM-DD）"),
        "time": _("時刻（hh:mm）"),
    }.get(kind, _("文字列"))


def _constraint_message(standard: Standard, name: str, value: str, note: str) -> str:
    shown = standard.field_title(name)
    constraints = _field(standard, name).get("constraints", {})
    if note.startswith('constraint "required"') or (note.find('"required"') >= 0):
        return _("「{column}」は必須です。").format(column=shown)
    if "minimum" in note or "maximum" in note:
        minimum, maximum = constraints.get("minimum"), constraints.get("maximum")
        if maximum is None:
            message = _("「{column}」の値「{value}」は {minimum} 以上でなければなりません。")
        elif minimum is None:
            message = _("「{column}」の値「{value}」は {maximum} 以下でなければなりません。")
        else:
            message = _(
                "「{column}」の値「{value}」は {minimum} 以上 {maximum} 以下でなければなりません。"
            )
        return message.format(column=shown, value=value, minimum=minimum, maximum=maximum)
    if "enum" in note:
        return _("「{column}」の値「{value}」は次のいずれかでなければなりません: {allowed}").format(
            column=shown, value=value, allowed="、".join(constraints["enum"])
        )
    if "pattern" in note:
        return _("「{column}」の値「{value}」の形式が正しくありません。").format(
            column=shown, value=value
        )
    if "unique" in note:
        return _duplicate().format(column=shown, value=value)
    return _("「{column}」の値「{value}」が規格に合いません。").format(column=shown, value=value)
