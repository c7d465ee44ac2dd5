import datetime as dt

import pytest

from madoguchi.core.wareki import BadDate, format_both, format_seireki, format_wareki, parse_date


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("2026/4/1", dt.date(2026, 4, 1)),
        ("20260401", dt.date(2026, 4, 1)),
        ("２０２６年４月１日", dt.date(2026, 4, 1)),
        ("令和8年4月1日", dt.date(2026, 4, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R8.4.1", dt.date(2026, 4, 1)),
        ("h31.04.30", dt.date(2019, 4, 30)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("S60.4.1", dt.date(1985, 4, 1)),
    ],
)
def test_dates_are_read_in_seireki_and_wareki(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "no_such_day"),
        ("令和8年2月30日", "no_such_day"),
        ("平成31年5月1日", "outside_era"),
        ("昭和64年1月8日", "outside_era"),
        ("令和元年4月30日", "outside_era"),
        ("2026年4月頃", "format"),
        ("", "format"),
        ("X8.4.1", "format"),
    ],
)
def test_what_is_no_date_says_why(text: str, reason: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text)
    assert caught.value.reason == reason
