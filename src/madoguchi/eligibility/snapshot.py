"""The registry of one municipality as rule arrays (``rules.population.Population``).

Read in a few bulk queries, never row by row: the same code serves the demo's few hundred
residents and a city's million.
"""

import datetime as dt

import numpy as np
from django.db.models import Q

from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.residents.models import (
    BenefitReceipt,
    DisabilityCertificate,
    Household,
    Person,
    TaxLedgerEntry,
)

from .rules.population import RELATIONSHIPS, Population

RELATIONSHIP_INDEX = {code: index for index, code in enumerate(RELATIONSHIPS)}
SEX_INDEX = {Person.Sex.MALE: 0, Person.Sex.FEMALE: 1}


def wards(municipality: Municipality) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.WARD).order_by(
            "local_government_code", "id"
        )
    )


def take(municipality: Municipality, day: dt.date) -> tuple[Population, np.ndarray]:
    """The registry on ``day`` and the database id of each household row."""
    ward_index = {ward.pk: i for i, ward in enumerate(wards(municipality))}
    household_rows = list(
        Household.objects.filter(municipality=municipality)
        .order_by("id")
        .values_list("id", "ward_id")
    )
    household_ids = np.array([row[0] for row in household_rows], dtype=np.int64)
    position = {pk: i for i, pk in enumerate(household_ids.tolist())}
    person_rows = list(
        Person.objects.filter(municipality=municipality)
        .order_by("household_id", "id")
        .values_list("id", "household_id", "birth_date", "sex", "relationship")
    )
    ids = [row[0] for row in person_rows]
    index = {pk: i for i, pk in enumerate(ids)}
    n = len(ids)
    income = np.full(n, np.nan)
    shotoku = np.full(n, np.nan)
    single_parent = np.zeros(n, dtype=bool)
    widow = np.zeros(n, dtype=bool)
    # The newest ledger year each person has up to ``day``'s year.
    for person_id, income_value, shotoku_value, parent, is_widow in (
        TaxLedgerEntry.objects.filter(person__municipality=municipality, fiscal_year__lte=day.year)
        .order_by("person_id", "fiscal_year")
        .values_list("person_id", "income", "shotoku", "single_parent", "widow")
    ):
        i = index[person_id]
        income[i] = np.nan if income_value is None else income_value
        shotoku[i] = np.nan if shotoku_value is None else shotoku_value
        single_parent[i], widow[i] = parent, is_widow
    grades = {kind: np.zeros(n, dtype=np.int8) for kind in DisabilityCertificate.Kind.values}
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    for person_id, kind, grade in DisabilityCertificate.objects.filter(
        valid, person__municipality=municipality, issued_on__lte=day
    ).values_list("person_id", "kind", "grade"):
        code = 1 if grade == "A" else 2 if grade == "B" else int(grade)
        current = grades[kind][index[person_id]]
        grades[kind][index[person_id]] = code if current == 0 else min(current, code)
    recipients: dict[str, np.ndarray] = {}
    for household_id, program in BenefitReceipt.objects.filter(
        Q(until__isnull=True) | Q(until__gte=day),
        household__municipality=municipality,
        since__lte=day,
    ).values_list("household_id", "program"):
        flags = recipients.setdefault(program, np.zeros(len(household_ids), dtype=bool))
        flags[position[household_id]] = True
    population = Population(
        household=np.array([position[row[1]] for row in person_rows], dtype=np.int64),
        birth_date=np.array([row[2] for row in person_rows], dtype="datetime64[D]"),
        sex=np.array([SEX_INDEX[row[3]] for row in person_rows], dtype=np.int8),
        relationship=np.array([RELATIONSHIP_INDEX[row[4]] for row in person_rows], dtype=np.int8),
        income=income,
        shotoku=shotoku,
        shintai=grades["shintai"],
        ryoiku=grades["ryoiku"],
        seishin=grades["seishin"],
        single_parent=single_parent,
        widow=widow,
        ward=np.array([ward_index[row[1]] for row in household_rows], dtype=np.int16),
        recipients=recipients,
    )
    return population, household_ids
