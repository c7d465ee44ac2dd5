"""The national programs through OpenFisca-Japan's vectorised API: the whole registry is one
simulation with one row per person and one per household.

Runs only in the isolated rules environment (OpenFisca-Japan pins OpenFisca-Core 41 and
numpy < 1.25; see ``runner``). ``stock=True`` builds the simulation exactly as OpenFisca's
documentation shows ("run a simulation on data"), which the benchmark and the cross-check tests
use as the reference; the default adds the Reforms in ``reforms`` and skips OpenFisca's
per-person Python loops while building, without changing any result.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .population import CHILD, FATHER, GRANDCHILD, HEAD, HUSBAND, MOTHER, WIFE, Population

# What we compute for each national program: (our output name, OpenFisca-Japan variable).
OUTPUTS = (
    ("jido-teate", "児童手当", "児童手当"),
    ("jido-fuyo-teate", "児童扶養手当_最小", "児童扶養手当_最大"),
    ("tokubetsu-jido-fuyo-teate", "特別児童扶養手当_最小", "特別児童扶養手当_最大"),
    ("shogaiji-fukushi-teate", "障害児福祉手当", "障害児福祉手当"),
    ("seikatsu-hogo", "生活保護", "生活保護"),
)
# Income used where the ledger has no figure: once nothing (the most a household could get),
# once far above every limit (the least). Both bound the true result.
UNKNOWN_INCOME_LOW = 0.0
UNKNOWN_INCOME_HIGH = 1e10

# 続柄 → OpenFisca-Japan's household roles. The head and spouse are 親 (it allows two); children
# and grandchildren are 子; everyone else (parents of the head, siblings, others) is 祖父母, the
# role for "other individuals living in the household".
PARENT_RELATIONSHIPS = (HEAD, WIFE, HUSBAND)
CHILD_RELATIONSHIPS = (CHILD, GRANDCHILD)
SHINTAI = ("無", "一級", "二級", "三級", "四級", "五級", "六級", "七級")
RYOIKU = ("無", "A", "B")
SEISHIN = ("無", "一級", "二級", "三級")
PREFECTURE, CITY = "京都府", "京都市"

_ = (FATHER, MOTHER)  # documented above; they map to 祖父母 like any other relative


@functools.cache
def tax_benefit_system(*, stock: bool = False):
    from openfisca_japan import CountryTaxBenefitSystem

    system = CountryTaxBenefitSystem()
    if stock:
        return system
    from .reforms import FastLookups

    return FastLookups(system)


def roles(population: Population) -> np.ndarray:
    role = np.full(population.persons, 2, dtype=np.int64)  # 祖父母
    role[np.isin(population.relationship, PARENT_RELATIONSHIPS)] = 0  # 親
    role[np.isin(population.relationship, CHILD_RELATIONSHIPS)] = 1  # 子
    return role


def household_any(population: Population, flags: np.ndarray) -> np.ndarray:
    return np.bincount(population.household[flags], minlength=population.households) > 0


@dataclass
class Simulation:
    simulation: object
    period: str

    def calculate(self, variable: str) -> np.ndarray:
        return np.asarray(self.simulation.calculate(variable, self.period), dtype=np.float64)


def build(population: Population, as_of: str, *, unknown_income: float, stock: bool = False):
    """One OpenFisca simulation of every household on ``as_of`` (YYYY-MM-DD)."""
    from openfisca_core.indexed_enums import EnumArray
    from openfisca_core.simulations import SimulationBuilder

    system = tax_benefit_system(stock=stock)
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("人物", np.arange(population.persons))
    households = builder.declare_entity("世帯", np.arange(population.households))
    role_index = roles(population)
    if stock:
        builder.join_with_persons(
            households, population.household, np.array(["親", "子", "祖父母"])[role_index]
        )
    else:
        builder.join_with_persons(households, population.household, np.zeros(1, dtype=int))
        # Roles as one object array indexed at once: OpenFisca's setter copies them through a
        # Python list, one Role at a time.
        households._members_role = np.array(households.entity.flattened_roles, dtype=object)[
            role_index
        ]
        # Persons are sorted by household, so each one's place in it is a running count;
        # OpenFisca would otherwise count it in a Python loop over every person.
        group = households
        sizes = np.bincount(population.household, minlength=population.households)
        starts = np.cumsum(sizes) - sizes
        group.members_position = (
            np.arange(population.persons) - starts[population.household]
        ).astype(group.members_entity_id.dtype)
    simulation = builder.build(system)
    if not stock:
        from . import populations

        populations.install(simulation.persons, households, role_index)
    period = as_of

    def enum(variable: str, labels: tuple[str, ...], codes: np.ndarray) -> None:
        if stock:
            simulation.set_input(variable, period, np.array(labels)[codes])
        else:
            possible = system.variables[variable].possible_values
            simulation.set_input(variable, period, EnumArray(codes.astype(np.int16), possible))

    simulation.set_input("誕生年月日", period, population.birth_date)
    income = np.where(np.isnan(population.income), unknown_income, population.income)
    shotoku = np.where(np.isnan(population.shotoku), unknown_income, population.shotoku)
    simulation.set_input("収入", period, income)
    simulation.set_input("所得", period, shotoku)
    enum("身体障害者手帳等級", SHINTAI, population.shintai)
    enum("療育手帳等級", RYOIKU, population.ryoiku)
    enum("精神障害者保健福祉手帳等級", SEISHIN, population.seishin)
    count = population.households
    simulation.set_input("居住都道府県", period, np.full(count, PREFECTURE))
    simulation.set_input("居住市区町村", period, np.full(count, CITY))
    two_parents = np.bincount(population.household[role_index == 0], minlength=count) == 2
    simulation.set_input(
        "配偶者がいるがひとり親に該当",
        period,
        two_parents & household_any(population, population.single_parent),
    )
    simulation.set_input("夫と離別死別", period, household_any(population, population.widow))
    return Simulation(simulation, period)


def evaluate(
    population: Population, as_of: str, *, unknown_income: float, stock: bool = False
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Monthly amounts per household: program code → (lowest, highest)."""
    simulation = build(population, as_of, unknown_income=unknown_income, stock=stock)
    results = {}
    for code, low, high in OUTPUTS:
        low_values = simulation.calculate(low)
        results[code] = (low_values, low_values if high == low else simulation.calculate(high))
    return results
