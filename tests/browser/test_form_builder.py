"""A section's 管理者 builds and publishes a form with the keyboard only; a resident then applies
with it. Every builder page, and an error state, passes axe-core."""

import pytest
from playwright.sync_api import Locator, Page, expect

from madoguchi.accounts.models import StaffMembership
from madoguchi.forms.models import FormDraft
from madoguchi.procedures.models import Procedure
from madoguchi.staff.builder_forms import question_types
from tests import factories
from tests.browser.steps import log_in_staff
from tests.forms.every_type import every_type_definition

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    """Reach ``target`` by Tab and press ``key``; Enter follows a link or sends a form."""
    tab_to(page, target)
    if key == "Enter":
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def add_question(page: Page, step_title: str, qtype: str) -> None:
    """Pick the type in the step's select with the arrow keys, then press 追加する."""
    select = page.get_by_label(f"質問を追加：{step_title}")
    tab_to(page, select)
    for _ in range([value for value, _label in question_types()].index(qtype)):
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(qtype)
    press(page, page.get_by_role("button", name=f"追加する ：{step_title}"))


def test_admin_builds_a_form_by_keyboard_and_a_resident_applies(
    page: Page, live_server, axe_check, kyoto, resident
) -> None:
    procedure = Procedure.objects.get(municipality=kyoto, code="national-pension-enrollment")
    admin = factories.staff_user(
        kyoto, "nhi-admin", "nakagyo-insurance-pension", StaffMembership.Role.ADMIN
    )
    base = live_server.url
    log_in_staff(page, base, admin)
    press(page, page.get_by_role("link", name="申請フォームの作成"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申請フォームの作成")
    axe_check(page)
    press(page, page.get_by_role("link", name=procedure.name_ja))
    axe_check(page)

    # A step, first without its heading: the error summary takes the focus.
    press(page, page.get_by_role("link", name="ステップを追加"))
    axe_check(page)
    press(page, page.get_by_role("button", name="保存する"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text(
        "「見出し（日本語）」を入力してください。"
    )
    axe_check(page)
    type_into(page, page.get_by_label("見出し（日本語）"), "加入する方について")
    type_into(page, page.get_by_label("見出し（英語）"), "About you")
    press(page, page.get_by_role("button", name="保存する"))
    expect(page.locator(".notice")).to_contain_text("ステップを保存しました。")

    # A yes/no question, then a text question shown only after "yes".
    add_question(page, "加入する方について", "yes_no")
    axe_check(page)
    type_into(page, page.get_by_label("項目名（日本語）"), "会社を退職しましたか")
    press(page, page.get_by_label("回答を必須にする"), "Space")
    press(page, page.get_by_role("button", name="保存する"))
    # A second step with a text question asked only after "yes" on step 1.
    press(page, page.get_by_role("link", name="ステップを追加"))
    type_into(page, page.get_by_label("見出し（日本語）"), "退職について")
    press(page, page.get_by_role("button", name="保存する"))
    add_question(page, "退職について", "text")
    type_into(page, page.get_by_label("項目名（日本語）"), "退職した日")
    condition = page.get_by_label("表示条件：前の質問")
    tab_to(page, condition)
    page.keyboard.press("ArrowDown")
    expect(condition).to_have_value("q1")
    type_into(page, page.get_by_label("表示条件：値"), "yes")
    press(page, page.get_by_role("button", name="保存する"))
    expect(page.locator("section ol > li")).to_have_count(2)

    # Moving the step above the question its condition looks at is refused, and says why.
    press(page, page.get_by_role("button", name="上へ ：退職について"))
    expect(page.locator(".notice--error")).to_contain_text("前のステップにありません")
    axe_check(page)

    # Preview: the resident's step page, nothing stored.
    press(page, page.get_by_role("link", name="プレビュー"))
    expect(page.get_by_role("heading", level=1)).to_have_text("加入する方について")
    axe_check(page)
    press(page, page.get_by_role("link", name="フォームの編集に戻る"))

    # The import page, in its error state.
    press(page, page.get_by_role("link", name="JSONを読み込む"))
    press(page, page.get_by_role("button", name="読み込む"))
    expect(page.locator(".error-summary")).to_contain_text("読み込むファイルを選んでください。")
    axe_check(page)
    press(page, page.get_by_role("link", name="戻る", exact=True))

    press(page, page.get_by_role("button", name="下書きを公開する"))
    expect(page.locator(".notice")).to_contain_text("第1版を公開しました。")
    axe_check(page)

    # The resident applies with the new form.
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/demo/")
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    page.goto(f"{base}/procedures/national-pension-enrollment/")
    page.get_by_role("button", name="オンラインで申請する").click()
    page.get_by_role("group", name="会社を退職しましたか").get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("退職した日").fill("令和6年3月31日")
    page.get_by_role("button", name="次へ進む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容の確認")
    page.get_by_role("button", name="申請する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")


def test_builder_pages_of_a_form_with_every_type_pass_axe(
    page: Page, live_server, axe_check, kyoto
) -> None:
    procedure = Procedure.objects.get(municipality=kyoto, code="national-pension-enrollment")
    FormDraft.objects.create(procedure=procedure, schema=every_type_definition())
    admin = factories.staff_user(
        kyoto, "nhi-admin", "nakagyo-insurance-pension", StaffMembership.Role.ADMIN
    )
    base = f"{live_server.url}/staff/forms/{procedure.pk}/"
    log_in_staff(page, live_server.url, admin)
    page.goto(base)
    expect(page.get_by_role("button", name="追加する ：お子さん", exact=True)).to_be_visible()
    axe_check(page)
    for path in [
        "steps/children/questions/child_name/?group=children",
        "steps/children/questions/children/",
        "steps/documents/questions/id_document/",
        "steps/applicant/questions/address/",
        "steps/details/questions/purpose/",
        "steps/applicant/questions/intro/",
    ]:
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text("質問の編集")
        axe_check(page)
    # The preview of a repeating group, after the answer that shows it.
    page.goto(base + "preview/?step=details")
    page.get_by_label("必要な部数").fill("1")
    page.get_by_role("group", name="使いみち").get_by_label("勤務先に提出").check()
    page.get_by_label("受け取る区役所").select_option("nakagyo")
    page.get_by_role("group", name="連絡方法").get_by_label("電話").check()
    page.get_by_role("group", name="18歳未満のお子さんはいますか").get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("お子さんについて")
    axe_check(page)
