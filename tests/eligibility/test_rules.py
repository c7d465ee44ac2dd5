"""Hand-checked households at the boundaries, through the real engine (the rules environment),
and a cross-check against stock OpenFisca-Japan on generated households."""

import datetime as dt
import subprocess

import numpy as np
import pytest
from django.conf import settings

from madoguchi.eligibility import engine
from madoguchi.eligibility.rules import kyoto
from madoguchi.eligibility.rules.population import (
    CHILD,
    FATHER,
    HEAD,
    RELATIONSHIPS,
    WIFE,
    Population,
)
from madoguchi.residents.models import Person

DAY = dt.date(2026, 4, 1)


def households(*members: list[tuple]) -> Population:
    """Each household: a list of (relationship, birth date, 所得 or None, certificates)."""
    rows = [(h, *m) for h, people in enumerate(members) for m in people]
    n = len(rows)

    def column(index, default=0):
        return [row[index] if len(row) > index else default for row in rows]

    shotoku = np.array([np.nan if v is None else v for v in column(3)], dtype=np.float64)
    certificates = column(4, {})
    return Population(
        household=np.array(column(0), dtype=np.int64),
        birth_date=np.array(column(2), dtype="datetime64[D]"),
        sex=np.zeros(n, dtype=np.int8),
        relationship=np.array(column(1), dtype=np.int8),
        income=shotoku.copy(),
        shotoku=shotoku,
        shintai=np.array([c.get("shintai", 0) for c in certificates], dtype=np.int8),
        ryoiku=np.array([c.get("ryoiku", 0) for c in certificates], dtype=np.int8),
        seishin=np.zeros(n, dtype=np.int8),
        single_parent=np.zeros(n, dtype=bool),
        widow=np.zeros(n, dtype=bool),
        ward=np.zeros(len(members), dtype=np.int16),
    )


def test_relationship_codes_match_the_registry() -> None:
    assert tuple(Person.Relationship.values) == RELATIONSHIPS


def test_child_allowance_counts_the_third_child_among_those_up_to_22() -> None:
    parents = [(HEAD, dt.date(1980, 5, 1), 5_000_000), (WIFE, dt.date(1982, 5, 1), 0)]
    population = households(
        # 20, 17 and 10: the 20-year-old gets nothing but makes the 10-year-old the third
        # child (30,000 yen); with the 17-year-old (10,000) that is 40,000.
        [*parents, (CHILD, dt.date(2005, 6, 1), 0), (CHILD, dt.date(2008, 6, 1), 0),
         (CHILD, dt.date(2015, 6, 1), 0)],
        # 23, 17 and 10: the 23-year-old no longer counts, so 10,000 + 10,000.
        [*parents, (CHILD, dt.date(2002, 6, 1), 0), (CHILD, dt.date(2008, 6, 1), 0),
         (CHILD, dt.date(2015, 6, 1), 0)],
        # A baby under 3: 15,000 yen.
        [*parents, (CHILD, dt.date(2024, 4, 2), 0)],
        # A 19-year-old only: past high school, nothing.
        [*parents, (CHILD, dt.date(2006, 6, 1), 0)],
    )  # fmt: skip
    results = engine.run(population, DAY)
    assert results["jido-teate"]["high"].tolist() == [40_000, 20_000, 15_000, 0]


def test_missing_income_makes_public_assistance_possible_never_not_eligible() -> None:
    population = households(
        [(HEAD, dt.date(1960, 1, 1), None)],  # no figure in the ledger
        [(HEAD, dt.date(1960, 1, 1), 0)],  # known to have no income
        [(HEAD, dt.date(1960, 1, 1), 9_000_000)],
    )
    hogo = engine.run(population, DAY)["seikatsu-hogo"]
    assert hogo["low"][0] == 0
    assert hogo["high"][0] > 0
    assert hogo["low"][1] > 0  # eligible
    assert hogo["high"][2] == 0  # not eligible
    assert hogo["income_unknown"].tolist() == [1, 0, 0]


def test_child_rearing_allowance_income_limit_for_a_single_parent() -> None:
    child = (CHILD, dt.date(2016, 6, 1), 0)
    population = households(
        [(HEAD, dt.date(1988, 1, 1), 600_000), child],  # full payment
        [(HEAD, dt.date(1988, 1, 1), 2_500_000), child],  # partial: a range
        [(HEAD, dt.date(1988, 1, 1), 5_000_000), child],  # over the limit
    )
    fuyo = engine.run(population, DAY)["jido-fuyo-teate"]
    assert fuyo["low"].tolist()[0] == fuyo["high"].tolist()[0] == 46_690
    assert 0 < fuyo["low"][1] < fuyo["high"][1]
    assert fuyo["high"][2] == 0


def test_keiro_starting_age_follows_the_birth_date_and_income_limit() -> None:
    population = households(
        [(HEAD, dt.date(1952, 10, 1), 1_000_000)],  # 73, starts at 70
        [(HEAD, dt.date(1955, 10, 2), 1_000_000)],  # 70, starts at 74
        [(HEAD, dt.date(1950, 1, 1), 6_999_000)],  # under the limit
        [(HEAD, dt.date(1950, 1, 1), 7_000_000)],  # at the limit: no
        [(HEAD, dt.date(1950, 1, 1), None)],  # unknown: possibly
    )
    result = kyoto.keiro(population, DAY)
    assert result["low"].tolist() == [1, 0, 1, 0, 0]
    assert result["high"].tolist() == [1, 0, 1, 0, 1]


def test_child_medical_covers_up_to_the_third_year_of_junior_high() -> None:
    parent = (HEAD, dt.date(1980, 1, 1), 3_000_000)
    population = households(
        [parent, (CHILD, dt.date(2011, 4, 2), 0)],  # starts 中学3年生 on 1 April 2026
        [parent, (CHILD, dt.date(2011, 4, 1), 0)],  # 高校1年生 from 1 April 2026
        [parent, (FATHER, dt.date(1950, 1, 1), 0)],  # no children
    )
    covered = np.zeros(3, dtype=bool)
    assert kyoto.kodomo_iryo(population, DAY, covered)["low"].tolist() == [1, 0, 0]
    covered[0] = True  # 生活保護 pays instead
    assert kyoto.kodomo_iryo(population, DAY, covered)["low"].tolist() == [0, 0, 0]


def test_single_parent_medical_income_limit_and_unknown_income() -> None:
    child = (CHILD, dt.date(2010, 6, 1), 0)
    population = households(
        [(HEAD, dt.date(1985, 1, 1), 2_000_000), child],  # 2,000,000 - 80,000 < 2,460,000
        [(HEAD, dt.date(1985, 1, 1), 2_540_000), child],  # 2,460,000 after the deduction: no
        [(HEAD, dt.date(1985, 1, 1), None), child],
        [(HEAD, dt.date(1985, 1, 1), 2_000_000), (WIFE, dt.date(1985, 1, 1), 0), child],
    )
    result = kyoto.hitorioya_iryo(population, DAY)
    assert result["low"].tolist() == [2, 0, 0, 0]
    assert result["high"].tolist() == [2, 0, 2, 0]


CROSS_CHECK = """
import numpy as np
from madoguchi.eligibility.rules import evaluate, synthetic
import datetime as dt
population = synthetic.generate(6000, seed=7)
day = dt.date(2026, 4, 1)
ours = evaluate.national(population, day, evaluate.national_engine())
stock = evaluate.national(population, day, evaluate.national_engine(stock=True))
differ = np.zeros(population.households, dtype=bool)
for code in stock:
    for bound in ("low", "high"):
        differ |= ours[code][bound] != stock[code][bound]
found = sum(int((stock[code]["high"] > 0).sum()) for code in stock)
print(population.households, found, int(differ.sum()))
"""


def test_results_equal_stock_openfisca_japan_on_generated_households() -> None:
    src = str(settings.SRC_DIR.parent)
    completed = subprocess.run(
        [str(engine.rules_python()), "-c", CROSS_CHECK],
        env={"PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=True,
    )
    count, found, differ = map(int, completed.stdout.split())
    assert count > 3000
    assert found > 300  # the check compares real results, not only zeros
    assert differ == 0


@pytest.fixture(autouse=True)
def _rules_environment() -> None:
    engine.rules_python()  # fails with "make rules" when the environment is missing
