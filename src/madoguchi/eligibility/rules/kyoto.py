"""Kyoto City programs that OpenFisca-Japan does not model, written natively over the same
arrays. Each function returns, per household, the lowest and highest number of persons who
qualify (lowest < highest only where the ledger lacks an income figure), and the facts that
decided it.

Sources (checked 2025; the program owners confirm them each fiscal year):
- 子ども医療費支給制度: https://www.city.kyoto.lg.jp/hagukumi/page/0000067393.html
  京都市子ども医療費支給条例. Children up to the end of 中学3年生, no income limit; children who
  receive medical support through 生活保護 or ひとり親家庭等医療 are not covered (they are told
  about those instead).
- 敬老乗車証: https://www.city.kyoto.lg.jp/hokenfukushi/page/0000290133.html
  京都市敬老乗車証交付規則 (見直し 令和4年10月). Residents from a starting age that rises from 70
  to 75 with the birth date, and 合計所得金額 under 7,000,000 yen.
- ひとり親家庭等医療費支給制度: https://www.city.kyoto.lg.jp/hagukumi/page/0000160272.html
  京都市ひとり親家庭等医療費支給条例. A parent without a spouse and the children (up to the
  31 March after their 18th birthday) they raise; income limits as for 児童扶養手当 (一部支給
  for the parent, 扶養義務者 for other earners of the household), after its flat 80,000 yen
  deduction.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .calendar import age_on, school_year
from .population import CHILD, GRANDCHILD, HEAD, HUSBAND, WIFE, Population

# 敬老乗車証: (born on or before, starting age); later births start at 75.
KEIRO_START_AGES = (
    (dt.date(1952, 10, 1), 70),
    (dt.date(1953, 10, 1), 71),
    (dt.date(1954, 10, 1), 72),
    (dt.date(1955, 10, 1), 73),
    (dt.date(1956, 10, 1), 74),
)
KEIRO_FINAL_AGE = 75
KEIRO_INCOME_LIMIT = 7_000_000
KODOMO_LAST_SCHOOL_YEAR = 9  # 中学3年生
HITORIOYA_LAST_SCHOOL_YEAR = 12  # the 31 March after the 18th birthday
# 児童扶養手当 income limits from November 2024 by number of dependants (0-5, then +380,000).
HITORIOYA_PARENT_LIMITS = (2_080_000, 2_460_000, 2_840_000, 3_220_000, 3_600_000, 3_980_000)
HITORIOYA_SUPPORTER_LIMITS = (2_360_000, 2_740_000, 3_120_000, 3_500_000, 3_880_000, 4_260_000)
HITORIOYA_STEP = 380_000
HITORIOYA_DEDUCTION = 80_000
DEPENDANT_INCOME_LIMIT = 480_000  # 扶養親族: 所得 of 480,000 yen or less


def _per_household(population: Population, flags: np.ndarray) -> np.ndarray:
    return np.bincount(
        population.household, weights=flags.astype(np.float64), minlength=population.households
    ).astype(np.int64)


def _limit(table: tuple[int, ...], dependants: np.ndarray) -> np.ndarray:
    capped = np.minimum(dependants, len(table) - 1)
    return np.asarray(table)[capped] + HITORIOYA_STEP * np.maximum(dependants - len(table) + 1, 0)


def keiro(population: Population, day: dt.date) -> dict[str, np.ndarray]:
    age = age_on(population.birth_ymd, day)
    start = np.full(population.persons, KEIRO_FINAL_AGE)
    for born_by, start_age in reversed(KEIRO_START_AGES):
        start[population.birth_date <= np.datetime64(born_by)] = start_age
    old_enough = age >= start
    unknown = np.isnan(population.shotoku)
    surely = old_enough & ~unknown & (population.shotoku < KEIRO_INCOME_LIMIT)
    maybe = old_enough & unknown
    return {
        "low": _per_household(population, surely),
        "high": _per_household(population, surely | maybe),
        "old_enough": _per_household(population, old_enough),
        "income_unknown": _per_household(population, maybe),
    }


def kodomo_iryo(
    population: Population, day: dt.date, covered_elsewhere: np.ndarray
) -> dict[str, np.ndarray]:
    """``covered_elsewhere``: per household, True where 生活保護 or ひとり親家庭等医療 pays."""
    grade = school_year(population.birth_ymd, day)
    age = age_on(population.birth_ymd, day)
    # Before school (grade ≤ 0) counts from birth; everyone up to 中学3年生 is covered.
    child = (grade <= KODOMO_LAST_SCHOOL_YEAR) & (age >= 0)
    children = _per_household(population, child)
    count = np.where(covered_elsewhere, 0, children)
    return {"low": count, "high": count, "children": children}


def hitorioya_iryo(population: Population, day: dt.date) -> dict[str, np.ndarray]:
    hh = population.household
    is_parent_role = np.isin(population.relationship, (HEAD, WIFE, HUSBAND))
    parents = _per_household(population, is_parent_role)
    flagged = _per_household(population, population.single_parent & is_parent_role) > 0
    single = (parents == 1) | flagged
    grade = school_year(population.birth_ymd, day)
    child = np.isin(population.relationship, (CHILD, GRANDCHILD)) & (
        grade <= HITORIOYA_LAST_SCHOOL_YEAR
    )
    children = _per_household(population, child)

    # The parent: the head (or the flagged one); everyone else with income is a supporter.
    parent = (population.relationship == HEAD) & single[hh]
    shotoku = population.shotoku
    unknown = np.isnan(shotoku)
    dependant = ~parent & ~unknown & (shotoku <= DEPENDANT_INCOME_LIMIT)
    dependants = _per_household(population, dependant)
    income = np.nan_to_num(shotoku) - HITORIOYA_DEDUCTION
    parent_limit = _limit(HITORIOYA_PARENT_LIMITS, dependants)[hh]
    supporter_limit = _limit(HITORIOYA_SUPPORTER_LIMITS, dependants)[hh]
    over = np.where(parent, income >= parent_limit, ~dependant & (income >= supporter_limit))
    over_known = _per_household(population, over & ~unknown) > 0
    unknown_any = _per_household(population, unknown & (parent | ~child)) > 0

    qualifies = single & (children > 0)
    persons = children + 1  # the children and their parent
    low = np.where(qualifies & ~over_known & ~unknown_any, persons, 0)
    high = np.where(qualifies & ~over_known, persons, 0)
    return {
        "low": low,
        "high": high,
        "children": children,
        "single_parent": single.astype(np.int64),
        "income_over_limit": over_known.astype(np.int64),
        "income_unknown": unknown_any.astype(np.int64),
    }
