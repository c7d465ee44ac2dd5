"""Dates as residents and official documents write them: 和暦 (Japanese era) and 西暦."""

import datetime as dt
import re

import jaconv
from japanera import ERA_DATA_GENERAL, EraDate


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


# Eras since Japan took the Gregorian calendar (明治6年 = 1873); older dates are not parsed.
GREGORIAN_SINCE = dt.date(1873, 1, 1)
_ERAS = {
    era.kanji: era for era in ERA_DATA_GENERAL if era.since is not None and era.since.year >= 1868
}
_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_SEPARATOR = r"\s*[-/.．／－ー―‐年月]\s*"
_SEIREKI = re.compile(rf"^(\d{{4}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{1,2}})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20260401, as registry files write it
_WAREKI = re.compile(
    rf"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{{1,2}}){_SEPARATOR}(\d{{1,2}})"
    rf"{_SEPARATOR}(\d{{1,2}})\s*日?$"
)


class BadDate(ValueError):
    """A text that is no date. ``reason``: ``format`` (not a way dates are written),
    ``no_such_day`` (2026-02-30) or ``outside_era`` (平成31年5月1日 is 令和元年)."""

    reason = "format"

    def __init__(self, text: str, reason: str | None = None) -> None:
        super().__init__(text)
        if reason:
            self.reason = reason


class DateNotUnderstood(BadDate):
    """The text is not a date in a form we read, or names a day that does not exist."""


class DateOutsideEra(BadDate):
    """A 和暦 date the era never had (平成32年, 令和元年4月1日)."""

    reason = "outside_era"


def parse_date(text: str) -> dt.date:
    """Read a date as residents and registry files write it: 西暦 (2024-04-01, 2024/4/1,
    20240401, 2024年4月1日) or 和暦 (令和6年4月1日, R6.4.1, 平成31年4月30日, 令和元年), in full- or
    half-width characters."""
    if len(text) == 10 and text[4] == text[7] == "-":  # the common case in files, fast
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    normalized = jaconv.z2h(text.strip(), kana=False, ascii=True, digit=True).upper()
    if match := _SEIREKI.match(normalized) or _COMPACT.match(normalized):
        year, month, day = (int(part) for part in match.groups())
        return _date(year, month, day)
    if match := _WAREKI.match(normalized):
        era_name, era_year_text, month_text, day_text = match.groups()
        era = _ERAS[_ERA_LETTERS.get(era_name, era_name)]
        relative = 1 if era_year_text == "元" else int(era_year_text)
        if relative < 1:
            raise DateNotUnderstood(text)
        date = _date(era.since.year + relative - 1, int(month_text), int(day_text))
        if date < era.since or (era.until is not None and date >= era.until):
            raise DateOutsideEra(text)
        return date
    raise DateNotUnderstood(text)


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError as bad:
        raise DateNotUnderstood(f"{year}-{month}-{day}", "no_such_day") from bad
    if date < GREGORIAN_SINCE:
        raise DateNotUnderstood(date.isoformat())
    return date
