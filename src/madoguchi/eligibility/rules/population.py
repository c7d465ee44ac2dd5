"""The registry as columnar arrays: one row per person, persons grouped by household.

This is the single input of every program. The app builds it from the database
(``eligibility.snapshot``), the benchmark from the synthetic generator; both then go through the
same evaluation code.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import numpy as np

# 続柄, in the order of residents.models.Person.Relationship (checked by a test).
RELATIONSHIPS = (
    "head",
    "wife",
    "husband",
    "child",
    "father",
    "mother",
    "grandchild",
    "sibling",
    "other",
)
HEAD, WIFE, HUSBAND, CHILD, FATHER, MOTHER, GRANDCHILD, SIBLING, OTHER = range(9)
MALE, FEMALE = 0, 1
# 療育手帳: 0 none, 1 A (重度), 2 B (中軽度).
RYOIKU_GRADES = ("", "A", "B")


@dataclasses.dataclass
class Population:
    """Persons sorted by household; ``household`` indexes the household arrays.

    Incomes are yen a year from the resident-tax ledger (課税台帳): ``income`` is 収入 (gross),
    ``shotoku`` is 所得 (合計所得金額). NaN means the ledger has no figure for the person (not
    declared, moved in after 1 January): never read as zero.
    """

    # persons
    household: np.ndarray  # int64 index into the household arrays
    birth_date: np.ndarray  # datetime64[D]
    sex: np.ndarray  # int8: MALE / FEMALE
    relationship: np.ndarray  # int8: index into RELATIONSHIPS
    income: np.ndarray  # float64, NaN when unknown
    shotoku: np.ndarray  # float64, NaN when unknown
    shintai: np.ndarray  # int8: 身体障害者手帳 grade 1-7, 0 none
    ryoiku: np.ndarray  # int8: 療育手帳 1 A, 2 B, 0 none
    seishin: np.ndarray  # int8: 精神障害者保健福祉手帳 grade 1-3, 0 none
    single_parent: np.ndarray  # bool: ひとり親 in the ledger (ひとり親控除)
    widow: np.ndarray  # bool: 寡婦 in the ledger (寡婦控除)
    # households
    ward: np.ndarray  # int16: index into the caller's list of wards
    # current recipients: program code -> bool per household
    recipients: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)

    PERSON_FIELDS = (
        "household",
        "birth_date",
        "sex",
        "relationship",
        "income",
        "shotoku",
        "shintai",
        "ryoiku",
        "seishin",
        "single_parent",
        "widow",
    )

    @functools.cached_property
    def birth_ymd(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        from .calendar import ymd

        return ymd(self.birth_date)

    @property
    def persons(self) -> int:
        return len(self.household)

    @property
    def households(self) -> int:
        return len(self.ward)

    def save(self, path: Path) -> None:
        arrays = {name: getattr(self, name) for name in (*self.PERSON_FIELDS, "ward")}
        arrays.update({f"recipient:{code}": value for code, value in self.recipients.items()})
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> Population:
        with np.load(path) as data:
            fields = {name: data[name] for name in (*cls.PERSON_FIELDS, "ward")}
            recipients = {
                key.removeprefix("recipient:"): data[key]
                for key in data.files
                if key.startswith("recipient:")
            }
        return cls(**fields, recipients=recipients)

    def subset(self, households: np.ndarray) -> Population:
        """The households whose indexes are ``households`` (sorted), renumbered from 0."""
        keep = np.isin(self.household, households)
        renumber = np.full(self.households, -1, dtype=np.int64)
        renumber[households] = np.arange(len(households))
        fields = {name: getattr(self, name)[keep] for name in self.PERSON_FIELDS}
        fields["household"] = renumber[fields["household"]]
        return Population(
            **fields,
            ward=self.ward[households],
            recipients={code: value[households] for code, value in self.recipients.items()},
        )

    def validate(self) -> None:
        """Refuse arrays that would silently mis-evaluate (unsorted, wrong lengths)."""
        n = self.persons
        for name in self.PERSON_FIELDS:
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} has {len(getattr(self, name))} rows, expected {n}")
        if n and np.any(np.diff(self.household) < 0):
            raise ValueError("persons must be sorted by household")
        if n and (self.household.min() < 0 or self.household.max() >= self.households):
            raise ValueError("household index out of range")
