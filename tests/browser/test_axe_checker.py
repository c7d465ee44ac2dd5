"""The accessibility check is only worth something if it fails on a bad page."""

import pytest
from playwright.sync_api import Page


def test_axe_reports_an_unlabelled_field_and_low_contrast(page: Page, axe_check) -> None:
    page.set_content(
        '<html lang="ja"><head><title>x</title></head><body><main>'
        '<input type="text"><p style="color:#bbb;background:#fff">薄い文字</p>'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    assert "label" in str(failure.value)
    assert "color-contrast" in str(failure.value)
