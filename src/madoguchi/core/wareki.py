"""Dates as residents and official documents write them: 和暦 (Japanese era) and 西暦."""

import datetime as dt
import re
import unicodedata

from japanera import EraDate


def era_year(date: dt.date) -> tuple[str, str]:
    """The era's name and the year within it, written 元 for the first year (令和元年)."""
    era = EraDate.from_date(date).era
    year = date.year - era.since.year + 1
    return era.kanji, "元" if year == 1 else str(year)


def format_wareki(date: dt.date) -> str:
    """令和8年11月26日"""
    era, year = era_year(date)
    return f"{era}{year}年{date.month}月{date.day}日"


def format_seireki(date: dt.date) -> str:
    """2026年11月26日"""
    return f"{date.year}年{date.month}月{date.day}日"


def format_both(date: dt.date) -> str:
    """令和8年（2026年）11月26日: the form official documents use to serve every reader."""
    era, year = era_year(date)
    return f"{era}{year}年（{date.year}年）{date.month}月{date.day}日"


# Eras from their first day (改元の日), for reading dates that files write in 和暦.
ERAS = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("明治", "M", dt.date(1868, 1, 25)),
)
_ERA_BY_NAME = {name: since for name, _letter, since in ERAS} | {
    letter: since for _name, letter, since in ERAS
}
_SEIREKI = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
_WAREKI = re.compile(
    r"(令和|平成|昭和|大正|明治|[RHSTM])(元|\d{1,2})[.年/-](\d{1,2})[.月/-](\d{1,2})日?"
)


class BadDate(ValueError):
    """A text that is no date. ``reason``: ``format`` (not a way dates are written),
    ``no_such_day`` (2026-02-30) or ``outside_era`` (平成31年5月1日 is 令和元年)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_date(text: str) -> dt.date:
    """A date as registry files write it: 西暦 (2026-04-01, 2026/4/1, 20260401, 2026年4月1日) or
    和暦 (令和8年4月1日, 令和元年5月1日, R8.4.1, H31.04.30), full-width digits accepted.

    A 和暦 date outside its era (平成31年5月1日 is 令和元年) is refused, as the registry never
    writes one."""
    if len(text) == 10 and text[4] == text[7] == "-":  # the common case, fast
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    value = unicodedata.normalize("NFKC", text).strip().upper()
    if match := _WAREKI.fullmatch(value):
        since = _ERA_BY_NAME[match[1]]
        year = 1 if match[2] == "元" else int(match[2])
        date = _date(since.year + year - 1, int(match[3]), int(match[4]))
        following = next((s for _n, _l, s in reversed(ERAS) if s > since), None)
        if year < 1 or date < since or (following and date >= following):
            raise BadDate("outside_era")
        return date
    if match := _SEIREKI.fullmatch(value):
        year, month, day = (int(part) for part in match.groups() if part is not None)
        return _date(year, month, day)
    raise BadDate("format")


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise BadDate("no_such_day") from error
