"""Administrators import registry CSV files from a page; a bad row shows the report and loads
nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.audit.models import AuditEntry
from madoguchi.residents.models import Household, Person
from tests import factories
from tests.flows import staff_client
from tests.residents.test_import import HOUSEHOLDS, PERSONS, nakagyo_code
from tests.support import japanese_outside_lang_ja

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(kyoto):
    return factories.staff_user(kyoto, "digital-admin", "digital-strategy", role="admin")


def upload(name: str, lines: tuple[str, ...], encoding: str = "utf-8") -> SimpleUploadedFile:
    text = "\r\n".join(lines).replace("{nakagyo}", nakagyo_code()) + "\r\n"
    return SimpleUploadedFile(f"{name}.csv", text.encode(encoding), content_type="text/csv")


def test_an_administrator_imports_households_and_persons(admin) -> None:
    response = staff_client(admin).post(
        "/staff/registry-import/",
        {
            "households": upload("households", HOUSEHOLDS),
            "persons": upload("persons", PERSONS, "cp932"),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "7行を取り込みました。" in page
    assert "cp932" in page
    assert Person.objects.count() == 5
    entry = AuditEntry.objects.get(action="registry_imported")
    assert entry.detail["rows"] == {"households.csv": 2, "persons.csv": 5}


def test_a_bad_row_shows_the_report_and_loads_nothing(admin) -> None:
    persons = (*PERSONS[:2], PERSONS[2].replace(",妻,", ",嫁,"), *PERSONS[3:])
    response = staff_client(admin).post(
        "/staff/registry-import/",
        {"households": upload("households", HOUSEHOLDS), "persons": upload("persons", persons)},
    )

    page = response.content.decode()
    assert "1件の問題があるため、何も取り込みませんでした。" in page
    assert "<td>persons.csv</td><td>3</td><td>relationship</td>" in page
    assert "「嫁」は続柄のコードにありません" in page
    assert not Household.objects.exists()
    assert AuditEntry.objects.filter(action="registry_import_refused").exists()


def test_no_file_is_a_form_error_and_clerks_are_refused(admin, clerk) -> None:
    page = staff_client(admin).post("/staff/registry-import/", {}).content.decode()
    assert "取り込むファイルを1つ以上選んでください。" in page
    assert staff_client(clerk).get("/staff/registry-import/").status_code == 403


def test_the_page_and_its_report_are_english_on_the_english_site(admin) -> None:
    persons = (*PERSONS[:2], PERSONS[2].replace("1987-09-15", "1987-02-30"))
    client = staff_client(admin)
    empty = client.get("/en/staff/registry-import/").content.decode()
    report = client.post(
        "/en/staff/registry-import/",
        {"households": upload("households", HOUSEHOLDS), "persons": upload("persons", persons)},
    ).content.decode()

    assert "Registry import" in empty
    assert "There is no such day as “1987-02-30”." in report
    for page in (empty, report):
        assert japanese_outside_lang_ja(page, allowed=["京都市"]) == []
