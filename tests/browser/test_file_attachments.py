"""File questions in the places that lacked them, in a real browser and by keyboard: a
life-event bundle's documents step and its check page, the counter taking in a scan for the
resident, and the resident replacing a file in a correction, with the staff's history of both
versions. axe-core checks each new page and error state."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from madoguchi.cases import services as case_services
from madoguchi.cases.models import Case
from madoguchi.demo.bundles import load_bundles
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests import files, onestop
from tests.browser.steps import choose_file_by_keyboard, log_in_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bundles_documents_step_by_keyboard(
    page: Page, live_server, axe_check, kyoto, resident, family, tmp_path: Path
) -> None:
    files.add_documents_step(
        Procedure.objects.get(municipality=kyoto, code="child-medical-subsidy")
    )
    load_bundles(kyoto)
    card = tmp_path / "hokensho.pdf"
    card.write_bytes(files.PDF)
    base = live_server.url
    page.goto(f"{base}/life-events/birth/")
    page.get_by_role("link", name="ログインして申請する").click()
    page.get_by_role("link", name="デモ用ログインでログイン").click()
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    procedures = page.get_by_role("group", name="申請する手続")
    procedures.get_by_label("児童手当の認定請求").uncheck()
    procedures.get_by_label("国民健康保険の加入の届出").uncheck()
    page.get_by_role("button", name="まとめて申請する").click()
    page.get_by_label("山田 一郎（子）").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("日中に連絡がとれる電話番号").fill("075-222-3111")
    page.get_by_role("button", name="次へ進む").click()

    # The documents step: no file chosen, the error summary takes focus and links to it.
    expect(page.get_by_role("heading", level=1)).to_have_text("書類の添付")
    axe_check(page)
    page.get_by_role("button", name="次へ進む").focus()
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    axe_check(page)
    page.keyboard.press("Tab")
    expect(
        summary.get_by_role("link", name="「健康保険証の写し」のファイルを選んでください。")
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_health_card")).to_be_focused()
    choose_file_by_keyboard(page, card)
    page.keyboard.press("Tab")  # the optional file, left empty
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="次へ進む")).to_be_focused()
    page.keyboard.press("Enter")

    # The check page names the file, linked for the resident to open.
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容の確認")
    expect(page.get_by_role("link", name="hokensho.pdf")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="まとめて申請する").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    submission = Submission.objects.get(status="submitted")
    assert submission.procedure.code == "child-medical-subsidy"
    assert submission.answers["health_card"]


def test_counter_scan_then_a_correction_replacing_it(
    browser: Browser, page: Page, live_server, axe_check, kyoto, resident, family, tmp_path: Path
) -> None:
    files.add_documents_step(onestop.publish(kyoto))
    clerk = onestop.section_clerk(kyoto)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(files.PDF)
    clear = tmp_path / "clear.pdf"
    clear.write_bytes(files.PDF + b"%clear")
    base = live_server.url

    # At the counter the clerk takes in the card the resident brought.
    log_in_staff(page, base, clerk)
    page.goto(f"{base}/staff/counter/people/{family[0].pk}/")
    page.get_by_role("button", name="子育て支援医療費の受給者証交付申請").click()
    page.get_by_label("電話番号").fill("075-222-3111")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("山田 一郎（子）").check()
    page.get_by_role("group", name="健康保険に加入していますか").get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("書類の添付")
    axe_check(page)
    page.locator("#id_health_card").focus()
    choose_file_by_keyboard(page, scan)
    page.get_by_role("button", name="次へ進む").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容のご確認")
    expect(page.locator("main")).to_contain_text("scan.pdf")
    axe_check(page)
    page.get_by_label("申請者ご本人が画面の内容を確認しました").check()
    page.get_by_role("button", name="この内容で申請する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")

    case = Case.objects.get()
    case_services.start_review(case, actor=clerk)
    case_services.request_correction(
        case,
        actor=clerk,
        message="保険証の写しが読めません。",
        question_keys=["health_card", "other_document"],
    )

    # At home the resident replaces the file, by keyboard.
    context = browser.new_context(locale="ja-JP")
    home = context.new_page()
    home.goto(f"{base}/accounts/login/")
    home.get_by_role("link", name="デモ用ログインでログイン").click()
    home.get_by_role("button", name="山田 太郎としてログイン").click()
    home.goto(f"{base}/applications/{case.reference}/correction/")
    expect(home.get_by_role("heading", level=1)).to_have_text("申請内容の補正")
    expect(home.locator("main")).to_contain_text("選択済みのファイル：scan.pdf")
    axe_check(home)
    home.locator("#id_health_card").focus()
    choose_file_by_keyboard(home, clear)
    home.get_by_role("button", name="修正して再提出する").press("Enter")
    expect(home.locator("main")).to_contain_text("修正した内容で再提出しました")
    expect(home.locator("main")).to_contain_text("clear.pdf")
    axe_check(home)
    context.close()

    # The clerk sees both versions in the case's history and opens the replaced one.
    page.goto(f"{base}/staff/cases/{case.pk}/")
    history = page.get_by_role("table", name="補正前と補正後", exact=False)
    expect(history.get_by_role("link", name="scan.pdf")).to_be_visible()
    expect(history.get_by_role("link", name="clear.pdf")).to_be_visible()
    expect(page.locator("main")).to_contain_text("窓口で職員が取り込み")
    axe_check(page)
    with page.expect_download() as download:
        history.get_by_role("link", name="scan.pdf").press("Enter")
    assert Path(download.value.path()).read_bytes() == files.PDF
