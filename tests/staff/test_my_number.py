"""個人番号 on the staff case page: masked for a procedure that uses it, shown in full only
through the reveal action, which is audited with its purpose; never in a URL or a log."""

import logging

import pytest
from django.test import Client
from django.utils import translation

from madoguchi.audit.models import AuditEntry
from madoguchi.cases.models import Case
from madoguchi.procedures.models import Procedure
from madoguchi.residents import services as registry
from tests.flows import apply_juminhyo, staff_client
from tests.support import japanese_outside_lang_ja

NUMBER, SPOUSE_NUMBER = "123456789018", "987654321000"


@pytest.fixture
def case(resident, family) -> Case:
    Procedure.objects.filter(code="juminhyo-copy").update(uses_my_number=True)
    registry.set_my_number(family[0], NUMBER)
    registry.set_my_number(family[1], SPOUSE_NUMBER)
    client = Client()
    client.force_login(resident)
    return Case.objects.get(submission__reference=apply_juminhyo(client, family[:2]))


def _reveal(client: Client, case: Case, person, purpose: str):
    return client.post(
        f"/staff/cases/{case.pk}/",
        {"action": "reveal_my_number", "person": person.pk, f"reveal-{person.pk}-purpose": purpose},
    )


def test_the_case_page_shows_the_number_masked(case, clerk, family) -> None:
    page = staff_client(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "****-****-9018" in page
    assert "****-****-1000" in page
    assert NUMBER not in page
    assert "1234 5678 9018" not in page
    read = AuditEntry.objects.get(action="view_personal_data")
    assert read.detail["persons"] == [family[0].pk, family[1].pk]


def test_revealing_is_audited_with_its_purpose(case, clerk, family, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = staff_client(clerk)
    response = _reveal(client, case, family[0], "住民票の記載事項の確認")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "1234 5678 9018" in page
    assert "****-****-1000" in page  # only the one asked for
    entry = AuditEntry.objects.get(action="reveal_my_number")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        clerk,
        "residents.person",
        str(family[0].pk),
    )
    assert entry.purpose == "住民票の記載事項の確認"
    assert entry.detail == {"field": "my_number", "case": case.pk}
    assert NUMBER not in caplog.text
    # The next visit is masked again: nothing was kept.
    assert "1234 5678 9018" not in client.get(f"/staff/cases/{case.pk}/").content.decode()


def test_revealing_needs_a_purpose(case, clerk, family) -> None:
    page = _reveal(staff_client(clerk), case, family[0], "").content.decode()
    assert "個人番号を表示する目的を入力してください。" in page
    assert "1234 5678 9018" not in page
    assert not AuditEntry.objects.filter(action="reveal_my_number").exists()


def test_no_number_for_a_procedure_that_does_not_use_it(case, clerk, family) -> None:
    Procedure.objects.filter(code="juminhyo-copy").update(uses_my_number=False)
    client = staff_client(clerk)
    assert "9018" not in client.get(f"/staff/cases/{case.pk}/").content.decode()
    response = _reveal(client, case, family[0], "確認")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "この案件では個人番号を表示できません。" in page
    assert not AuditEntry.objects.filter(action="reveal_my_number").exists()


def test_a_person_outside_the_case_cannot_be_revealed(case, clerk, neighbour) -> None:
    registry.set_my_number(neighbour[0], "111111111118")
    response = _reveal(staff_client(clerk), case, neighbour[0], "確認")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="reveal_my_number").exists()


def test_the_english_page_explains_in_english(case, clerk, family) -> None:
    with translation.override("ja"):  # the request leaves English active otherwise
        page = staff_client(clerk).get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert "Show the My Number" in page
    assert "****-****-9018" in page
    start, end = page.index("This procedure uses My Numbers"), page.index("<h2>Your answers</h2>")
    section = page[start:end]
    assert japanese_outside_lang_ja(section) == []
