import datetime as dt

import pytest

from madoguchi.core.wareki import format_both, format_seireki, format_wareki


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 11, 26), "令和8年11月26日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
    ],
)
def test_wareki_follows_the_era_change_days(date: dt.date, expected: str) -> None:
    assert format_wareki(date) == expected


def test_official_documents_show_both_calendars() -> None:
    assert format_both(dt.date(2026, 4, 1)) == "令和8年（2026年）4月1日"
    assert format_seireki(dt.date(2026, 4, 1)) == "2026年4月1日"
