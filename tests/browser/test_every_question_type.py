"""A resident completes a form with every question type using only the keyboard: text typed,
Tab between fields, Space and arrow keys for choices, Enter to submit, a repeating group grown
with its "add" button, a file chosen from the file control. axe-core checks the step pages, an
error state and the check page."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from madoguchi.forms import services as form_services
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests.browser.steps import choose_file_by_keyboard
from tests.forms.every_type import every_type_definition

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _type_then_tab(page: Page, *texts: str) -> None:
    """Replace each field's value (a prefilled one too) with ``text``; "" empties it."""
    for text in texts:
        page.keyboard.press("ControlOrMeta+a")
        if text:
            page.keyboard.type(text)
        else:
            page.keyboard.press("Delete")
        page.keyboard.press("Tab")


def test_every_question_type_by_keyboard(
    page: Page, live_server, axe_check, resident, kyoto, tmp_path: Path
) -> None:
    procedure = Procedure.objects.get(municipality=kyoto, code="child-medical-subsidy")
    form_services.publish(procedure, every_type_definition())
    document = tmp_path / "menkyo.pdf"
    document.write_bytes(PDF)
    base = live_server.url

    page.goto(f"{base}/procedures/child-medical-subsidy/")
    page.get_by_role("link", name="ログインして申請する").click()
    page.get_by_role("link", name="デモ用ログインでログイン").click()
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    page.get_by_role("button", name="オンラインで申請する").press("Enter")

    # Step 1: text, kana, date (和暦), address, phone, email. The block number is left out.
    expect(page.get_by_role("heading", level=1)).to_have_text("申請者について")
    expect(page.locator(".info-block")).to_contain_text("この申請には10分ほどかかります。")
    # What the registry holds is shown, not asked; here the resident changes it.
    expect(page.locator("main")).to_contain_text("市が保有する情報から入力しました")
    axe_check(page)
    page.get_by_role("link", name="この内容を変更する").press("Enter")
    expect(page.get_by_label("氏名", exact=False).first).to_have_value("山田 太郎")
    axe_check(page)
    # Each step starts where a keyboard user tabs to its first field.
    page.get_by_label("氏名", exact=False).first.focus()
    _type_then_tab(page, "京都 花子", "きょうと はなこ", "平成2年4月1日", "604-8571", "", "")
    _type_then_tab(page, "寺町通御池上る上本能寺前町", "", "", "075-222-3111")
    page.keyboard.type("hanako@example.jp")
    page.keyboard.press("Enter")

    # The error summary takes focus and links to the field.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(
        "エラー: 申請者について - 子育て支援医療費の受給者証交付申請 | 京都市 オンライン窓口"
    )
    axe_check(page)
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="「住所（番地）」を入力してください。")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_address__block")).to_be_focused()
    page.keyboard.type("488")
    page.keyboard.press("Enter")

    # Step 2: number, radio, select, checkboxes, yes/no, textarea.
    expect(page.get_by_role("heading", level=1)).to_have_text("申請の内容")
    axe_check(page)
    page.get_by_label("必要な部数").focus()
    _type_then_tab(page, "２")
    page.keyboard.press("ArrowDown")  # 勤務先 → 学校
    page.keyboard.press("ArrowDown")  # → その他
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # 中京区役所
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # 電話
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # 郵便
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # はい
    page.keyboard.press("Tab")  # the notes, left empty
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="次へ進む")).to_be_focused()
    page.keyboard.press("Enter")

    # Step 3: a repeating group, grown by its button (no script).
    expect(page.get_by_role("heading", level=1)).to_have_text("お子さんについて")
    axe_check(page)
    page.locator("#id_children__0__child_name").focus()
    _type_then_tab(page, "京都 一郎", "R2.5.1")
    expect(page.get_by_role("button", name="お子さんを追加")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_children__0__child_name")).to_have_value("京都 一郎")
    axe_check(page)
    page.locator("#id_children__1__child_name").focus()
    _type_then_tab(page, "京都 二郎")
    page.keyboard.type("2022-06-01")
    page.keyboard.press("Enter")

    # Step 4: shown because the purpose is "other"; the file chosen from its control.
    expect(page.get_by_role("heading", level=1)).to_have_text("書類の添付")
    axe_check(page)
    page.get_by_label("使いみちの詳細").focus()
    _type_then_tab(page, "奨学金の申請")
    expect(page.locator("input[type=file]")).to_be_focused()
    choose_file_by_keyboard(page, document)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # Check your answers: every answer, groups item by item, a change link per question.
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容の確認")
    main = page.locator("main")
    expect(main).to_contain_text("〒604-8571 京都府京都市中京区寺町通御池上る上本能寺前町488")
    expect(main).to_contain_text("キョウト ハナコ".replace(" ", "　"))
    expect(main).to_contain_text("平成2年（1990年）4月1日")
    expect(main).to_contain_text("その他")
    expect(main).to_contain_text("電話、郵便")
    expect(main).to_contain_text("京都 二郎")
    expect(main).to_contain_text("menkyo.pdf")
    axe_check(page)
    page.get_by_role("link", name="変更 電話番号").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請者について")
    page.get_by_role("button", name="次へ進む").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容の確認")
    page.get_by_role("button", name="申請する").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    axe_check(page)
    submitted = Submission.objects.get(status="submitted")
    assert submitted.answers["contact_by"] == ["phone", "post"]
    assert submitted.answers["ward"] == "nakagyo"
    assert [c["child_birth_date"] for c in submitted.answers["children"]] == [
        "2020-05-01",
        "2022-06-01",
    ]
