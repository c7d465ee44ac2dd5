"""A deterministic synthetic registry shaped like Kyoto City: the same seed, the same city.

About 1.45 million persons in about 750,000 households over the 11 wards (2020 census shares),
about 11 % under 15 and 29 % aged 65 and over, household shapes from students living alone to
three generations, incomes from the resident-tax ledger (給与 and 年金), disability certificates,
a few persons with no declared income, and current recipients of each benefit with realistic
take-up (so that a run finds who newly qualifies and who no longer does).

Everything is drawn in vectorised numpy: the full city takes a second or two.
"""

from __future__ import annotations

import numpy as np

from .population import (
    CHILD,
    FATHER,
    FEMALE,
    HEAD,
    HUSBAND,
    MALE,
    MOTHER,
    SIBLING,
    WIFE,
    Population,
)

KYOTO_PERSONS = 1_450_000
REFERENCE_DATE = np.datetime64("2026-04-01")
# Wards in order of their 全国地方公共団体コード (北区 26101 … 西京区 26111), 2020 census.
WARD_POPULATION = np.array(
    [117165, 83264, 166039, 110488, 36602, 82784, 101970, 202943, 277858, 135101, 149837],
    dtype=np.float64,
)

# Household shapes: (share of households, head's age range, spouse?, children?, elders, other)
SINGLE_YOUNG, SINGLE_MIDDLE, SINGLE_OLD, COUPLE_OLD, COUPLE, FAMILY, SINGLE_PARENT = range(7)
THREE_GENERATIONS, WITH_OLD_PARENTS, SIBLINGS = 7, 8, 9
SHAPES = np.array(
    # share, head age low, head age high
    [
        [0.240, 18, 39],  # students and young workers living alone
        [0.085, 40, 64],
        [0.172, 65, 99],
        [0.118, 65, 92],
        [0.085, 25, 64],
        [0.135, 26, 56],
        [0.034, 22, 54],
        [0.030, 30, 52],
        [0.073, 38, 66],
        [0.025, 20, 60],
    ]
)
SHAPE_SHARES = SHAPES[:, 0] / SHAPES[:, 0].sum()


def _wage_deduction(income: np.ndarray) -> np.ndarray:
    """給与所得控除 (所得税法第28条, from 2020)."""
    return np.select(
        [income <= 1_625_000, income <= 1_800_000, income <= 3_600_000, income <= 6_600_000,
         income <= 8_500_000],
        [550_000, income * 0.4 - 100_000, income * 0.3 + 80_000, income * 0.2 + 440_000,
         income * 0.1 + 1_100_000],
        1_950_000,
    )  # fmt: skip


def _pension_deduction(income: np.ndarray) -> np.ndarray:
    """公的年金等控除 for those aged 65 and over (所得税法第35条, other income up to 10 M)."""
    return np.select(
        [income <= 3_300_000, income <= 4_100_000, income <= 7_700_000, income <= 10_000_000],
        [1_100_000, income * 0.25 + 275_000, income * 0.15 + 685_000, income * 0.05 + 1_455_000],
        1_955_000,
    )


def generate(persons: int = KYOTO_PERSONS, *, seed: int = 261009) -> Population:
    """About ``persons`` residents (the count is reached on average, not exactly)."""
    rng = np.random.default_rng(seed)
    households = max(1, round(persons / 1.90))
    shape = rng.choice(len(SHAPES), size=households, p=SHAPE_SHARES)
    low, high = SHAPES[shape, 1], SHAPES[shape, 2]
    head_age = rng.integers(low, high + 1)

    # How many of each kind of member each household has.
    spouse = np.isin(shape, [COUPLE_OLD, COUPLE, FAMILY, THREE_GENERATIONS]) | (
        (shape == WITH_OLD_PARENTS) & (rng.random(households) < 0.45)
    )
    with_children = np.isin(shape, [FAMILY, SINGLE_PARENT, THREE_GENERATIONS])
    children = np.where(
        with_children, rng.choice([1, 2, 3, 4], size=households, p=[0.46, 0.42, 0.10, 0.02]), 0
    )
    elders = np.where(
        shape == THREE_GENERATIONS,
        rng.choice([1, 2], size=households, p=[0.6, 0.4]),
        np.where(shape == WITH_OLD_PARENTS, rng.choice([1, 2], size=households, p=[0.7, 0.3]), 0),
    )
    others = np.where(shape == SIBLINGS, 1, 0)
    size = 1 + spouse + children + elders + others

    # One row per person, by household; the position inside the household decides the role.
    household = np.repeat(np.arange(households), size)
    n = len(household)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    position = np.arange(n) - starts[household]
    spouse_p, children_p, elders_p = spouse[household], children[household], elders[household]
    is_spouse = (position >= 1) & (position < 1 + spouse_p)
    is_child = (position >= 1 + spouse_p) & (position < 1 + spouse_p + children_p)
    is_elder = (position >= 1 + spouse_p + children_p) & (
        position < 1 + spouse_p + children_p + elders_p
    )
    is_other = (position > 0) & ~is_spouse & ~is_child & ~is_elder
    is_head = position == 0

    # Sex: heads of couples mostly men, single parents mostly mothers.
    head_female = np.where(
        spouse,
        rng.random(households) < 0.15,
        np.where(
            shape == SINGLE_PARENT, rng.random(households) < 0.88, rng.random(households) < 0.55
        ),
    )
    sex = rng.integers(0, 2, size=n).astype(np.int8)
    sex[is_head] = np.where(head_female, FEMALE, MALE)
    sex[is_spouse] = np.where(head_female[household[is_spouse]], MALE, FEMALE)

    # Ages: spouses near the head, children born when the head was 20 or older, elders a
    # generation above.
    h_age = head_age[household]
    age = h_age.copy()
    age[is_spouse] = np.clip(h_age[is_spouse] + rng.integers(-5, 4, size=is_spouse.sum()), 18, 99)
    oldest_child = np.clip(h_age - 20, 0, 22)
    spread = np.minimum(oldest_child[is_child] + 1, 12)
    age[is_child] = oldest_child[is_child] - (rng.random(is_child.sum()) * spread).astype(np.int64)
    age[is_elder] = np.clip(h_age[is_elder] + rng.integers(24, 36, size=is_elder.sum()), 65, 104)
    age[is_other] = np.clip(h_age[is_other] + rng.integers(-8, 9, size=is_other.sum()), 18, 99)
    days = (age * 365.25 + rng.random(n) * 365).astype(np.int64)
    birth_date = REFERENCE_DATE - days.astype("timedelta64[D]")

    relationship = np.full(n, SIBLING, dtype=np.int8)
    relationship[is_head] = HEAD
    relationship[is_spouse] = np.where(sex[is_spouse] == FEMALE, WIFE, HUSBAND)
    relationship[is_child] = CHILD
    relationship[is_elder] = np.where(sex[is_elder] == FEMALE, MOTHER, FATHER)

    # Incomes (収入) and 所得 as the resident-tax ledger holds them.
    shape_p = shape[household]
    income = np.zeros(n)
    worker = (age >= 18) & (age < 65) & ~is_child
    median = np.where(
        is_spouse,
        1_300_000,
        np.where(
            shape_p == SINGLE_PARENT,
            2_300_000,
            np.where(shape_p == SINGLE_YOUNG, 2_600_000, 4_600_000),
        ),
    )
    draws = median * np.exp(rng.normal(0, 0.6, size=n))
    working = worker & (rng.random(n) < np.where(is_spouse, 0.55, 0.92))
    income[working] = draws[working]
    student_job = (age >= 16) & (age <= 22) & (is_child | (shape_p == SINGLE_YOUNG))
    student_job &= rng.random(n) < 0.45
    income[student_job] = rng.random(student_job.sum()) * 1_300_000
    pensioner = age >= 65
    income[pensioner] = 1_900_000 * np.exp(rng.normal(0, 0.55, size=pensioner.sum()))
    income = np.round(income, -3)
    shotoku = np.where(
        pensioner,
        np.clip(income - _pension_deduction(income), 0, None),
        np.clip(income - _wage_deduction(income), 0, None),
    )
    shotoku[income == 0] = 0
    shotoku = np.floor(shotoku / 1000) * 1000
    # Some have no figure in the ledger (moved in after 1 January, not declared).
    missing = (age >= 16) & (rng.random(n) < 0.015)
    income[missing] = np.nan
    shotoku[missing] = np.nan

    # Disability certificates, more common with age.
    r = rng.random(n)
    shintai_rate = np.where(age < 18, 0.004, np.where(age < 65, 0.015, 0.07))
    shintai = np.where(
        r < shintai_rate,
        rng.choice([1, 2, 3, 4, 5, 6], size=n, p=[0.26, 0.16, 0.17, 0.25, 0.08, 0.08]),
        0,
    ).astype(np.int8)
    ryoiku = np.where(
        rng.random(n) < np.where(age < 20, 0.013, 0.005),
        rng.choice([1, 2], size=n, p=[0.4, 0.6]),
        0,
    ).astype(np.int8)
    seishin = np.where(
        rng.random(n) < np.where((age >= 18) & (age < 65), 0.015, 0.003),
        rng.choice([1, 2, 3], size=n, p=[0.1, 0.55, 0.35]),
        0,
    ).astype(np.int8)

    # ひとり親 and 寡婦 as the ledger records them.
    single_parent = is_head & (shape_p == SINGLE_PARENT)
    # A parent whose spouse is still registered but who is ひとり親 (e.g. 遺棄, DV).
    single_parent |= is_head & (shape_p == FAMILY) & (rng.random(n) < 0.004)
    widow = is_head & (sex == FEMALE) & (shape_p == SINGLE_OLD) & (rng.random(n) < 0.35)

    ward = rng.choice(
        len(WARD_POPULATION), size=households, p=WARD_POPULATION / WARD_POPULATION.sum()
    ).astype(np.int16)

    population = Population(
        household=household.astype(np.int64),
        birth_date=birth_date,
        sex=sex,
        relationship=relationship,
        income=income,
        shotoku=shotoku,
        shintai=shintai,
        ryoiku=ryoiku,
        seishin=seishin,
        single_parent=single_parent,
        widow=widow,
        ward=ward,
    )
    population.recipients = _recipients(population, age, rng)
    return population


def _recipients(population: Population, age: np.ndarray, rng: np.random.Generator) -> dict:
    """Who receives each benefit today: most of those who qualify (take-up below 100 %), and a
    few whose situation changed since (so that a run also finds who no longer qualifies)."""
    hh = population.household
    count = population.households

    def any_member(mask: np.ndarray) -> np.ndarray:
        return np.bincount(hh[mask], minlength=count) > 0

    child = population.relationship == CHILD
    certificate = (population.shintai > 0) | (population.ryoiku > 0) | (population.seishin > 0)
    severe = ((population.shintai >= 1) & (population.shintai <= 2)) | (population.ryoiku == 1)
    income = np.nan_to_num(population.income)
    low_income = np.bincount(hh, weights=income, minlength=count) < 1_500_000
    single_parent_home = any_member(population.single_parent)

    def take_up(likely: np.ndarray, rate: float, stale: float = 0.002) -> np.ndarray:
        return (likely & (rng.random(count) < rate)) | (rng.random(count) < stale)

    return {
        "jido-teate": take_up(any_member(child & (age < 18)), 0.9),
        "jido-fuyo-teate": take_up(single_parent_home & any_member(child & (age < 18)), 0.75),
        "tokubetsu-jido-fuyo-teate": take_up(any_member(child & certificate & (age < 20)), 0.7),
        "shogaiji-fukushi-teate": take_up(any_member(severe & (age < 20)), 0.6, 0.0005),
        "seikatsu-hogo": take_up(low_income, 0.08, 0.0005),
        "kodomo-iryo": take_up(any_member(age <= 15), 0.92),
        "keiro-jyoshasho": take_up(any_member(age >= 75), 0.6),
        "hitorioya-iryo": take_up(single_parent_home & any_member(child & (age < 18)), 0.8),
    }
