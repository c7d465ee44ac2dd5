"""A clerk sees the applicant's 個人番号 masked and reveals it with a purpose, in a real browser;
axe-core checks the page, its error state and the revealed state."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from madoguchi.cases.models import Case
from madoguchi.procedures.models import Procedure
from madoguchi.residents import services as registry
from tests.browser.steps import log_in_staff
from tests.flows import apply_juminhyo

pytestmark = pytest.mark.django_db(transaction=True)


def test_reveal_a_my_number_with_a_purpose(
    page: Page, live_server, axe_check, resident, family, clerk
) -> None:
    Procedure.objects.filter(code="juminhyo-copy").update(uses_my_number=True)
    registry.set_my_number(family[0], "123456789018")
    client = Client()
    client.force_login(resident)
    case = Case.objects.get(submission__reference=apply_juminhyo(client, family[:1]))

    log_in_staff(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("****-****-9018")
    axe_check(page)
    reveal = page.get_by_role("button", name="個人番号を表示する")
    reveal.click()
    expect(page.locator(".error-summary")).to_contain_text(
        "個人番号を表示する目的を入力してください。"
    )
    axe_check(page)
    page.get_by_label("表示する目的").fill("住民票の記載事項の確認")
    page.get_by_role("button", name="個人番号を表示する").click()
    expect(main).to_contain_text("1234 5678 9018")
    assert "123456789018" not in page.url
    axe_check(page)
