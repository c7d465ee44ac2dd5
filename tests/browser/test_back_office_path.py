"""The whole paperless path in a real browser: the resident applies and pays in the sandbox,
the clerk asks for a correction, the resident fixes it, the clerk drafts the approval, the
決裁者 signs it off, the signed certificate is issued, the resident downloads it and the
verification page says it is genuine. axe-core checks every page and error state."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from madoguchi.accounts.models import User
from madoguchi.cases.models import Case
from tests import factories
from tests.browser.steps import log_in_staff
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_login(browser: Browser, live_server, axe_check) -> Iterator[Callable[[User], Page]]:
    """Logs a staff member in, in a browser context of their own (closed after the test)."""
    contexts = []

    def login(user: User) -> Page:
        context = browser.new_context(locale="ja-JP")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in_staff(page, live_server.url, user, axe_check)
        axe_check(page)
        return page

    yield login
    for context in contexts:
        context.close()


def test_apply_pay_correct_draft_sign_off_issue_verify(
    page: Page,
    live_server,
    settings,
    axe_check,
    staff_login,
    resident,
    family,
    clerk,
    approver,
    tmp_path,
) -> None:
    base = live_server.url
    settings.MADOGUCHI_BASE_URL = base  # the sandbox's webhooks and the QR code point here

    # The resident logs in with the demo provider and fills in the form.
    page.goto(f"{base}/procedures/juminhyo-copy/")
    page.get_by_role("link", name="ログインして申請する").click()
    page.get_by_role("link", name="デモ用ログインでログイン").click()
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    page.get_by_role("button", name="オンラインで申請する").click()
    page.get_by_label("山田 太郎（世帯主）").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_role("group", name="世帯主の氏名と続柄を載せますか").get_by_label("はい").check()
    page.get_by_role("group", name="本籍と筆頭者を載せますか").get_by_label("いいえ").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("勤務先への提出").check()
    page.get_by_label("必要な通数").fill("2")
    page.get_by_role("button", name="次へ進む").click()

    # Check answers: 2 copies at 300 yen; pay in the sandbox's own page.
    expect(page.locator("main")).to_contain_text("手数料は 600円 です。")
    axe_check(page)
    page.get_by_role("button", name="支払って申請する").click()
    expect(page).to_have_title("お支払い | Sandbox Pay")
    axe_check(page)
    page.get_by_role("button", name="600円を支払う").click()  # no card number first
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("カード番号").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="600円を支払う").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    reference = page.locator(".panel__reference").inner_text()
    axe_check(page)
    case = Case.objects.get(submission__reference=reference)

    # The clerk starts the review and asks for a correction of the number of copies.
    staff = staff_login(clerk)
    staff.get_by_role("link", name=reference).click()
    staff.get_by_role("button", name="審査を始める").click()
    expect(staff.locator(".notice--success")).to_contain_text("審査を始めました。")
    axe_check(staff)
    staff.get_by_role("button", name="補正を依頼する").click()  # empty: the error state
    expect(staff.locator(".error-summary")).to_be_focused()
    axe_check(staff)
    staff.get_by_label("直してほしい点").fill("1通で足りるはずです。必要な通数を直してください。")
    staff.get_by_label("必要な通数").check()
    staff.get_by_role("button", name="補正を依頼する").click()
    expect(staff.locator(".notice--success")).to_contain_text("補正を依頼しました。")
    axe_check(staff)

    # The resident reads the request and changes only the number of copies.
    page.goto(f"{base}/applications/{reference}/")
    expect(page.locator("main")).to_contain_text("1通で足りるはずです。")
    axe_check(page)
    page.get_by_role("link", name="指定された項目を直す").click()
    expect(page.get_by_label("勤務先への提出")).to_have_count(0)
    axe_check(page)
    page.get_by_label("必要な通数").fill("1")
    page.get_by_role("button", name="修正して再提出する").click()
    expect(page.locator(".notice--success")).to_contain_text("再提出しました")
    axe_check(page)

    # The clerk drafts the approval (起案).
    staff.reload()
    expect(staff.locator("main")).to_contain_text("補正前と補正後")
    staff.get_by_label("承認する").check()
    staff.get_by_role("button", name="起案する").click()
    expect(staff.locator("main")).to_contain_text("あなたが起案しました。")
    axe_check(staff)

    # The 決裁者 of the same section signs it off (決裁).
    boss = staff_login(approver)
    boss.get_by_role("link", name=reference).click()
    axe_check(boss)
    boss.get_by_role("button", name="起案どおり決裁する").click()
    expect(boss.locator(".notice--success")).to_contain_text("決裁しました。")
    axe_check(boss)
    boss.goto(f"{base}/staff/overview/")
    axe_check(boss)

    # The worker signs and issues the certificate; the resident downloads it.
    run_tasks()
    page.goto(f"{base}/applications/{reference}/")
    expect(page.locator("main")).to_contain_text("交付済")
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="住民票の写しをダウンロード（PDF）").click()
    downloaded = tmp_path / "juminhyo.pdf"
    info.value.save_as(downloaded)

    # The verification page, reached as the QR code would, says genuine.
    page.get_by_role("link", name="検証ページ").click()
    expect(page.locator(".panel")).to_contain_text("本物です")
    axe_check(page)
    page.get_by_role("link", name="別の証明書を確認する").click()
    axe_check(page)
    page.get_by_label("PDFファイル").set_input_files(str(downloaded))
    page.get_by_role("button", name="ファイルで確認する").click()
    expect(page.locator(".panel")).to_contain_text("本物です")
    axe_check(page)
    case.refresh_from_db()
    assert case.status == "issued"
    assert case.submission.answers["copies"] == 1


def test_staff_tools_and_resident_error_pages_pass_axe(
    page: Page, live_server, axe_check, staff_login, kyoto
) -> None:
    base = live_server.url
    admin = staff_login(
        factories.staff_user(kyoto, "digital-admin", "digital-strategy", role="admin")
    )
    admin.goto(f"{base}/staff/message-templates/")
    axe_check(admin)
    admin.get_by_role("link", name="日本語").first.click()
    axe_check(admin)
    admin.get_by_label("件名").fill("{{ secret }}")
    admin.get_by_label("本文").fill("")
    admin.get_by_role("button", name="保存する").click()
    expect(admin.locator(".error-summary")).to_be_focused()
    axe_check(admin)
    admin.goto(f"{base}/staff/overview/")
    axe_check(admin)

    page.goto(f"{base}/verify/")
    axe_check(page)
    page.get_by_role("button", name="コードで確認する").click()
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("検証コード").fill("ｚｚｚｚ－ｚｚｚｚ－ｚｚｚｚ")
    page.get_by_role("button", name="コードで確認する").click()
    expect(page.locator(".panel")).to_contain_text("見つかりません")
    axe_check(page)
