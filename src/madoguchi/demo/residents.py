"""A deterministic generator of plausible Kyoto residents: the same seed, the same city."""

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from django.db import transaction

from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.residents.models import (
    BenefitReceipt,
    DisabilityCertificate,
    Household,
    Person,
    TaxLedgerEntry,
    my_number_check_digit,
)

from .kyoto import DATA
from .names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES

# Ages are computed from a fixed day, so that the generated city does not change with the date.
REFERENCE_DATE = dt.date(2026, 4, 1)
R = Person.Relationship

OTHER_HONSEKI = [
    "大阪府大阪市北区",
    "滋賀県大津市",
    "兵庫県神戸市中央区",
    "奈良県奈良市",
    "東京都千代田区",
]

HOUSEHOLD_SHAPES = [
    # (weight, shape): the head's age range, then who lives with them.
    (18, ("single", (65, 95))),
    (14, ("couple", (65, 90))),
    (18, ("single", (20, 45))),
    (10, ("couple", (25, 60))),
    (26, ("family", (28, 50))),
    (6, ("single_parent", (25, 50))),
    (8, ("three_generations", (35, 55))),
]


@dataclass
class _Rng:
    random: random.Random
    # A stream of its own, so that adding My Numbers left the rest of the city unchanged.
    numbers: random.Random
    issued: set[str] = field(default_factory=set)

    def my_number(self) -> str:
        """A fictitious 個人番号 with a valid check digit, unique in the demo city."""
        while True:
            body = f"{self.numbers.randrange(10**11):011d}"
            number = f"{body}{my_number_check_digit(body)}"
            if number not in self.issued:
                self.issued.add(number)
                return number

    def birth(self, age_low: int, age_high: int) -> dt.date:
        age_days = self.random.randint(age_low * 365, age_high * 365 + 364)
        return REFERENCE_DATE - dt.timedelta(days=age_days)

    def given(self, sex: str) -> tuple[str, str]:
        pool = MALE_GIVEN_NAMES if sex == Person.Sex.MALE else FEMALE_GIVEN_NAMES
        return self.random.choice(pool)


@transaction.atomic
def generate(municipality: Municipality, *, persons: int, seed: int = 261009) -> int:
    """Create households across every ward until about ``persons`` people live in them."""
    rng = _Rng(random.Random(seed), numbers=random.Random(f"my-number-{seed}"))
    towns = json.loads((DATA / "kyoto_towns.json").read_text(encoding="utf-8"))
    wards = list(
        OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.WARD).order_by(
            "local_government_code"
        )
    )
    weights = [w for w, _ in HOUSEHOLD_SHAPES]
    shapes = [s for _, s in HOUSEHOLD_SHAPES]
    created = 0
    sequence = Household.objects.filter(municipality=municipality).count()
    while created < persons:
        ward = wards[sequence % len(wards)]  # every ward gets its share
        sequence += 1
        ward_name = ward.name_ja.removesuffix("役所")
        town = rng.random.choice(towns[ward_name])
        household = Household.objects.create(
            municipality=municipality,
            ward=ward,
            number=f"{ward.local_government_code[:5]}{sequence:07d}",
            postal_code=town["postal_code"],
            prefecture="京都府",
            city=f"京都市{ward_name}",
            town=town["town"],
            block=f"{rng.random.randint(1, 150)}番地",
            building=(
                f"{rng.random.choice(['コーポ', 'ハイツ', 'メゾン'])}{town['town'][:2]}"
                f"{rng.random.randint(1, 5)}0{rng.random.randint(1, 9)}号"
                if rng.random.random() < 0.3
                else ""
            ),
        )
        kind, ages = rng.random.choices(shapes, weights)[0]
        created += _populate(household, kind, ages, rng, ward_name)
    return created


def _populate(household: Household, kind: str, ages: tuple[int, int], rng: _Rng, ward: str) -> int:
    family, family_kana = rng.random.choice(FAMILY_NAMES)
    head_sex = rng.random.choice([Person.Sex.MALE, Person.Sex.FEMALE])
    if kind in {"couple", "family", "three_generations"}:
        head_sex = Person.Sex.MALE if rng.random.random() < 0.85 else Person.Sex.FEMALE
    head_birth = rng.birth(*ages)
    honseki = (
        f"京都府京都市{ward}{household.town}{rng.random.randint(1, 150)}番地"
        if rng.random.random() < 0.6
        else f"{rng.random.choice(OTHER_HONSEKI)}"
        f"{rng.random.randint(1, 9)}丁目{rng.random.randint(1, 30)}番"
    )
    people: list[tuple[str, dt.date, str]] = [(R.HEAD, head_birth, head_sex)]
    spouse_sex = Person.Sex.FEMALE if head_sex == Person.Sex.MALE else Person.Sex.MALE
    spouse_rel = R.SPOUSE_WIFE if spouse_sex == Person.Sex.FEMALE else R.SPOUSE_HUSBAND
    if kind in {"couple", "family", "three_generations"}:
        offset = rng.random.randint(-6, 6) * 365
        people.append((spouse_rel, head_birth + dt.timedelta(days=offset), spouse_sex))
    if kind in {"family", "single_parent", "three_generations"}:
        head_age = (REFERENCE_DATE - head_birth).days // 365
        oldest = max(0, min(head_age - 20, 22))
        for _ in range(rng.random.choice([1, 1, 2, 2, 3])):
            child_age = rng.random.randint(0, max(0, oldest))
            people.append(
                (R.CHILD, rng.birth(child_age, child_age), rng.random.choice(Person.Sex.values))
            )
    if kind == "three_generations":
        people.append(
            (
                R.MOTHER,
                head_birth - dt.timedelta(days=rng.random.randint(24, 36) * 365),
                Person.Sex.FEMALE,
            )
        )
    head_given = rng.given(head_sex)
    hittousha = f"{family} {head_given[0]}" if head_sex == Person.Sex.MALE else ""
    for relationship, birth, sex in people:
        given, given_kana = head_given if relationship == R.HEAD else rng.given(sex)
        born_here = relationship == R.CHILD or rng.random.random() < 0.35
        moved_in = (
            birth
            if born_here
            else max(
                birth + dt.timedelta(days=18 * 365),
                REFERENCE_DATE - dt.timedelta(days=rng.random.randint(30, 30 * 365)),
            )
        )
        Person.objects.create(
            municipality=household.municipality,
            household=household,
            resident_code=f"{rng.random.randrange(10**10, 10**11)}",
            family_name=family,
            given_name=given,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            birth_date=birth,
            sex=sex,
            relationship=relationship,
            honseki=honseki,
            hittousha=hittousha or f"{family} {given}",
            my_number=rng.my_number(),
            became_resident_on=min(moved_in, REFERENCE_DATE),
            address_since=min(moved_in, REFERENCE_DATE),
        )
    return len(people)


@transaction.atomic
def add_ledgers(municipality: Municipality, *, seed: int = 261009) -> None:
    """Incomes from the tax ledger, disability certificates and current benefit recipients for
    the generated residents, so that the eligibility engine has something to find: most
    families already receive 児童手当, some do not yet, a few lack an income figure."""
    rng = random.Random(seed + 1)
    fiscal_year = REFERENCE_DATE.year
    entries, certificates = [], []
    for person in Person.objects.filter(municipality=municipality).order_by("id"):
        age = person.age_on(REFERENCE_DATE)
        if age >= 16 and rng.random() < 0.03:
            continue  # no figure in the ledger: the engine must say "possibly"
        if age < 16:
            income = 0
        elif age >= 65:
            income = round(rng.lognormvariate(14.45, 0.5), -3)  # about 1.9 M yen of pension
        elif person.relationship in {R.SPOUSE_WIFE, R.SPOUSE_HUSBAND}:
            income = 0 if rng.random() < 0.45 else round(rng.lognormvariate(14.1, 0.6), -3)
        else:
            income = round(rng.lognormvariate(15.3, 0.6), -3)  # about 4.4 M yen of wages
        deduction = 1_100_000 if age >= 65 else 550_000 if income <= 1_625_000 else income * 0.3
        entries.append(
            TaxLedgerEntry(
                person=person,
                fiscal_year=fiscal_year,
                income=income,
                shotoku=max(0, round(income - deduction, -3)),
                single_parent=person.relationship == R.HEAD
                and not person.household.members.filter(
                    relationship__in=[R.SPOUSE_WIFE, R.SPOUSE_HUSBAND]
                ).exists()
                and person.household.members.filter(relationship=R.CHILD).exists(),
            )
        )
        if rng.random() < (0.06 if age >= 65 else 0.02):
            kind = rng.choice(DisabilityCertificate.Kind.values)
            grade = rng.choice(DisabilityCertificate.GRADES[kind])
            certificates.append(
                DisabilityCertificate(
                    person=person,
                    kind=kind,
                    grade=grade,
                    issued_on=REFERENCE_DATE.replace(year=2020),
                )
            )
    TaxLedgerEntry.objects.bulk_create(entries)
    DisabilityCertificate.objects.bulk_create(certificates)
    receipts = []
    for household in Household.objects.filter(municipality=municipality).order_by("id"):
        ages = [p.age_on(REFERENCE_DATE) for p in household.members.all()]
        if any(a < 18 for a in ages) and rng.random() < 0.6:
            receipts.append(
                BenefitReceipt(
                    household=household, program="jido-teate", since=dt.date(2024, 10, 1)
                )
            )
    BenefitReceipt.objects.bulk_create(receipts)
