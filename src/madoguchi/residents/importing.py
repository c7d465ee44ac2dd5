"""Import of the registry from CSV files, one per table, as the city's standard systems export
them (docs/registry-import.md describes every file and column).

Each file is read with frictionless against its Table Schema (``import_schemas/``): columns,
required cells, integers, codes, patterns and duplicate keys. Dates (西暦 or 和暦), 続柄 and the
references between files are checked here. Valid rows are written in batches with
``bulk_create`` (new rows inserted, existing keys updated) inside one transaction; if any row of
any file has a problem, the transaction is rolled back and nothing is loaded: the report lists
every problem with its file, line and column. A bad row never passes silently.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from frictionless import Resource, Schema

from madoguchi.core.wareki import BadDate, parse_date
from madoguchi.organizations.models import Municipality, OrgUnit

from .models import (
    BenefitReceipt,
    DisabilityCertificate,
    Household,
    Person,
    TaxLedgerEntry,
)

SCHEMAS = Path(__file__).parent / "import_schemas"
# Load order: a file may refer only to rows of the files before it (or already in the registry).
FILES = (
    "households",
    "persons",
    "tax_ledger",
    "disability_certificates",
    "single_parents",
    "benefit_recipients",
)
BATCH = 5000
# Problems kept per file; the rest are counted, so that a wholly wrong file stays readable.
MAX_PROBLEMS = 1000

R = Person.Relationship
RELATIONSHIPS = {
    "世帯主": R.HEAD,
    "妻": R.SPOUSE_WIFE,
    "夫": R.SPOUSE_HUSBAND,
    "子": R.CHILD,
    "父": R.FATHER,
    "母": R.MOTHER,
    "孫": R.GRANDCHILD,
    "兄": R.SIBLING,
    "弟": R.SIBLING,
    "姉": R.SIBLING,
    "妹": R.SIBLING,
    "縁故者": R.OTHER,
    "同居人": R.OTHER,
}
SEXES = {"1": Person.Sex.MALE, "2": Person.Sex.FEMALE}
KINDS = {
    "身体": DisabilityCertificate.Kind.SHINTAI,
    "療育": DisabilityCertificate.Kind.RYOIKU,
    "精神": DisabilityCertificate.Kind.SEISHIN,
}
DATE_EXAMPLES = "2026-04-01、2026/4/1、令和8年4月1日、R8.4.1"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # line in the file; the header is line 1
    column: str
    message: str


@dataclass(frozen=True)
class FileRead:
    encoding: str
    rows: int
    seconds: float


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    # file → problems beyond MAX_PROBLEMS, counted only
    more: dict[str, int] = field(default_factory=dict)
    files: dict[str, FileRead] = field(default_factory=dict)
    _kept: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, file: str, line: int | None, column: str, message: str) -> None:
        self._kept[file] = self._kept.get(file, 0) + 1
        if self._kept[file] > MAX_PROBLEMS:
            self.more[file] = self.more.get(file, 0) + 1
        else:
            self.problems.append(Problem(file, line, column, message))


class ImportRefused(Exception):
    """Some row of some file is wrong: nothing was loaded; ``report`` says what and where."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.problems)} problems")
        self.report = report


def detect_encoding(path: Path) -> str | None:
    """``utf-8`` (with or without BOM) or ``cp932`` (Shift_JIS as Windows writes it), or None
    when the file is neither. UTF-8 is tried first: a CP932 file with Japanese text is almost
    never valid UTF-8."""
    with path.open("rb") as file:
        bom = file.read(3) == codecs.BOM_UTF8
    for encoding in ("utf-8-sig" if bom else "utf-8", "cp932"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def import_registry(directory: Path, municipality: Municipality) -> Report:
    """Load every known CSV file in ``directory``; raise ImportRefused (nothing loaded) when a
    row is wrong, return the report of what was read otherwise."""
    report = Report()
    found = {path.stem: path for path in sorted(directory.glob("*.csv"))}
    for name in found:
        if name not in FILES:
            report.add(
                f"{name}.csv",
                None,
                "",
                _("このファイル名は取り込みの対象ではありません（対象: %(files)s）。")
                % {"files": "、".join(f"{known}.csv" for known in FILES)},
            )
    if not any(name in found for name in FILES):
        report.add(str(directory), None, "", _("取り込むCSVファイルがありません。"))
    with transaction.atomic():
        loader = _Loader(municipality, report)
        for name in FILES:
            if name in found:
                loader.load(name, found[name])
        if not report.ok:
            raise ImportRefused(report)  # rolls back every row written
    return report


class _Loader:
    def __init__(self, municipality: Municipality, report: Report) -> None:
        self.municipality = municipality
        self.report = report
        self.wards = dict(
            OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.WARD).values_list(
                "local_government_code", "id"
            )
        )
        self._households: dict[str, int] | None = None
        self._persons: dict[str, int] | None = None
        self._heads: dict[str, tuple[int, int]] = {}  # household number → (first line, heads)
        self._cleared_years: set[int] = set()
        # Keys of refused rows: rows of later files that refer to them are not reported again.
        self._refused: set[str] = set()
        self.file, self.line = "", 0

    @property
    def households(self) -> dict[str, int]:
        if self._households is None:
            self._households = dict(
                Household.objects.filter(municipality=self.municipality).values_list("number", "id")
            )
        return self._households

    @property
    def persons(self) -> dict[str, int]:
        if self._persons is None:
            self._persons = dict(
                Person.objects.filter(municipality=self.municipality).values_list(
                    "resident_code", "id"
                )
            )
        return self._persons

    def load(self, name: str, path: Path) -> None:
        build, write = getattr(self, f"_{name}_row"), getattr(self, f"_{name}_write")
        batch: list[Any] = []
        rows, started = 0, time.perf_counter()
        self.file = f"{name}.csv"
        encoding = detect_encoding(path)
        if encoding is None:
            self.problem(None, "", _("文字コードがUTF-8でもShift_JIS（CP932）でもありません。"))
            return
        key = {"households": "household_number", "persons": "resident_code"}.get(name)
        for line, row, valid in self._rows(name, path, encoding):
            rows += 1
            self.line = line
            item = build(row) if valid else None
            if item is not None:
                batch.append(item)
            elif key and row.get(key):
                self._refused.add(row[key])
            if len(batch) >= BATCH:
                write(batch)
                batch = []
        if batch:
            write(batch)
        self.finish(name)
        self.report.files[self.file] = FileRead(encoding, rows, time.perf_counter() - started)

    def problem(self, line: int | None, column: str, message: str) -> None:
        self.report.add(self.file, line, column, message)

    def bad(self, column: str, message: str) -> None:
        self.problem(self.line, column, message)

    # Reading: frictionless checks each row against the schema.

    def _rows(self, name: str, path: Path, encoding: str) -> Iterator[tuple[int, dict, bool]]:
        schema = Schema.from_descriptor(json.loads((SCHEMAS / f"{name}.json").read_text("utf-8")))
        with Resource(
            path=str(path),
            format="csv",
            encoding=encoding,
            schema=schema,  # its fieldsMatch "equal": columns in any order, matched by name
        ) as resource:
            labels = [label.strip() for label in resource.labels]
            expected = schema.field_names
            missing = [column for column in expected if column not in labels]
            unknown = [label for label in labels if label not in expected]
            for column in missing:
                self.problem(1, column, _("列「%(column)s」がありません。") % {"column": column})
            for column in unknown:
                self.problem(
                    1, column, _("列「%(column)s」は定義にない列です。") % {"column": column}
                )
            if missing or unknown:
                return  # every row would be misread
            for row in resource.row_stream:
                for error in row.errors:
                    self.problem(
                        row.row_number, getattr(error, "field_name", ""), _describe(error, schema)
                    )
                yield row.row_number, row.to_dict(), row.valid

    def date(self, row: dict, column: str, *, required: bool = True) -> dt.date | None:
        value = row[column]
        if value is None:
            return None
        try:
            return parse_date(value)
        except BadDate as error:
            messages = {
                "format": _("「%(value)s」は日付として読めません（書き方の例: %(examples)s）。"),
                "no_such_day": _("「%(value)s」という日はありません。"),
                "outside_era": _(
                    "「%(value)s」は元号の期間外です（平成31年5月1日は令和元年5月1日）。"
                ),
            }
            self.bad(column, messages[error.reason] % {"value": value, "examples": DATE_EXAMPLES})
            return None

    def household(self, row: dict) -> int | None:
        return self._known(
            row,
            "household_number",
            self.households,
            _("世帯番号「%(value)s」の世帯は、households.csvにも住民記録にもありません。"),
        )

    def person(self, row: dict) -> int | None:
        return self._known(
            row,
            "resident_code",
            self.persons,
            _("住民票コード「%(value)s」の人は、persons.csvにも住民記録にもありません。"),
        )

    def _known(self, row: dict, column: str, known: dict, missing: str) -> int | None:
        """The id behind a reference to another file's row; None (reported once, where the row
        was not refused already) when there is none."""
        value = row[column]
        if value in self._refused:
            return None
        if value not in known:
            self.bad(column, missing % {"value": value})
            return None
        return known[value]

    def upsert(
        self, model: type[models.Model], objs: list, unique: list[str], update: list[str]
    ) -> None:
        model.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=unique, update_fields=update
        )

    def finish(self, name: str) -> None:
        if name == "households":
            self._households = None
        elif name == "persons":
            self._persons = None
            for number, (line, heads) in self._heads.items():
                if heads != 1:
                    self.problem(
                        line,
                        "relationship",
                        _(
                            "世帯番号「%(value)s」の世帯主が%(count)d人です（1人でなければなりません）。"
                        )
                        % {"value": number, "count": heads},
                    )

    # One builder and one writer per file.

    def _households_row(self, row: dict) -> Household | None:
        ward = self.wards.get(row["ward_code"])
        if ward is None:
            self.bad(
                "ward_code",
                _("区の団体コード「%(value)s」はこの市の区にありません。")
                % {"value": row["ward_code"]},
            )
            return None
        return Household(
            municipality=self.municipality,
            ward_id=ward,
            number=row["household_number"],
            postal_code=row["postal_code"],
            prefecture=row["prefecture"],
            city=row["city"],
            town=row["town"],
            block=row["block"],
            building=row["building"] or "",
        )

    def _households_write(self, batch: list[Household]) -> None:
        fields = ["ward", "postal_code", "prefecture", "city", "town", "block", "building"]
        self.upsert(Household, batch, ["municipality", "number"], fields)

    def _persons_row(self, row: dict) -> Person | None:
        household = self.household(row)
        relationship = RELATIONSHIPS.get(row["relationship"])
        number = row["household_number"]
        line, heads = self._heads.get(number, (self.line, 0))
        self._heads[number] = (line, heads + (relationship == R.HEAD))
        birth = self.date(row, "birth_date")
        became = self.date(row, "became_resident_on")
        since = self.date(row, "address_since")
        if None in (household, birth, became, since):
            return None
        return Person(
            municipality=self.municipality,
            household_id=household,
            resident_code=row["resident_code"],
            family_name=row["family_name"],
            given_name=row["given_name"],
            family_name_kana=row["family_name_kana"],
            given_name_kana=row["given_name_kana"],
            birth_date=birth,
            sex=SEXES[row["sex"]],
            relationship=relationship,
            honseki=row["honseki"] or "",
            hittousha=row["hittousha"] or "",
            became_resident_on=became,
            address_since=since,
        )

    def _persons_write(self, batch: list[Person]) -> None:
        fields = [
            "household",
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "birth_date",
            "sex",
            "relationship",
            "honseki",
            "hittousha",
            "became_resident_on",
            "address_since",
        ]
        self.upsert(Person, batch, ["municipality", "resident_code"], fields)

    def _tax_ledger_row(self, row: dict) -> TaxLedgerEntry | None:
        person = self.person(row)
        if person is None:
            return None
        return TaxLedgerEntry(
            person_id=person,
            fiscal_year=row["fiscal_year"],
            income=row["income"],
            shotoku=row["shotoku"],
            social_insurance_deduction=row["social_insurance_deduction"] or 0,
        )

    def _tax_ledger_write(self, batch: list[TaxLedgerEntry]) -> None:
        fields = ["income", "shotoku", "social_insurance_deduction"]
        self.upsert(TaxLedgerEntry, batch, ["person", "fiscal_year"], fields)

    def _disability_certificates_row(self, row: dict) -> DisabilityCertificate | None:
        person = self.person(row)
        kind = KINDS[row["kind"]]
        grades = DisabilityCertificate.GRADES[kind]
        if row["grade"] not in grades:
            self.bad(
                "grade",
                _("等級「%(value)s」は%(kind)sにありません（使える等級: %(grades)s）。")
                % {"value": row["grade"], "kind": row["kind"], "grades": "、".join(grades)},
            )
            return None
        issued = self.date(row, "issued_on")
        until = self.date(row, "valid_until")
        if person is None or issued is None or (row["valid_until"] and until is None):
            return None
        return DisabilityCertificate(
            person_id=person, kind=kind, grade=row["grade"], issued_on=issued, valid_until=until
        )

    def _disability_certificates_write(self, batch: list[DisabilityCertificate]) -> None:
        fields = ["grade", "issued_on", "valid_until"]
        self.upsert(DisabilityCertificate, batch, ["person", "kind"], fields)

    def _single_parents_row(self, row: dict) -> TaxLedgerEntry | None:
        person = self.person(row)
        if person is None:
            return None
        return TaxLedgerEntry(
            person_id=person,
            fiscal_year=row["fiscal_year"],
            single_parent=row["status"] == "ひとり親",
            widow=row["status"] == "寡婦",
        )

    def _single_parents_write(self, batch: list[TaxLedgerEntry]) -> None:
        # The file is the whole list for each fiscal year it names: statuses of that year not in
        # it are cleared. A person without a ledger row gets one with an unknown income.
        years = {entry.fiscal_year for entry in batch} - self._cleared_years
        TaxLedgerEntry.objects.filter(
            Q(single_parent=True) | Q(widow=True),
            person__municipality=self.municipality,
            fiscal_year__in=years,
        ).update(single_parent=False, widow=False)
        self._cleared_years |= years
        merged: dict[tuple[int, int], TaxLedgerEntry] = {}
        for entry in batch:
            key = (entry.person_id, entry.fiscal_year)
            if key in merged:
                merged[key].single_parent |= entry.single_parent
                merged[key].widow |= entry.widow
            else:
                merged[key] = entry
        existing = {
            (e.person_id, e.fiscal_year): e
            for e in TaxLedgerEntry.objects.filter(
                person_id__in={k[0] for k in merged}, fiscal_year__in={k[1] for k in merged}
            ).only("id", "person_id", "fiscal_year", "single_parent", "widow")
        }
        for key, entry in merged.items():
            if key in existing:  # a status written by an earlier batch of this file stays
                entry.single_parent |= existing[key].single_parent
                entry.widow |= existing[key].widow
        self.upsert(
            TaxLedgerEntry,
            list(merged.values()),
            ["person", "fiscal_year"],
            ["single_parent", "widow"],
        )

    def _benefit_recipients_row(self, row: dict) -> BenefitReceipt | None:
        household = self.household(row)
        since = self.date(row, "since")
        until = self.date(row, "until")
        if household is None or since is None or (row["until"] and until is None):
            return None
        if until and until < since:
            self.bad("until", _("受給終了日が受給開始日より前です。"))
            return None
        return BenefitReceipt(
            household_id=household, program=row["program"], since=since, until=until
        )

    def _benefit_recipients_write(self, batch: list[BenefitReceipt]) -> None:
        self.upsert(BenefitReceipt, batch, ["household", "program", "since"], ["until"])


_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def _describe(error: Any, schema: Schema) -> str:
    """One frictionless error in the reader's language."""
    kind = error.type
    value = getattr(error, "cell", "")
    name = getattr(error, "field_name", "")
    spec = schema.get_field(name) if name and schema.has_field(name) else None
    if kind == "type-error":
        return _("「%(value)s」は整数ではありません。") % {"value": value}
    if kind == "constraint-error" and spec is not None:
        constraint = (_CONSTRAINT.search(error.note or "") or [None, ""])[1]
        constraints = spec.constraints
        if constraint == "required":
            return _("空欄にできません。")
        if constraint == "enum" and name == "relationship":
            return _("「%(value)s」は続柄のコードにありません（使えるコード: %(codes)s）。") % {
                "value": value,
                "codes": "、".join(constraints["enum"]),
            }
        if constraint == "enum":
            return _("「%(value)s」は使えない値です（使える値: %(codes)s）。") % {
                "value": value,
                "codes": "、".join(constraints["enum"]),
            }
        if constraint in {"minimum", "maximum"}:
            return _("「%(value)s」は範囲外です（%(minimum)s以上%(maximum)s以下）。") % {
                "value": value,
                "minimum": constraints.get("minimum", "-"),
                "maximum": constraints.get("maximum", "-"),
            }
        if constraint == "maxLength":
            return _("%(length)d文字を超えています。") % {"length": constraints["maxLength"]}
        if constraint == "pattern":
            return _("「%(value)s」は形式が違います（%(expected)s）。") % {
                "value": value,
                "expected": _pattern_hint(name),
            }
    if kind in {"unique-error", "primary-key"}:
        return _("同じキーの行がこのファイルにすでにあります。")
    if kind == "missing-cell":
        return _("列が足りません。")
    if kind == "extra-cell":
        return _("列が多すぎます。")
    if kind == "blank-row":
        return _("空の行です。")
    return _("この行は読み込めません（%(kind)s）。") % {"kind": kind}


def _pattern_hint(column: str) -> str:
    return {
        "resident_code": _("11桁の数字"),
        "ward_code": _("6桁の数字"),
        "postal_code": _("7桁の数字（600-8799 または 6008799）"),
        "program": _("英小文字・数字・ハイフン"),
    }[column]
