"""English is complete: every page of the main path, in English, shows no untranslated text."""

import polib
import pytest
from django.test import Client

from madoguchi.cases import services as case_services
from madoguchi.cases.models import Case
from madoguchi.core.compilemessages import catalogs
from madoguchi.residents.models import Person
from tests import factories
from tests.flows import case_action, pay_in_sandbox, staff_client
from tests.support import japanese_outside_lang_ja, run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_english_catalogs_have_no_untranslated_or_fuzzy_entry() -> None:
    english = [path for path in catalogs() if path.parts[-3] == "en"]
    assert len(english) >= 10
    for path in english:
        catalog = polib.pofile(str(path))
        assert catalog.untranslated_entries() == [], path
        assert catalog.fuzzy_entries() == [], path


def _registry_data(persons: list[Person]) -> list[str]:
    values = []
    for person in persons:
        values += [person.full_name, person.full_name_kana, person.household.address]
    return values


def _english_pages_are_english(client: Client, urls: list[str], allowed: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="en">' in page, url
        leftovers = japanese_outside_lang_ja(page, allowed=allowed)
        assert leftovers == [], f"{url}: {leftovers}"


def test_the_resident_path_in_english(kyoto, resident, family, clerk, approver) -> None:
    allowed = _registry_data(family)
    visitor = Client()
    _english_pages_are_english(
        visitor,
        ["/en/", "/en/procedures/", "/en/procedures/juminhyo-copy/", "/en/accounts/login/"],
        allowed,
    )
    client = Client()
    client.force_login(resident)
    response = client.post("/en/procedures/juminhyo-copy/apply/")
    step = response["Location"]
    assert step.startswith("/en/applications/draft/")
    error_page = client.post(step, {}).content.decode()
    assert "Select “People to include”." in error_page
    assert japanese_outside_lang_ja(error_page, allowed=allowed) == []
    response = client.post(step, {"members": [str(family[0].pk)]})
    response = client.post(
        response["Location"], {"include_relationship": "yes", "include_honseki": "no"}
    )
    response = client.post(response["Location"], {"purpose": "employment", "copies": "1"})
    check = response["Location"]
    _english_pages_are_english(client, [check], allowed)
    landing = pay_in_sandbox(client, check.replace("/check/", "/pay/"))
    reference = landing.split("/")[3]
    case = Case.objects.get(submission__reference=reference)
    staff = staff_client(clerk)
    _english_pages_are_english(
        staff, ["/en/staff/", "/en/staff/overview/", f"/en/staff/cases/{case.pk}/"], allowed
    )
    case_action(staff, case.pk, "start_review", language="en")
    _english_pages_are_english(staff, [f"/en/staff/cases/{case.pk}/"], allowed)
    case_action(staff, case.pk, "decide", {"outcome": "approve"}, language="en")
    _english_pages_are_english(staff_client(approver), [f"/en/staff/cases/{case.pk}/"], allowed)
    case_action(staff_client(approver), case.pk, "sign_off")
    run_tasks()
    case.refresh_from_db()
    _english_pages_are_english(
        client,
        [
            f"/en/applications/{reference}/submitted/",
            "/en/applications/",
            f"/en/applications/{reference}/",
            "/en/inbox/",
            "/en/verify/",
            f"/en/verify/{case.document.verification_code}/",
        ],
        allowed,
    )


def test_emails_are_written_in_the_residents_language(kyoto, resident, family, smtp_server) -> None:
    resident.preferred_language = "en"
    resident.save()
    client = Client()
    client.force_login(resident)
    response = client.post("/procedures/juminhyo-copy/apply/")
    response = client.post(response["Location"], {"members": [str(family[0].pk)]})
    response = client.post(
        response["Location"], {"include_relationship": "no", "include_honseki": "no"}
    )
    response = client.post(response["Location"], {"purpose": "bank", "copies": "1"})
    pay_in_sandbox(client, response["Location"].replace("/check/", "/pay/"))
    run_tasks()
    subject, body = smtp_server.decoded(0)
    assert subject.startswith("We have received your application")
    assert "Request for a copy of the resident record" in body


def test_corrections_withdrawal_and_payment_pages_in_english(
    kyoto, resident, family, clerk
) -> None:
    allowed = _registry_data(family)
    client = Client()
    client.force_login(resident)
    response = client.post("/en/procedures/juminhyo-copy/apply/")
    response = client.post(response["Location"], {"members": [str(family[0].pk)]})
    response = client.post(
        response["Location"], {"include_relationship": "yes", "include_honseki": "no"}
    )
    response = client.post(response["Location"], {"purpose": "employment", "copies": "1"})
    checkout = client.post(response["Location"].replace("/check/", "/pay/"))["Location"]
    sandbox = client.get(checkout, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert japanese_outside_lang_ja(sandbox, allowed=allowed) == []
    back = client.post(checkout, {"card_number": "4242424242424242"})["Location"]
    reference = client.get(back)["Location"].split("/")[3]
    case = Case.objects.get(submission__reference=reference)
    case_services.start_review(case, actor=clerk)
    case_services.request_correction(
        case, actor=clerk, message="通数を直してください。", question_keys=["copies"]
    )
    allowed.append("通数を直してください。")  # the clerk's own words, as written
    _english_pages_are_english(
        client,
        [
            f"/en/applications/{reference}/",
            f"/en/applications/{reference}/correction/",
            f"/en/applications/{reference}/withdraw/",
        ],
        allowed,
    )
    admin = factories.staff_user(kyoto, "digital-admin", "digital-strategy", role="admin")
    _english_pages_are_english(
        staff_client(admin),
        [
            "/en/staff/message-templates/",
            "/en/staff/message-templates/correction_requested/en/",
        ],
        allowed,
    )
