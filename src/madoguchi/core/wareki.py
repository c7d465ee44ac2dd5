"""Dates as residents and official documents write them: 和暦 (Japanese era) and 西暦."""

import datetime as dt

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
