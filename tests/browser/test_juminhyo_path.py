"""The whole first procedure in a real browser: a resident applies for a copy of their resident
record, a ward clerk approves, the resident downloads a PDF with their name. Every page passes
axe-core, the form's error state included."""

import io

import pypdf
import pytest
from playwright.sync_api import Page, expect

from madoguchi.cases import services as case_services
from madoguchi.cases.models import Case
from tests.browser.steps import log_in_staff
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_applies_clerk_approves_resident_downloads(
    page: Page, live_server, axe_check, resident, family, clerk, approver
) -> None:
    base = live_server.url

    # The resident finds the procedure in the catalog.
    page.goto(f"{base}/")
    axe_check(page)
    page.get_by_label("キーワード").fill("住民票")
    page.get_by_role("button", name="さがす").click()
    axe_check(page)
    page.get_by_role("link", name="住民票の写しの交付請求").click()
    axe_check(page)

    # Logs in with the labelled demo provider.
    page.get_by_role("link", name="ログインして申請する").click()
    axe_check(page)
    page.get_by_role("link", name="デモ用ログインでログイン").click()
    axe_check(page)
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    page.get_by_role("button", name="オンラインで申請する").click()

    # Step 1, first with nothing chosen: the error summary takes focus and links to the field.
    page.get_by_role("button", name="次へ進む").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(
        "エラー: どなたの住民票が必要ですか - 住民票の写しの交付請求 | 京都市 オンライン窓口"
    )
    axe_check(page)
    summary.get_by_role("link", name="「住民票に載せる方」を選んでください。").click()
    expect(page.get_by_label("山田 太郎（世帯主）")).to_be_focused()
    # Keyboard only from here: space ticks the focused box, Tab moves, Enter submits.
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.get_by_role("button", name="次へ進む").press("Enter")

    # Step 2.
    axe_check(page)
    page.get_by_role("group", name="世帯主の氏名と続柄を載せますか").get_by_label("はい").check()
    page.get_by_role("group", name="本籍と筆頭者を載せますか").get_by_label("いいえ").check()
    page.get_by_role("button", name="次へ進む").click()

    # Step 3, with an invalid number first.
    page.get_by_label("勤務先への提出").check()
    page.get_by_label("必要な通数").fill("20")
    page.get_by_role("button", name="次へ進む").click()
    expect(page.locator(".error-summary")).to_contain_text("1以上10以下")
    axe_check(page)
    page.get_by_label("必要な通数").fill("1")
    page.get_by_role("button", name="次へ進む").click()

    # Check your answers, then submit.
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容の確認")
    expect(page.locator("main")).to_contain_text("山田 太郎（世帯主）、山田 花子（妻）")
    axe_check(page)
    page.get_by_role("button", name="支払って申請する").click()
    page.get_by_label("カード番号").fill("4242424242424242")
    page.get_by_role("button", name="300円を支払う").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    reference = page.locator(".panel__reference").inner_text()
    axe_check(page)
    page.get_by_role("link", name="申請の一覧").click()
    expect(page.locator("main")).to_contain_text(reference)
    axe_check(page)

    # The clerk of 中京区役所 市民窓口課 logs in, reviews the case and drafts an approval.
    staff_context = page.context.browser.new_context(locale="ja-JP")
    staff = staff_context.new_page()
    staff.goto(f"{base}/staff/")
    axe_check(staff)
    log_in_staff(staff, base, clerk, axe_check)
    axe_check(staff)
    staff.get_by_role("link", name=reference).click()
    expect(staff.locator("main")).to_contain_text("山田 太郎")
    staff.get_by_role("button", name="審査を始める").click()
    staff.get_by_role("button", name="起案する").click()
    expect(staff.locator(".error-summary")).to_be_focused()
    axe_check(staff)
    staff.get_by_label("承認する").check()
    staff.get_by_role("button", name="起案する").click()
    expect(staff.locator(".notice--success")).to_contain_text("起案しました")
    axe_check(staff)
    staff_context.close()
    # The 決裁者 signs off (their pages are driven in test_back_office_path).
    case = Case.objects.get(submission__reference=reference)
    case_services.sign_off(case, actor=approver)

    # The background worker issues the PDF; the resident is told and downloads it.
    run_tasks()
    page.goto(f"{base}/inbox/")
    axe_check(page)
    page.get_by_role("link", name=f"交付物をダウンロードできます（受付番号 {reference}）").click()
    axe_check(page)
    page.get_by_role("link", name="申請の状況を見る").click()
    expect(page.locator("main")).to_contain_text("交付済")
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="住民票の写しをダウンロード（PDF）").click()
    pdf = pypdf.PdfReader(io.BytesIO(info.value.path().read_bytes()))
    text = pdf.pages[0].extract_text()
    assert "山田 太郎" in text
    assert "山田 花子" in text
    assert reference in text
