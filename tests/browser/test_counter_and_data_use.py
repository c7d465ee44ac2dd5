"""書かない窓口 and the data-use log in a real browser, keyboard and mouse alike: the clerk finds
the resident, starts a procedure with the registry's answers filled in, asks only what is
missing, the resident confirms; the resident then reads which of their data the city used.
axe-core checks every page and error state."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import onestop
from tests.browser.steps import log_in_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_counter_then_the_residents_data_use_log(
    browser: Browser, page: Page, live_server, axe_check, kyoto, resident, family
) -> None:
    base = live_server.url
    onestop.publish(kyoto)
    clerk = onestop.section_clerk(kyoto)
    log_in_staff(page, base, clerk, axe_check)

    page.goto(f"{base}/staff/counter/")
    axe_check(page)
    page.get_by_role("button", name="検索する").click()  # nothing entered
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("氏名（カナ）").fill("ヤマダ")
    page.get_by_role("button", name="検索する").click()
    expect(page.locator("main")).to_contain_text("3人が見つかりました")
    axe_check(page)
    page.get_by_role("link", name="山田 太郎").click()
    axe_check(page)
    page.get_by_role("button", name="子育て支援医療費の受給者証交付申請").click()

    # The registry's answers are shown, not asked; only the phone number is missing.
    expect(page.locator("main")).to_contain_text("市が保有する情報から入力しました")
    expect(page.locator("main")).to_contain_text("ヤマダ タロウ")
    axe_check(page)
    page.get_by_label("電話番号").fill("075-222-3111")
    page.keyboard.press("Enter")
    page.get_by_label("山田 一郎（子）").check()
    page.get_by_role("group", name="健康保険に加入していますか").get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()

    # The resident reads the application on the counter screen and confirms.
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容のご確認")
    axe_check(page)
    page.get_by_role("button", name="この内容で申請する").click()  # not yet confirmed
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("申請者ご本人が画面の内容を確認しました").check()
    page.get_by_role("button", name="この内容で申請する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    axe_check(page)

    # At home, the resident sees which of their data the city used, and why.
    context = browser.new_context(locale="ja-JP")
    home = context.new_page()
    home.goto(f"{base}/accounts/login/")
    home.get_by_role("link", name="デモ用ログインでログイン").click()
    home.get_by_role("button", name="山田 太郎としてログイン").click()
    home.goto(f"{base}/data-use/")
    expect(home.locator("main")).to_contain_text("窓口での本人確認と申請の補助")
    expect(home.locator("main")).to_contain_text("住民基本台帳")
    axe_check(home)

    # Applying online, the registry's answers are shown, not asked, and can be changed.
    home.goto(f"{base}/procedures/{onestop.CODE}/")
    home.get_by_role("button", name="オンラインで申請する").click()
    expect(home.locator("main")).to_contain_text("市が保有する情報から入力しました")
    expect(home.locator("input[name=name]")).to_have_count(0)
    axe_check(home)
    home.get_by_role("link", name="この内容を変更する").click()
    expect(home.locator("input[name=name]")).to_have_value("山田 太郎")
    axe_check(home)
    context.close()
