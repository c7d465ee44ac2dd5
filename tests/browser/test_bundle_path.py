"""A resident applies for the 出生 bundle in a real browser: the shared questions once, one
submit, three applications listed together. Every page passes axe-core, the error state too."""

import pytest
from playwright.sync_api import Page, expect

from madoguchi.demo.bundles import load_bundles
from tests.browser.steps import log_in_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_applies_for_the_birth_bundle(
    page: Page, live_server, axe_check, kyoto, resident, family
) -> None:
    load_bundles(kyoto)
    base = live_server.url
    page.goto(f"{base}/life-events/")
    axe_check(page)
    page.get_by_role("link", name="子どもが生まれたとき（出生）").click()
    expect(page.get_by_role("listitem")).to_contain_text(["児童手当の認定請求"])
    axe_check(page)
    page.get_by_role("link", name="ログインして申請する").click()
    page.get_by_role("link", name="デモ用ログインでログイン").click()
    page.get_by_role("button", name="山田 太郎としてログイン").click()
    # Every procedure is ticked; with none, the error summary takes focus.
    for name in [
        "児童手当の認定請求",
        "子育て支援医療費の受給者証交付申請",
        "国民健康保険の加入の届出",
    ]:
        page.get_by_role("group", name="申請する手続").get_by_label(name).uncheck()
    page.get_by_role("button", name="まとめて申請する").click()
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    for name in [
        "児童手当の認定請求",
        "子育て支援医療費の受給者証交付申請",
        "国民健康保険の加入の届出",
    ]:
        page.get_by_role("group", name="申請する手続").get_by_label(name).check()
    page.get_by_role("button", name="まとめて申請する").click()

    # The children, first with nothing chosen: the error summary takes focus.
    expect(page.get_by_role("heading", level=1)).to_have_text("児童手当を受けるお子さん")
    axe_check(page)
    page.get_by_role("button", name="次へ進む").click()
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("山田 一郎（子）").check()
    page.get_by_role("button", name="次へ進む").click()

    page.get_by_label("国民年金").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("金融機関名").fill("京都銀行")
    page.get_by_label("支店名").fill("本店")
    page.get_by_label("普通").check()
    page.get_by_label("口座番号（7桁）").fill("1234567")
    # The account holder's name in kana comes from the registry: shown, not asked.
    expect(page.locator("main")).to_contain_text("市が保有する情報から入力しました")
    axe_check(page)
    page.get_by_role("button", name="次へ進む").click()
    # The phone number serves all three procedures and is asked once.
    expect(page.locator("main")).to_contain_text("この回答は次の手続に使います")
    axe_check(page)
    page.get_by_label("日中に連絡がとれる電話番号").fill("075-222-3111")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("山田 一郎（子）").check()
    page.get_by_label("子どもが生まれた").check()
    page.get_by_label("理由が生じた日").fill("令和7年4月1日")
    page.get_by_role("button", name="次へ進む").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容の確認")
    axe_check(page)
    page.get_by_role("button", name="まとめて申請する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(4)  # the header and one row per procedure
    for name in [
        "児童手当の認定請求",
        "子育て支援医療費の受給者証交付申請",
        "国民健康保険の加入の届出",
    ]:
        expect(page.get_by_role("row", name=name)).to_contain_text("受付")
    axe_check(page)
    references = page.locator(".reference").all_inner_texts()
    assert len(set(references)) == 3
    page.get_by_role("link", name="申請の一覧").click()
    for reference in references:
        expect(page.locator("main")).to_contain_text(reference)


def test_clerk_fills_in_the_moving_in_bundle_at_the_counter(
    page: Page, live_server, axe_check, kyoto, resident, family, clerk
) -> None:
    load_bundles(kyoto)
    base = live_server.url
    log_in_staff(page, base, clerk)
    page.goto(f"{base}/staff/life-events/")
    expect(page.locator("main")).to_contain_text("各区役所・支所の子どもはぐくみ室")
    axe_check(page)
    page.goto(f"{base}/staff/counter/people/{family[0].pk}/")
    axe_check(page)
    page.get_by_role("button", name="京都市に引っ越してきたとき（転入）").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("転入の内容")
    axe_check(page)
    page.get_by_role("button", name="次へ進む").click()
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("京都市に住み始めた日").fill("令和7年4月1日")
    page.get_by_label("前の住所").fill("大阪府大阪市北区中之島1-3-20")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("山田 太郎（世帯主）").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("日中に連絡がとれる電話番号").fill("075-222-3111")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("山田 太郎（世帯主）").check()
    page.get_by_label("他の市区町村から転入した").check()
    page.get_by_label("理由が生じた日").fill("令和7年4月1日")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("山田 一郎（子）").check()
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("国民年金").check()
    page.get_by_role("button", name="次へ進む").click()
    # The kana of the account holder comes from the registry: shown, not asked.
    expect(page.locator("main")).to_contain_text("市が保有する情報から入力しました")
    axe_check(page)
    page.get_by_label("金融機関名").fill("京都銀行")
    page.get_by_label("支店名").fill("本店")
    page.get_by_label("普通").check()
    page.get_by_label("口座番号（7桁）").fill("1234567")
    page.get_by_role("button", name="次へ進む").click()
    page.get_by_label("はい").check()
    page.get_by_role("button", name="次へ進む").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("申請内容のご確認")
    axe_check(page)
    page.get_by_label("申請者ご本人が画面の内容を確認しました").check()
    page.get_by_role("button", name="この内容でまとめて申請する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申請を受け付けました")
    expect(page.locator(".reference")).to_have_count(4)
    axe_check(page)
