"""Kyoto City's organization (wards, bureaus, sections) and its procedure catalog.

Loading is idempotent (the demo re-runs it on every start) and set-based: a handful of bulk
queries rather than one per row, since the test suite loads the city for most tests.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import models, transaction

from madoguchi.forms import services as form_services
from madoguchi.organizations.codes import with_check_digit
from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.procedures.models import Procedure

DATA = Path(__file__).parent / "data"
UNIT_FIELDS = [
    "parent",
    "kind",
    "name_ja",
    "name_en",
    "function",
    "local_government_code",
    "postal_code",
    "address_ja",
    "phone",
]


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _upsert(
    model: type[models.Model],
    existing: dict[str, models.Model],
    wanted: Iterable[models.Model],
    fields: list[str],
) -> dict[str, models.Model]:
    """Create the rows whose code is new and update the others, in two queries."""
    new, changed = [], []
    for row in wanted:
        current = existing.get(row.code)
        if current is None:
            new.append(row)
        else:
            for field in fields:
                setattr(current, field, getattr(row, field))
            changed.append(current)
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, fields)
    return {**existing, **{row.code: row for row in new}}


@transaction.atomic
def load_organization() -> Municipality:
    data = _load("kyoto_organization.json")
    municipality, _ = Municipality.objects.update_or_create(
        code=data["municipality"]["code"], defaults=data["municipality"]
    )
    units = {u.code: u for u in OrgUnit.objects.filter(municipality=municipality)}

    def unit(parent: OrgUnit | None, kind: str, spec: dict[str, Any]) -> OrgUnit:
        return OrgUnit(
            municipality=municipality,
            code=spec["code"],
            parent=parent,
            kind=kind,
            name_ja=spec["name_ja"],
            name_en=spec.get("name_en", ""),
            function=spec.get("function", ""),
            local_government_code=spec.get("local_government_code", ""),
            postal_code=spec.get("postal_code", ""),
            address_ja=spec.get("address_ja", ""),
            phone=spec.get("phone", ""),
        )

    # Top level first (bureaus and wards), then the sections inside them.
    tops = [unit(None, OrgUnit.Kind.BUREAU, bureau) for bureau in data["bureaus"]] + [
        unit(
            None,
            OrgUnit.Kind.WARD,
            {**ward, "local_government_code": with_check_digit(ward["code5"])},
        )
        for ward in data["wards"]
    ]
    units = _upsert(OrgUnit, units, tops, UNIT_FIELDS)
    sections = [
        unit(units[bureau["code"]], OrgUnit.Kind.SECTION, section)
        for bureau in data["bureaus"]
        for section in bureau["sections"]
    ] + [
        unit(
            units[ward["code"]],
            OrgUnit.Kind.SECTION,
            {
                **section,
                "code": f"{ward['code']}-{section['code']}",
                "postal_code": ward["postal_code"],
                "address_ja": ward["address_ja"],
                "phone": ward["phone"],
            },
        )
        for ward in data["wards"]
        for section in data["ward_sections"]
    ]
    _upsert(OrgUnit, units, sections, UNIT_FIELDS)
    return municipality


@transaction.atomic
def load_catalog(municipality: Municipality) -> list[Procedure]:
    sections = {u.code: u for u in OrgUnit.objects.filter(municipality=municipality)}
    existing = {p.code: p for p in Procedure.objects.filter(municipality=municipality)}
    wanted = []
    fields: set[str] = set()
    for data in _load("kyoto_procedures.json"):
        values = {k: v for k, v in data.items() if k not in {"code", "responsible_section"}}
        section_code = data.get("responsible_section")
        values["responsible_section"] = sections[section_code] if section_code else None
        fields.update(values)
        wanted.append(Procedure(municipality=municipality, code=data["code"], **values))
    procedures = _upsert(Procedure, existing, wanted, sorted(fields))
    for path in sorted((DATA / "forms").glob("*.json")):
        procedure = procedures[path.stem]
        schema = json.loads(path.read_text(encoding="utf-8"))
        latest = procedure.form_versions.order_by("-number").first()
        if latest is None or latest.schema != schema:
            form_services.publish(procedure, schema)
    return [procedures[row.code] for row in wanted]
