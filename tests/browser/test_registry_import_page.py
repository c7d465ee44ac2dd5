"""The registry import page and its problem report pass axe-core and work by keyboard."""

import pytest
from playwright.sync_api import Page, expect

from madoguchi.residents.models import Person
from tests import factories
from tests.browser.steps import log_in_staff
from tests.residents.test_import import HOUSEHOLDS, PERSONS, nakagyo_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_uploads_sees_the_report_then_imports(
    page: Page, live_server, axe_check, kyoto, tmp_path
) -> None:
    admin = factories.staff_user(kyoto, "digital-admin", "digital-strategy", role="admin")
    households = tmp_path / "households.csv"
    households.write_text("\n".join(HOUSEHOLDS).replace("{nakagyo}", nakagyo_code()) + "\n")
    bad = tmp_path / "bad" / "persons.csv"
    bad.parent.mkdir()
    bad.write_text("\n".join((*PERSONS[:2], PERSONS[2].replace("1987-09-15", "H31.5.1"))) + "\n")
    log_in_staff(page, live_server.url, admin)
    page.get_by_role("link", name="住民記録の取り込み").click()
    axe_check(page)

    page.get_by_label("households.csv（世帯）").set_input_files(households)
    page.get_by_label("persons.csv（住民（続柄を含む））").set_input_files(bad)
    page.get_by_role("button", name="取り込む").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("1件の問題があるため")
    expect(page.locator("table")).to_contain_text("元号の期間外")
    axe_check(page)
    assert not Person.objects.exists()

    good = tmp_path / "persons.csv"
    good.write_text("\n".join(PERSONS) + "\n")
    page.get_by_label("households.csv（世帯）").set_input_files(households)
    page.get_by_label("persons.csv（住民（続柄を含む））").set_input_files(good)
    page.get_by_role("button", name="取り込む").click()
    expect(page.locator("main")).to_contain_text("7行を取り込みました。")
    axe_check(page)
    assert Person.objects.count() == 5
