"""OpenFisca Reforms that make OpenFisca-Japan fast on a whole city without changing a result.

OpenFisca-Japan finds a household's 級地 (and its 住宅扶助 and 冬季加算 areas) with one
``np.select`` condition per row of the national table: 886 string comparisons over every
household, twice. Here each distinct address is looked up once and the answer spread back with
the inverse index. The 生活扶助 tables are indexed per person by age band and 級地 with
arithmetic instead of one ``np.select`` condition per band. Every formula keeps the original's
rules (first matching row wins, the same defaults), so results are identical; the benchmark and
the cross-check tests compare every household against stock OpenFisca-Japan. Kept
upstreamable: nothing here is Madoguchi-specific.

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
    combinations = int(np.prod([len(unique) for unique, _ in columns]))
    if combinations <= 1 << 20:
        # Few possible combinations (a city has a handful of addresses): find the ones present
        # by counting, in linear time, instead of sorting every row.
        present = np.flatnonzero(np.bincount(code, minlength=combinations))
        position = np.zeros(combinations, dtype=np.int64)
        position[present] = np.arange(len(present))
        distinct, inverse = present, position[code]
    else:
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


# Lower bounds of the age bands of the 生活扶助 tables (0-2, 3-5, 6-11, …, 70-74, 75+).
AGE_BAND_STARTS = np.array([0, 3, 6, 12, 18, 20, 41, 60, 65, 70, 75])


_BAND_OF_AGE = np.searchsorted(AGE_BAND_STARTS, np.arange(AGE_BAND_STARTS[-1] + 1), "right") - 1


def age_band(age: np.ndarray) -> np.ndarray:
    """The band of ``AGE_BAND_STARTS`` each age falls in, -1 below 0: what OpenFisca-Japan's
    ``np.select`` over eleven ranges returns, by one table lookup per person."""
    return np.where(age < 0, -1, _BAND_OF_AGE[np.clip(age, 0, AGE_BAND_STARTS[-1])])


def kyuchi_index(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(級地区分1, 級地区分2) → 0 for (1, 1), 1 for (1, 2), … 5 for (3, 2), -1 otherwise: the
    column of the 生活扶助 tables, as OpenFisca-Japan's six-way ``np.select``."""
    valid = (first >= 1) & (first <= 3) & (second >= 1) & (second <= 2)
    return np.where(valid, (first - 1) * 2 + (second - 1), -1)


def _per_person_table(table: Callable[[], np.ndarray], *, by_household_size: bool = False):
    def formula(対象人物, 対象期間, _parameters):
        column = kyuchi_index(
            対象人物.世帯("居住級地区分1", 対象期間), 対象人物.世帯("居住級地区分2", 対象期間)
        )
        band = age_band(対象人物("年齢", 対象期間))
        if by_household_size:
            size = np.clip(対象人物.世帯("世帯人数", 対象期間), 1, 5) - 1
            return table()[size, band, column]
        return table()[band, column]

    return formula


class 生活扶助基準1_第1類_基準額1_世帯員(Variable):
    value_type = float
    entity = 人物
    definition_period = DAY
    label = "生活扶助基準(第1類) 基準額1"
    formula = _per_person_table(hogo.生活扶助基準1_第1類_基準額1表)


class 生活扶助基準2_第1類_基準額2_世帯員(Variable):
    value_type = float
    entity = 人物
    definition_period = DAY
    label = "生活扶助基準(第1類) 基準額2"
    formula = _per_person_table(hogo.生活扶助基準2_第1類_基準額2表)


class 生活扶助本体に係る経過的加算_世帯員(Variable):
    value_type = float
    entity = 人物
    definition_period = DAY
    label = "生活扶助本体に係る経過的加算"
    formula = _per_person_table(hogo.生活扶助本体に係る経過的加算表, by_household_size=True)


class 障害者加算(Variable):
    value_type = float
    entity = 世帯
    definition_period = DAY
    label = "障害者に関する加算"

    def formula(対象世帯, 対象期間, _parameters):
        # As OpenFisca-Japan: 身体障害者手帳 1-3級 by 級地区分1, summed over the household; the
        # grade's enum code indexes a small table instead of three comparisons per person.
        kyuchi = 対象世帯.members("居住級地区分1_世帯員", 対象期間)
        kyuchi = np.where((kyuchi >= 1) & (kyuchi <= 3), kyuchi - 1, -1)
        grade = 対象世帯.members("身体障害者手帳等級", 対象期間)
        pattern = grade.possible_values
        index_of = np.full(len(pattern), -1, dtype=np.int64)
        for band, member in enumerate((pattern.一級, pattern.二級, pattern.三級)):
            index_of[member.index] = band
        band = index_of[np.asarray(grade, dtype=np.int64)]
        amount = hogo.障害者加算表()[band, kyuchi]
        return 対象世帯.sum((band != -1) * amount)


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
    name = "Lookups once per distinct address, table indexes by arithmetic (same results)"

    def apply(self) -> None:
        for variable in (
            居住級地区分1,
            居住級地区分2,
            住宅扶助基準,
            冬季加算地域区分1,
            年齢,
            学年,
            生活扶助基準1_第1類_基準額1_世帯員,
            生活扶助基準2_第1類_基準額2_世帯員,
            生活扶助本体に係る経過的加算_世帯員,
            障害者加算,
        ):
            self.update_variable(variable)
