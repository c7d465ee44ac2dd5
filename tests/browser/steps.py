"""Steps several browser tests share."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

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
