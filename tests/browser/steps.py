"""Steps several browser tests share."""

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from madoguchi.accounts.models import User
from tests.factories import PASSWORD, current_totp


def log_in_staff(
    page: Page, base: str, user: User, axe_check: Callable[[Page], None] | None = None
) -> None:
    """Password, then the code of the staff member's authenticator app; each page checked."""
    page.goto(f"{base}/staff/")
    page.get_by_label("職員ID").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("確認コードの入力")
    if axe_check:
        axe_check(page)
    page.get_by_label("確認コード（6桁）").fill(current_totp(user))
    page.get_by_role("button", name="確認する").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("確認コードの入力")


def choose_file_by_keyboard(page: Page, path: Path) -> None:
    """Space on the focused file control opens the chooser. Under full CPU load headless
    Chromium now and then drops the first press's activation (two of four full runs on
    2026-11-26), so a second press is allowed, as a keyboard user would; never opening fails."""
    expect(page.locator("input[type=file]:focus")).to_have_count(1)
    for attempt in range(2):
        try:
            with page.expect_file_chooser(timeout=7_500) as chooser:
                page.keyboard.press("Space")
            break
        except PlaywrightTimeout:
            if attempt:
                raise
    chooser.value.set_files(str(path))
