"""Importing the registry from CSV files: what loads, and the report when a row is wrong."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from madoguchi.eligibility import services
from madoguchi.eligibility.models import Change, Run
from madoguchi.organizations.models import OrgUnit
from madoguchi.residents.importing import ImportRefused, import_registry
from madoguchi.residents.models import (
    BenefitReceipt,
    DisabilityCertificate,
    Household,
    Person,
    TaxLedgerEntry,
)
from tests.support import run_tasks

HOUSEHOLDS = (
    "household_number,ward_code,postal_code,prefecture,city,town,block,building",
    "H0001,{nakagyo},604-8571,京都府,京都市中京区,寺町通御池上る上本能寺前町,488番地,",
    "H0002,{nakagyo},6048571,京都府,京都市中京区,西堀川通御池下る西三坊堀川町,521番地,ハイツ堀川101号",
)
PERSONS = (
    "resident_code,household_number,family_name,given_name,family_name_kana,given_name_kana,"
    "birth_date,sex,relationship,honseki,hittousha,became_resident_on,address_since",
    "10000000001,H0001,高橋,健,タカハシ,ケン,昭和60年4月1日,1,世帯主,,高橋 健,2010-04-01,H22.4.1",
    "10000000002,H0001,高橋,美咲,タカハシ,ミサキ,1987-09-15,2,妻,,高橋 健,2012-06-01,2012-06-01",
    "10000000003,H0001,高橋,陽菜,タカハシ,ヒナ,R2.5.10,2,子,,高橋 健,R2.5.10,R2.5.10",
    "10000000004,H0002,木村,直子,キムラ,ナオコ,1990/1/20,2,世帯主,,,2015-04-01,2015-04-01",
    "10000000005,H0002,木村,蓮,キムラ,レン,2016-08-03,1,子,,,2016-08-03,2016-08-03",
)
TAX_LEDGER = (
    "resident_code,fiscal_year,income,shotoku,social_insurance_deduction",
    "10000000001,2026,5200000,3720000,780000",
    "10000000002,2026,0,0,0",
    "10000000004,2026,,,",
)
CERTIFICATES = (
    "resident_code,kind,grade,issued_on,valid_until",
    "10000000005,療育,B,令和5年4月1日,",
)
SINGLE_PARENTS = ("resident_code,fiscal_year,status", "10000000004,2026,ひとり親")
RECIPIENTS = (
    "household_number,program,since,until",
    "H0002,jido-teate,2016-09-01,",
)


def nakagyo_code() -> str:
    return OrgUnit.objects.get(code="nakagyo").local_government_code


def write(folder: Path, name: str, lines: tuple[str, ...], encoding: str = "utf-8") -> Path:
    path = folder / f"{name}.csv"
    text = "\r\n".join(lines).replace("{nakagyo}", nakagyo_code()) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def registry_files(folder: Path, **replace: tuple[str, ...]) -> Path:
    files = {
        "households": HOUSEHOLDS,
        "persons": PERSONS,
        "tax_ledger": TAX_LEDGER,
        "disability_certificates": CERTIFICATES,
        "single_parents": SINGLE_PARENTS,
        "benefit_recipients": RECIPIENTS,
    }
    for name, lines in {**files, **replace}.items():
        write(folder, name, lines)
    return folder


def refused(folder: Path, kyoto) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(ImportRefused) as caught:
        import_registry(folder, kyoto)
    return [(p.file, p.line, p.column, p.message) for p in caught.value.report.problems]


@pytest.mark.django_db
def test_every_table_loads_with_wareki_dates_and_codes(tmp_path, kyoto) -> None:
    report = import_registry(registry_files(tmp_path), kyoto)

    assert (report.files["persons.csv"].encoding, report.files["persons.csv"].rows) == ("utf-8", 5)
    head = Person.objects.get(resident_code="10000000001")
    assert head.birth_date == dt.date(1985, 4, 1)  # 昭和60年4月1日
    assert head.relationship == Person.Relationship.HEAD
    assert head.household.ward.code == "nakagyo"
    child = Person.objects.get(resident_code="10000000003")
    assert child.birth_date == dt.date(2020, 5, 10)  # R2.5.10
    assert child.sex == Person.Sex.FEMALE
    assert Household.objects.get(number="H0002").building == "ハイツ堀川101号"
    ledger = TaxLedgerEntry.objects.get(person=head, fiscal_year=2026)
    assert (ledger.income, ledger.shotoku, ledger.social_insurance_deduction) == (
        5_200_000,
        3_720_000,
        780_000,
    )
    mother = TaxLedgerEntry.objects.get(person__resident_code="10000000004")
    # An empty figure is unknown, never zero; the single-parent status is on the same row.
    assert (mother.income, mother.shotoku, mother.single_parent) == (None, None, True)
    certificate = DisabilityCertificate.objects.get()
    assert (certificate.kind, certificate.grade) == ("ryoiku", "B")
    assert certificate.issued_on == dt.date(2023, 4, 1)
    assert BenefitReceipt.objects.get().household.number == "H0002"


@pytest.mark.django_db
def test_a_second_import_updates_rows_instead_of_doubling_them(tmp_path, kyoto) -> None:
    import_registry(registry_files(tmp_path), kyoto)
    changed = (*TAX_LEDGER[:1], "10000000001,2026,6000000,4360000,900000")
    import_registry(registry_files(tmp_path, tax_ledger=changed), kyoto)

    assert Person.objects.count() == 5
    entry = TaxLedgerEntry.objects.get(person__resident_code="10000000001")
    assert entry.shotoku == 4_360_000
    assert TaxLedgerEntry.objects.count() == 3


@pytest.mark.django_db
def test_a_cp932_file_is_read_as_cp932(tmp_path, kyoto) -> None:
    registry_files(tmp_path)
    write(tmp_path, "persons", PERSONS, encoding="cp932")

    report = import_registry(tmp_path, kyoto)

    assert report.files["persons.csv"].encoding == "cp932"
    assert report.files["households.csv"].encoding == "utf-8"
    assert Person.objects.get(resident_code="10000000002").full_name == "高橋 美咲"


@pytest.mark.django_db
def test_bad_dates_are_reported_by_line_and_column_and_nothing_loads(tmp_path, kyoto) -> None:
    persons = (
        PERSONS[0],
        PERSONS[1].replace("昭和60年4月1日", "令和8年2月30日"),
        PERSONS[2].replace("1987-09-15", "平成31年5月1日"),
        PERSONS[3].replace("R2.5.10,2,子,,高橋 健,R2.5.10", "R2.5.10,2,子,,高橋 健,2020年5月頃"),
        *PERSONS[4:],
    )
    problems = refused(registry_files(tmp_path, persons=persons), kyoto)

    assert problems == [
        ("persons.csv", 2, "birth_date", "「令和8年2月30日」という日はありません。"),
        (
            "persons.csv",
            3,
            "birth_date",
            "「平成31年5月1日」は元号の期間外です（平成31年5月1日は令和元年5月1日）。",
        ),
        (
            "persons.csv",
            4,
            "became_resident_on",
            "「2020年5月頃」は日付として読めません"
            "（書き方の例: 2026-04-01、2026/4/1、令和8年4月1日、R8.4.1）。",
        ),
    ]
    # The whole import is refused: not even the good files are loaded.
    assert not Household.objects.exists()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_an_unknown_relationship_code_is_named_with_the_codes_allowed(tmp_path, kyoto) -> None:
    persons = (*PERSONS[:3], PERSONS[3].replace(",子,", ",長女,"), *PERSONS[4:])
    problems = refused(registry_files(tmp_path, persons=persons), kyoto)

    [(file, line, column, message)] = problems
    assert (file, line, column) == ("persons.csv", 4, "relationship")
    assert message.startswith(
        "「長女」は続柄のコードにありません（使えるコード: 世帯主、妻、夫、子"
    )


@pytest.mark.django_db
def test_a_missing_column_refuses_the_file(tmp_path, kyoto) -> None:
    without_birth = tuple(
        ",".join(cell for i, cell in enumerate(line.split(",")) if i != 6) for line in PERSONS
    )
    problems = refused(registry_files(tmp_path, persons=without_birth), kyoto)

    assert ("persons.csv", 1, "birth_date", "列「birth_date」がありません。") in problems
    # Files that refer to the persons report them missing, not a silent skip.
    assert ("tax_ledger.csv", 2, "resident_code") in [p[:3] for p in problems]


@pytest.mark.django_db
def test_schema_problems_are_reported_in_english_too(tmp_path, kyoto) -> None:
    ledger = (*TAX_LEDGER[:2], "10000000002,2026,abc,0,0", "1234,2026,0,0,0")
    certificates = (CERTIFICATES[0], "10000000005,療育,3,2023-04-01,")
    files = registry_files(tmp_path, tax_ledger=ledger, disability_certificates=certificates)
    with translation.override("en"):
        problems = refused(files, kyoto)

    assert problems == [
        ("tax_ledger.csv", 3, "income", "“abc” is not a whole number."),
        (
            "tax_ledger.csv",
            4,
            "resident_code",
            "“1234” is not in the expected form (11 digits).",
        ),
        (
            "disability_certificates.csv",
            2,
            "grade",
            "Grade “3” does not exist for 療育 (grades: A、B).",
        ),
    ]


@pytest.mark.django_db
def test_a_duplicate_key_and_a_household_without_head_are_reported(tmp_path, kyoto) -> None:
    persons = (*PERSONS[:4], PERSONS[4].replace(",世帯主,", ",妹,"), PERSONS[5], PERSONS[2])
    problems = refused(registry_files(tmp_path, persons=persons), kyoto)

    assert problems == [
        ("persons.csv", 7, "resident_code", "同じキーの行がこのファイルにすでにあります。"),
        (
            "persons.csv",
            5,
            "relationship",
            "世帯番号「H0002」の世帯主が0人です（1人でなければなりません）。",
        ),
    ]


@pytest.mark.django_db
def test_the_command_prints_the_report_and_fails(tmp_path, kyoto, capsys) -> None:
    persons = (*PERSONS[:2], PERSONS[2].replace("1987-09-15", "1987-13-01"), *PERSONS[3:])
    registry_files(tmp_path, persons=persons)

    with pytest.raises(CommandError, match="1件の問題があるため、何も取り込みませんでした。"):
        call_command("import_registry", str(tmp_path))

    err = capsys.readouterr().err
    assert "ファイル,行,列,問題" in err
    assert "persons.csv,3,birth_date,「1987-13-01」という日はありません。" in err
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_command_loads_and_counts(tmp_path, kyoto, capsys) -> None:
    call_command("import_registry", str(registry_files(tmp_path)), language="en")

    out = capsys.readouterr().out
    assert "persons.csv: 5 rows (utf-8)" in out
    assert Person.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_imported_records_feed_an_eligibility_run(tmp_path, kyoto, clerk) -> None:
    import_registry(registry_files(tmp_path), kyoto)

    run = services.start_run(clerk, kyoto, dt.date(2026, 4, 1))
    run_tasks()
    run.refresh_from_db()

    assert run.status == Run.Status.READY, run.error
    takahashi = Household.objects.get(number="H0001")
    kimura = Household.objects.get(number="H0002")
    new = set(
        run.findings.filter(household=takahashi, change=Change.NEW).values_list(
            "program", flat=True
        )
    )
    assert "jido-teate" in new
    # 木村 already receives 児童手当 (benefit_recipients.csv); her income is unknown, so the
    # income-tested 児童扶養手当 is "possibly", never silently "not eligible".
    kimura_findings = dict(run.findings.filter(household=kimura).values_list("program", "change"))
    assert "jido-teate" not in kimura_findings
    assert kimura_findings["jido-fuyo-teate"] == Change.POSSIBLE


@pytest.mark.django_db
def test_single_parents_is_the_whole_list_of_its_fiscal_year(tmp_path, kyoto) -> None:
    import_registry(registry_files(tmp_path), kyoto)
    only_widow = (SINGLE_PARENTS[0], "10000000002,2026,寡婦")
    import_registry(registry_files(tmp_path, single_parents=only_widow), kyoto)

    kimura = TaxLedgerEntry.objects.get(person__resident_code="10000000004")
    misaki = TaxLedgerEntry.objects.get(person__resident_code="10000000002")
    assert (kimura.single_parent, kimura.widow) == (False, False)  # no longer listed
    assert (misaki.single_parent, misaki.widow) == (False, True)
    assert misaki.shotoku == 0  # the ledger figures stay


@pytest.mark.django_db
def test_a_wholly_wrong_file_lists_a_thousand_problems_and_counts_the_rest(tmp_path, kyoto) -> None:
    ledger = (TAX_LEDGER[0], *(f"{20000000000 + i},20x6,0,0,0" for i in range(1005)))
    with pytest.raises(ImportRefused) as caught:
        import_registry(registry_files(tmp_path, tax_ledger=ledger), kyoto)

    report = caught.value.report
    assert len(report.problems) == 1000
    assert report.problems[-1].line == 1001
    assert report.more == {"tax_ledger.csv": 5}
