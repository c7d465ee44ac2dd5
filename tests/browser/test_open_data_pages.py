"""The open data portal's pages pass axe-core, in Japanese and English, and work without
JavaScript; a staff member publishes a file and reads the validation report."""

import pytest
from playwright.sync_api import Browser, Page, expect

from madoguchi.demo import opendata as demo_opendata
from madoguchi.opendata import licenses, services
from madoguchi.opendata.models import Dataset, License, Organization
from madoguchi.opendata.standards import standards
from tests import factories
from tests.browser.steps import log_in_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _licences(db) -> None:
    # Transactional tests start from empty tables: the licences a migration seeds are gone.
    licenses.seed(License)


def test_search_dataset_and_resource_pages(page: Page, live_server, axe_check, kyoto) -> None:
    demo_opendata.load(kyoto)
    base = live_server.url
    page.goto(f"{base}/opendata/")
    axe_check(page)
    page.get_by_label("キーワード").fill("避難所")
    page.get_by_role("button", name="さがす").click()
    expect(page.get_by_role("heading", level=2, name="1件のデータセット")).to_be_visible()
    page.get_by_role("link", name="指定緊急避難場所一覧").click()
    expect(page.locator("main")).to_contain_text(
        "自治体標準オープンデータセット「指定緊急避難場所一覧」準拠"
    )
    axe_check(page)
    page.get_by_role("link", name="evacuation_sites.csv").click()
    expect(page.get_by_role("img", name="6か所の位置を示した地図")).to_be_visible()
    expect(page.get_by_role("table", name="位置の一覧")).to_contain_text("梅小路公園")
    axe_check(page)
    page.get_by_role("link", name="オープンデータ").first.click()
    page.get_by_role("link", name="健康・医療 (1)").click()
    expect(page.get_by_role("heading", level=2, name="1件のデータセット")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="開発者向け情報（API）").click()
    expect(page.get_by_role("table", name="アクションの一覧")).to_contain_text("datastore_search")
    axe_check(page)


def test_searching_and_filtering_work_without_javascript(
    browser: Browser, live_server, kyoto
) -> None:
    demo_opendata.load(kyoto)
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/opendata/")
    page.get_by_label("並べ替え").select_option(label="公開日の新しい順")
    page.get_by_role("button", name="並べ替える").click()
    expect(page.get_by_label("並べ替え")).to_have_value("created")
    page.get_by_label("キーワード").fill("トイレ")
    page.get_by_role("button", name="さがす").click()
    page.get_by_role("link", name="公衆トイレ一覧").click()
    page.get_by_role("link", name="public_toilets.csv").click()
    expect(page.get_by_role("table", name="位置の一覧")).to_contain_text("円山公園公衆トイレ")
    context.close()


def test_english_pages(page: Page, live_server, axe_check, kyoto) -> None:
    demo_opendata.load(kyoto)
    base = live_server.url
    page.goto(f"{base}/en/opendata/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find open data")
    axe_check(page)
    page.get_by_role("link", name="Designated emergency evacuation sites").click()
    axe_check(page)
    page.get_by_role("link", name="evacuation_sites.csv").click()
    expect(page.get_by_role("heading", name="Data preview")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="How to use the API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For developers (API)")
    axe_check(page)


def test_staff_publish_a_file_and_see_the_report(
    page: Page, live_server, axe_check, kyoto, tmp_path
) -> None:
    demo_opendata.load(kyoto)
    # A section of 保健福祉局, which publishes the AED list.
    publisher = factories.staff_user(kyoto, "hoken-fukushi-publisher", "long-term-care-insurance")
    base = live_server.url
    log_in_staff(page, base, publisher)
    page.goto(f"{base}/staff/opendata/")
    axe_check(page)
    # Every dataset is listed; only their bureau's can be edited.
    expect(page.get_by_role("link", name="公衆トイレ一覧", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="編集 : 公衆トイレ一覧")).to_have_count(0)
    expect(page.get_by_role("link", name="編集 : AED設置箇所一覧")).to_be_visible()
    page.get_by_role("link", name="AED設置箇所一覧", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name="ファイルを追加").click()
    axe_check(page)
    columns = standards()["aed_locations"].columns
    bad = tmp_path / "aed.csv"
    row = dict.fromkeys(columns, "") | {
        "全国地方公共団体コード": "261009",
        "ID": "9",
        "地方公共団体名": "京都市",
        "名称": "テスト",
        "緯度": "north",
        "経度": "135.7",
    }
    bad.write_bytes(
        (",".join(columns) + "\r\n" + ",".join(row[c] for c in columns)).encode("cp932")
    )
    page.get_by_label("ファイル").set_input_files(str(bad))
    page.get_by_label("自治体標準オープンデータセット").select_option("aed_locations")
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_role("table", name="検証の結果")).to_contain_text(
        "「緯度」の値「north」は数値ではありません。"
    )
    axe_check(page)
    assert Dataset.objects.get(name="kyoto-aed-locations").resources.count() == 1
    page.goto(f"{base}/staff/opendata/new/")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert")).to_contain_text("タイトルを入力してください。")
    axe_check(page)


def test_an_organization_admin_manages_its_members(
    page: Page, live_server, axe_check, kyoto
) -> None:
    demo_opendata.load(kyoto)
    # A clerk of 中京区役所, made an admin of 保健福祉局's organization by a catalog admin.
    admin = factories.staff_user(kyoto, "nakagyo-data-lead", "nakagyo-citizen-services")
    factories.staff_user(kyoto, "nakagyo-colleague", "nakagyo-citizen-services")
    services.set_member(
        None, Organization.objects.get(name="hoken-fukushi"), admin.username, "admin"
    )
    base = live_server.url
    log_in_staff(page, base, admin)
    page.goto(f"{base}/staff/opendata/")
    page.get_by_role("link", name="「保健福祉局」のメンバー").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("「保健福祉局」のメンバー")
    axe_check(page)
    page.get_by_label("ユーザー名").fill("nobody")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("alert")).to_contain_text("この市の職員「nobody」は見つかりません。")
    axe_check(page)
    page.get_by_label("ユーザー名").fill("nakagyo-colleague")
    page.get_by_label("役割").select_option("editor")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("status")).to_contain_text("「nakagyo-colleague」を編集者にしました。")
    members = page.get_by_role("table", name="メンバー")
    expect(members).to_contain_text("nakagyo-colleague")
    axe_check(page)
    page.get_by_role("button", name="外す : nakagyo-colleague").click()
    expect(members).not_to_contain_text("nakagyo-colleague")
    page.goto(f"{base}/en/staff/opendata/organization/hoken-fukushi/members/")
    expect(page.get_by_role("heading", level=2, name="Add a member")).to_be_visible()
    axe_check(page)
