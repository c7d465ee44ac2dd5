"""Benchmark: importing the registry's CSV files (``manage.py import_registry``), rows per second.

    make bench-registry-import                      100,000 persons on a temporary SQLite
    BENCH_PERSONS=1450000 make bench-registry-import   the whole synthetic Kyoto registry
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi make bench-registry-import

Writes the synthetic Kyoto registry (``eligibility.rules.synthetic``) as the six CSV files of
docs/registry-import.md, imports them into a fresh test database (``test_<name>_bench`` on
PostgreSQL, created and dropped here), and prints rows per second per file. Reference: the same
households and persons written one ``objects.create`` per row, as a naive import would.
"""

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MADOGUCHI_VAR_DIR", tempfile.mkdtemp(prefix="madoguchi-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.conf.test")
sys.path[:0] = [
    str(Path(__file__).resolve().parent.parent),
    str(Path(__file__).parent.parent / "src"),
]

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from madoguchi.demo import kyoto  # noqa: E402
from madoguchi.eligibility.rules import synthetic  # noqa: E402
from madoguchi.eligibility.rules.population import MALE, RELATIONSHIPS, Population  # noqa: E402
from madoguchi.organizations.models import Municipality, OrgUnit  # noqa: E402
from madoguchi.residents.importing import (  # noqa: E402
    RELATIONSHIPS as CODES,
)
from madoguchi.residents.importing import import_registry  # noqa: E402
from madoguchi.residents.models import Household, Person  # noqa: E402

PERSONS = int(os.environ.get("BENCH_PERSONS", "100000"))
REFERENCE_HOUSEHOLDS = 1000
# 続柄 code written for each of the population's relationships (siblings by sex).
RELATIONSHIP_TEXT = {
    code: next(text for text, value in CODES.items() if value == code) for code in RELATIONSHIPS
}


def write_csv(folder: Path, population: Population, ward_codes: list[str]) -> int:
    """The population as the six files; returns the number of data rows."""
    rows = 0

    def table(name: str, header: list[str], body) -> None:
        nonlocal rows
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            for row in body:
                writer.writerow(row)
                rows += 1

    number = [f"H{i:09d}" for i in range(population.households)]
    code = [f"{10**10 + i:011d}" for i in range(population.persons)]
    table(
        "households",
        ["household_number", "ward_code", "postal_code", "prefecture", "city", "town", "block",
         "building"],
        (
            (number[i], ward_codes[w], "604-8571", "京都府", "京都市", "試験町", f"{i}番地", "")
            for i, w in enumerate(population.ward.tolist())
        ),
    )  # fmt: skip
    births = population.birth_date.astype(str).tolist()
    sexes = population.sex.tolist()
    relationships = population.relationship.tolist()
    households = population.household.tolist()

    def relationship(i: int) -> str:
        text = RELATIONSHIP_TEXT[RELATIONSHIPS[relationships[i]]]
        return ("兄" if sexes[i] == MALE else "姉") if text == "兄" else text

    table(
        "persons",
        ["resident_code", "household_number", "family_name", "given_name", "family_name_kana",
         "given_name_kana", "birth_date", "sex", "relationship", "honseki", "hittousha",
         "became_resident_on", "address_since"],
        (
            (code[i], number[households[i]], "京都", "花子", "キョウト", "ハナコ", births[i],
             "1" if sexes[i] == MALE else "2", relationship(i), "", "", births[i], births[i])
            for i in range(population.persons)
        ),
    )  # fmt: skip

    def amount(value: float) -> str:
        return "" if np.isnan(value) else str(int(value))

    incomes, shotoku = population.income.tolist(), population.shotoku.tolist()
    table(
        "tax_ledger",
        ["resident_code", "fiscal_year", "income", "shotoku", "social_insurance_deduction"],
        (
            (code[i], 2026, amount(incomes[i]), amount(shotoku[i]), "")
            for i in range(population.persons)
        ),
    )
    grades = {
        "身体": (population.shintai, lambda g: str(g)),
        "療育": (population.ryoiku, lambda g: "A" if g == 1 else "B"),
        "精神": (population.seishin, lambda g: str(g)),
    }
    table(
        "disability_certificates",
        ["resident_code", "kind", "grade", "issued_on", "valid_until"],
        (
            (code[i], kind, text(int(column[i])), "2020-04-01", "")
            for kind, (column, text) in grades.items()
            for i in np.flatnonzero(column).tolist()
        ),
    )
    table(
        "single_parents",
        ["resident_code", "fiscal_year", "status"],
        (
            (code[i], 2026, status)
            for status, column in (
                ("ひとり親", population.single_parent),
                ("寡婦", population.widow),
            )
            for i in np.flatnonzero(column).tolist()
        ),
    )
    table(
        "benefit_recipients",
        ["household_number", "program", "since", "until"],
        (
            (number[i], program, "2024-04-01", "")
            for program, flags in population.recipients.items()
            for i in np.flatnonzero(flags).tolist()
        ),
    )
    return rows


def reference(municipality: Municipality, folder: Path) -> float:
    """Rows per second, one INSERT per row: the first households of the file and their
    persons (rolled back afterwards)."""
    with (folder / "households.csv").open(encoding="utf-8") as file:
        households = list(csv.DictReader(file))[:REFERENCE_HOUSEHOLDS]
    wanted = {row["household_number"] for row in households}
    with (folder / "persons.csv").open(encoding="utf-8") as file:
        persons = [row for row in csv.DictReader(file) if row["household_number"] in wanted]
    wards = dict(OrgUnit.objects.values_list("local_government_code", "id"))
    started = time.perf_counter()
    with transaction.atomic():
        ids = {}
        for row in households:
            ids[row["household_number"]] = Household.objects.create(
                municipality=municipality, ward_id=wards[row["ward_code"]],
                number=row["household_number"], postal_code=row["postal_code"],
                prefecture=row["prefecture"], city=row["city"], town=row["town"],
                block=row["block"],
            ).pk  # fmt: skip
        for row in persons:
            Person.objects.create(
                municipality=municipality, household_id=ids[row["household_number"]],
                resident_code=row["resident_code"], family_name=row["family_name"],
                given_name=row["given_name"], family_name_kana=row["family_name_kana"],
                given_name_kana=row["given_name_kana"], birth_date=row["birth_date"],
                sex="male" if row["sex"] == "1" else "female", relationship="head",
                became_resident_on=row["became_resident_on"], address_since=row["address_since"],
            )  # fmt: skip
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return (len(households) + len(persons)) / seconds


def main() -> None:
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = (
        None if database["ENGINE"].endswith("sqlite3") else f"test_{database['NAME']}_bench"
    )
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"]["NAME"] = str(Path(os.environ["MADOGUCHI_VAR_DIR"]) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        municipality = kyoto.load_organization()
        ward_codes = list(
            OrgUnit.objects.filter(kind=OrgUnit.Kind.WARD)
            .order_by("local_government_code")
            .values_list("local_government_code", flat=True)
        )
        with tempfile.TemporaryDirectory(prefix="madoguchi-registry-csv-") as name:
            folder = Path(name)
            started = time.perf_counter()
            population = synthetic.generate(PERSONS)
            rows = write_csv(folder, population, ward_codes)
            print(
                f"synthetic registry: {population.persons:,} persons, "
                f"{population.households:,} households, {rows:,} CSV rows written in "
                f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
            )
            naive = reference(municipality, folder)
            started, cpu = time.perf_counter(), time.process_time()
            report = import_registry(folder, municipality)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{'file':<30} {'rows':>10} {'s':>8} {'rows/s':>10}")
        for file, read in report.files.items():
            print(
                f"{file:<30} {read.rows:>10,} {read.seconds:>8.1f} "
                f"{read.rows / max(read.seconds, 1e-9):>10,.0f}"
            )
        total = sum(read.rows for read in report.files.values())
        rate = total / seconds
        print(f"{'all files (validated + loaded)':<30} {total:>10,} {seconds:>8.1f} {rate:>10,.0f}")
        # On a shared machine wall time grows with the other processes' load; CPU seconds of
        # this process (not the database server's) do not.
        print(f"importer CPU: {cpu:.1f} s ({total / cpu:,.0f} rows per CPU second)")
        print(f"reference, one INSERT per row (households + persons): {naive:,.0f} rows/s")
        print(f"ratio import / reference: {total / seconds / naive:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
