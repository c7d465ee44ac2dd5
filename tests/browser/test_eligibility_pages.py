"""The new staff and resident pages of the push-type service pass axe-core."""

import pytest
from playwright.sync_api import Page, expect

from madoguchi.accounts.models import StaffMembership, User
from madoguchi.eligibility import services
from madoguchi.residents.models import TaxLedgerEntry
from tests import factories
from tests.browser.steps import log_in_staff
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_runs_approver_approves_resident_reads_and_settings(
    page: Page, live_server, axe_check, family, resident, clerk, kyoto
) -> None:
    for person in family:
        TaxLedgerEntry.objects.create(person=person, fiscal_year=2026, income=0, shotoku=0)
    factories.staff_user(
        kyoto, "nakagyo-approver", "nakagyo-citizen-services", StaffMembership.Role.APPROVER
    )
    base = live_server.url
    log_in_staff(page, base, User.objects.get(username="nakagyo-clerk"))
    page.get_by_role("link", name="プッシュ型のお知らせ").click()
    axe_check(page)
    page.get_by_label("判定日").fill("2026-04-01")
    page.get_by_role("button", name="判定を実行する").click()
    run_tasks()
    page.reload()
    expect(page.locator("main")).to_contain_text("児童手当")
    expect(page.locator("main")).to_contain_text("送信の承認は決裁者が行います")
    axe_check(page)
    page.get_by_role("link", name="中京区役所").first.click()
    axe_check(page)

    run = services.Run.objects.get()
    services.approve(run, services.User.objects.get(username="nakagyo-approver"))
    run_tasks()

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/demo/")
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    page.goto(f"{base}/inbox/")
    page.get_by_role("link", name="児童手当を受けられます").click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("月額")
    expect(page.get_by_role("link", name="申請の手続へ進む")).to_have_attribute(
        "href", "/procedures/child-allowance-claim/"
    )
    page.goto(f"{base}/inbox/settings/")
    axe_check(page)
    page.get_by_label("子育て").uncheck()
    page.get_by_label("メールでも受け取る").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.locator("main")).to_contain_text("保存しました")
    expect(page.get_by_label("メールでも受け取る")).to_be_checked()
    axe_check(page)
