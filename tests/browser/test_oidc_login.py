"""In a real browser: a resident logs in through the loopback OpenID Connect provider with
their (test) My Number card and applies; the clerk of their ward logs in with a password and a
TOTP code and sees the application, the clerk of another ward does not."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import log_in_staff
from tests.idp import claims_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_logs_in_with_the_card_and_applies(
    page: Page, live_server, axe_check, idp, family, clerk, other_ward_clerk
) -> None:
    idp.set_accounts({"yamada": claims_for(family[0])})
    base = live_server.url
    page.goto(f"{base}/procedures/juminhyo-copy/")
    page.get_by_role("link", name="ログインして申請する").click()
    axe_check(page)
    page.get_by_role("link", name="テスト用IdP（マイナンバーカード）でログイン").click()
    # At the provider (another site): sign in with the card.
    expect(page).to_have_url(f"{idp.issuer}/interaction/" + page.url.rsplit("/", 1)[1])
    page.get_by_label("Method").select_option("card")
    page.get_by_role("button", name="Sign in").click()
    # Back at Madoguchi, logged in as the registry's 山田 太郎.
    expect(page).to_have_url(f"{base}/procedures/juminhyo-copy/")
    axe_check(page)
    page.get_by_role("button", name="オンラインで申請する").click()
    page.get_by_label("山田 太郎（世帯主）").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_role("group", name="世帯主の氏名と続柄を載せますか").get_by_label("はい").check()
    page.get_by_role("group", name="本籍と筆頭者を載せますか").get_by_label("いいえ").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("勤務先への提出").check()
    page.get_by_label("必要な通数").fill("1")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_role("button", name="支払って申請する").click()  # 300 yen, in the sandbox
    page.get_by_label("カード番号").fill("4242424242424242")
    page.get_by_role("button", name="300円を支払う").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    reference = page.locator(".panel__reference").inner_text()
    axe_check(page)

    browser = page.context.browser
    for user, sees in [(clerk, True), (other_ward_clerk, False)]:
        context = browser.new_context(locale="ja-JP")
        staff = context.new_page()
        log_in_staff(staff, base, user, axe_check)
        queue = staff.locator("main")
        if sees:
            expect(queue).to_contain_text(reference)
        else:
            expect(queue).not_to_contain_text(reference)
        axe_check(staff)
        context.close()
