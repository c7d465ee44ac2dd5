"""Every program over the whole registry at once: the one path the app, the tests and the
benchmark share.

Where the ledger lacks someone's income, the household is evaluated twice, with that income
at nothing and far above every limit: the two bound the truth, so such a household is "possibly
eligible" with a range, never silently not eligible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from . import kyoto
from .population import CHILD, GRANDCHILD, Population
from .programs import PROGRAMS

Results = dict[str, dict[str, np.ndarray]]
NationalEngine = Callable[..., dict[str, tuple[np.ndarray, np.ndarray]]]


def national_engine(*, stock: bool = False) -> NationalEngine:
    from . import openfisca_engine

    def run(population: Population, as_of: str, unknown_income: float):
        return openfisca_engine.evaluate(
            population, as_of, unknown_income=unknown_income, stock=stock
        )

    return run


def national(population: Population, day: dt.date, engine: NationalEngine) -> Results:
    from .openfisca_engine import UNKNOWN_INCOME_HIGH, UNKNOWN_INCOME_LOW

    as_of = day.isoformat()
    best = engine(population, as_of, UNKNOWN_INCOME_LOW)
    results = {code: {"low": low, "high": high} for code, (low, high) in best.items()}
    unknown = np.isnan(population.income) | np.isnan(population.shotoku)
    uncertain = np.unique(population.household[unknown])
    flag = np.zeros(population.households, dtype=np.int64)
    flag[uncertain] = 1
    if len(uncertain):
        worst = engine(population.subset(uncertain), as_of, UNKNOWN_INCOME_HIGH)
        for code, (low, high) in worst.items():
            both_low = results[code]["low"].astype(np.float64)
            both_high = results[code]["high"].astype(np.float64)
            both_low[uncertain] = np.minimum(both_low[uncertain], low)
            both_high[uncertain] = np.maximum(both_high[uncertain], high)
            results[code] = {"low": both_low, "high": both_high}
    for code in results:
        results[code]["income_unknown"] = flag
    return results


def facts(population: Population, day: dt.date) -> dict[str, np.ndarray]:
    """Plain facts per household that explain results to people (children by age, etc.)."""
    from .calendar import age_on, school_year

    hh, count = population.household, population.households
    age = age_on(population.birth_ymd, day)
    grade = school_year(population.birth_ymd, day)
    child = np.isin(population.relationship, (CHILD, GRANDCHILD))

    def per(flags: np.ndarray) -> np.ndarray:
        return np.bincount(hh[flags], minlength=count)

    certificate = (population.shintai > 0) | (population.ryoiku > 0) | (population.seishin > 0)
    return {
        "children_to_high_school": per(child & (grade <= 12)),
        "children_under_3": per(child & (age < 3)),
        "children_with_certificate": per(child & certificate & (age < 20)),
        "members": np.bincount(hh, minlength=count),
    }


def evaluate(population: Population, day: dt.date, engine: NationalEngine | None = None) -> Results:
    population.validate()
    results = national(population, day, engine or national_engine())
    in_force = {program.code for program in PROGRAMS if program.in_force(day)}
    receives = population.recipients
    hitorioya = kyoto.hitorioya_iryo(population, day)
    covered = receives.get("seikatsu-hogo", np.zeros(population.households, bool)) | receives.get(
        "hitorioya-iryo", np.zeros(population.households, bool)
    )
    covered = covered | (hitorioya["low"] > 0)
    results["hitorioya-iryo"] = hitorioya
    results["kodomo-iryo"] = kyoto.kodomo_iryo(population, day, covered)
    results["keiro-jyoshasho"] = kyoto.keiro(population, day)
    for code in list(results):
        if code not in in_force:
            results[code]["low"] = np.zeros(population.households)
            results[code]["high"] = np.zeros(population.households)
    results["_facts"] = facts(population, day)
    return results


def save(results: Results, path) -> None:
    np.savez(
        path,
        **{
            f"{code}|{name}": array
            for code, values in results.items()
            for name, array in values.items()
        },
    )


def load(path) -> Results:
    results: Results = {}
    with np.load(path) as data:
        for key in data.files:
            code, name = key.split("|", 1)
            results.setdefault(code, {})[name] = data[key]
    return results
