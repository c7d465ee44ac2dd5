"""開庁日: the days a city office is open, for 標準処理期間 and due dates.

Closed on weekends, national holidays (祝日・振替休日・国民の休日, from ``jpholiday``) and the
year-end break 年末年始 (12月29日〜1月3日), which 地方自治法第4条の2 lets cities close.
"""

import datetime as dt

import jpholiday


def is_business_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return not ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3))


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th business day after ``start`` (the day of receipt does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day
