import datetime as dt

from madoguchi.core.business_days import add_business_days, is_business_day


def test_weekends_holidays_and_year_end_are_closed() -> None:
    assert not is_business_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_business_day(dt.date(2026, 11, 23))  # 勤労感謝の日
    assert not is_business_day(dt.date(2026, 12, 29))  # 年末年始
    assert is_business_day(dt.date(2027, 1, 4))  # the office opens again on 1月4日
    assert is_business_day(dt.date(2026, 11, 26))


def test_due_date_skips_a_holiday() -> None:
    # Received Friday 20 Nov 2026; Monday 23 Nov is 勤労感謝の日: 3 business days → 26 Nov.
    assert add_business_days(dt.date(2026, 11, 20), 3) == dt.date(2026, 11, 26)


def test_due_date_skips_the_year_end_break() -> None:
    # Received Monday 28 Dec 2026; closed 29 Dec – 3 Jan: the 1st business day is 4 Jan 2027.
    assert add_business_days(dt.date(2026, 12, 28), 1) == dt.date(2027, 1, 4)
    assert add_business_days(dt.date(2026, 12, 25), 2) == dt.date(2027, 1, 4)
