"""OpenFisca Reforms that make OpenFisca-Japan fast on a whole city without changing a result.

OpenFisca-Japan finds a household's 級地 (and its 住宅扶助 and 冬季加算 areas) with one
``np.select`` condition per row of the national table: 886 string comparisons over every
household, twice. Here each distinct address is looked up once and the answer spread back with
the inverse index. Every formula keeps the original's rules (first matching row wins, the same
defaults), so results are identical; the benchmark and the cross-check tests compare every
household against stock OpenFisca-Japan. Kept upstreamable: nothing here is Madoguchi-specific.

Imported only inside the rules environment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable
from openfisca_japan.entities import 世帯, 人物
from openfisca_japan.variables import 住居
from openfisca_japan.variables.福祉 import 生活保護 as hogo

from .calendar import age_on, school_year, ymd


def first_match(
    columns: Sequence[tuple[list, np.ndarray]], keys: Sequence[Sequence[object]], default: int = -1
) -> np.ndarray:
    """For each row of the factorized ``columns``, the index of the first key equal to it (or
    ``default``): what ``np.select([(c0 == k[0]) * (c1 == k[1]) … for k in keys],
    range(len(keys)), default)`` returns, decided once per distinct row instead of per key."""
    table: dict[tuple, int] = {}
    for index, key in enumerate(keys):
        table.setdefault(tuple(key), index)
    code = np.zeros(len(columns[0][1]), dtype=np.int64)
    for unique, inverse in columns:
        code = code * len(unique) + inverse
    distinct, inverse = np.unique(code, return_inverse=True)
    answers = np.empty(len(distinct), dtype=np.int64)
    for i, value in enumerate(distinct):
        parts = []
        for unique, _ in reversed(columns):
            value, part = divmod(int(value), len(unique))
            item = unique[part]
            parts.append(item.item() if isinstance(item, np.generic) else item)
        answers[i] = table.get(tuple(reversed(parts)), default)
    return answers[inverse]


def factorize(column: np.ndarray) -> tuple[list, np.ndarray]:
    """Distinct values (as Python objects) and each row's index among them.

    A city's households share a handful of addresses, so one vectorised comparison per distinct
    value is fastest; ``np.unique`` would sort Python strings one comparison at a time.
    """
    if column.dtype.kind in "iub":
        unique, inverse = np.unique(column, return_inverse=True)
        return unique.tolist(), inverse
    inverse = np.full(len(column), -1, dtype=np.int64)
    uniques: list = []
    rest = np.arange(len(column))
    while len(rest):
        value = column[rest[0]]
        same = column[rest] == value
        inverse[rest[same]] = len(uniques)
        uniques.append(value)
        rest = rest[~same]
    return uniques, inverse


def _factorized(population, variable: str, period) -> tuple[list, np.ndarray]:
    """``factorize`` of an input variable, once per simulation (several formulas ask)."""
    cache = population.__dict__.setdefault("_madoguchi_factorized", {})
    key = (variable, str(period))
    if key not in cache:
        cache[key] = factorize(population(variable, period))
    return cache[key]


def _kyuchi(part: int, default: int) -> Callable:
    def formula(対象世帯, 対象期間, _parameters):
        index = first_match(
            [
                _factorized(対象世帯, "居住都道府県", 対象期間),
                _factorized(対象世帯, "居住市区町村", 対象期間),
            ],
            住居.市区町村級地区分_キー一覧().tolist(),
        )
        values = 住居.市区町村級地区分_値一覧()[index, part]
        return np.where(index != -1, values, default)

    return formula


class 居住級地区分1(Variable):
    value_type = int
    entity = 世帯
    label = "居住級地区分1"
    definition_period = DAY
    formula = _kyuchi(0, 3)


class 居住級地区分2(Variable):
    value_type = int
    entity = 世帯
    label = "居住級地区分2"
    definition_period = DAY
    formula = _kyuchi(1, 2)


class 住宅扶助基準(Variable):
    value_type = float
    entity = 世帯
    definition_period = DAY
    label = "住宅扶助基準"

    def formula(対象世帯, 対象期間, _parameters):
        世帯人数 = 対象世帯("世帯人数", 対象期間)
        世帯人員区分 = np.select(
            [世帯人数 == 1, 世帯人数 == 2, (世帯人数 >= 3) * (世帯人数 <= 5), 世帯人数 == 6,
             世帯人数 >= 7],
            list(range(5)),
            -1,
        ).astype(int)  # fmt: skip
        市区町村区分 = first_match(
            [_factorized(対象世帯, "居住市区町村", 対象期間)],
            [[name] for name in hogo.市ごとの住宅扶助限度額_キー一覧()],
        )
        都道府県区分 = first_match(
            [
                _factorized(対象世帯, "居住都道府県", 対象期間),
                factorize(対象世帯("居住級地区分1", 対象期間)),
            ],
            [
                [key["都道府県"], key["級地"]]
                for key in hogo.都道府県ごとの住宅扶助限度額_キー一覧()
            ],
        )
        市 = hogo.市ごとの住宅扶助限度額()[市区町村区分, 世帯人員区分]
        都道府県 = hogo.都道府県ごとの住宅扶助限度額()[都道府県区分, 世帯人員区分]
        市が適用される = 市区町村区分 != -1
        return 市が適用される * 市 + np.logical_not(市が適用される) * 都道府県


class 冬季加算地域区分1(Variable):
    value_type = int
    entity = 世帯
    definition_period = DAY
    label = "冬季加算地域区分"

    def formula(対象世帯, 対象期間, _parameters):
        index = first_match(
            [_factorized(対象世帯, "居住都道府県", 対象期間)],
            [[name] for name in hogo.地域区分表_キー一覧()],
        )
        return np.where(index != -1, hogo.地域区分表()[index], 6)


def _birth_ymd(population, period) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cache = population.__dict__.setdefault("_madoguchi_birth_ymd", {})
    if "value" not in cache:
        cache["value"] = ymd(population("誕生年月日", period))
    return cache["value"]


class 年齢(Variable):
    value_type = int
    entity = 人物
    definition_period = DAY
    label = "人物の年齢"

    def formula(対象人物, 対象期間, _parameters):
        # As OpenFisca-Japan: completed years, a birth date in the future counts as 0.
        return age_on(_birth_ymd(対象人物, 対象期間), 対象期間.start.date)


class 学年(Variable):
    value_type = int
    entity = 人物
    definition_period = DAY
    label = "人物の学年"

    def formula(対象人物, 対象期間, _parameters):
        return school_year(_birth_ymd(対象人物, 対象期間), 対象期間.start.date)


class FastLookups(Reform):
    name = "Lookups once per distinct address, dates by integer arithmetic (same results)"

    def apply(self) -> None:
        for variable in (居住級地区分1, 居住級地区分2, 住宅扶助基準, 冬季加算地域区分1, 年齢, 学年):
            self.update_variable(variable)
