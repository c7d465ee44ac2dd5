"""Kyoto City's organization (wards, bureaus, sections) and its procedure catalog."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from madoguchi.forms import services as form_services
from madoguchi.organizations.codes import with_check_digit
from madoguchi.organizations.models import Municipality, OrgUnit
from madoguchi.procedures.models import Procedure

DATA = Path(__file__).parent / "data"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_organization() -> Municipality:
    data = _load("kyoto_organization.json")
    municipality, _ = Municipality.objects.update_or_create(
        code=data["municipality"]["code"], defaults=data["municipality"]
    )
    for bureau in data["bureaus"]:
        unit = _unit(municipality, None, OrgUnit.Kind.BUREAU, bureau)
        for section in bureau["sections"]:
            _unit(municipality, unit, OrgUnit.Kind.SECTION, section)
    for ward in data["wards"]:
        unit = _unit(
            municipality,
            None,
            OrgUnit.Kind.WARD,
            {**ward, "local_government_code": with_check_digit(ward["code5"])},
        )
        for section in data["ward_sections"]:
            _unit(
                municipality,
                unit,
                OrgUnit.Kind.SECTION,
                {
                    **section,
                    "code": f"{ward['code']}-{section['code']}",
                    "postal_code": ward["postal_code"],
                    "address_ja": ward["address_ja"],
                    "phone": ward["phone"],
                },
            )
    return municipality


def _unit(
    municipality: Municipality, parent: OrgUnit | None, kind: str, data: dict[str, Any]
) -> OrgUnit:
    fields = {
        "parent": parent,
        "kind": kind,
        "name_ja": data["name_ja"],
        "name_en": data.get("name_en", ""),
        "function": data.get("function", ""),
        "local_government_code": data.get("local_government_code", ""),
        "postal_code": data.get("postal_code", ""),
        "address_ja": data.get("address_ja", ""),
        "phone": data.get("phone", ""),
    }
    unit, _ = OrgUnit.objects.update_or_create(
        municipality=municipality, code=data["code"], defaults=fields
    )
    return unit


@transaction.atomic
def load_catalog(municipality: Municipality) -> list[Procedure]:
    procedures = []
    for data in _load("kyoto_procedures.json"):
        fields = {k: v for k, v in data.items() if k not in {"code", "responsible_section"}}
        section_code = data.get("responsible_section")
        fields["responsible_section"] = (
            OrgUnit.objects.get(municipality=municipality, code=section_code)
            if section_code
            else None
        )
        procedure, _ = Procedure.objects.update_or_create(
            municipality=municipality, code=data["code"], defaults=fields
        )
        procedures.append(procedure)
    for path in sorted((DATA / "forms").glob("*.json")):
        procedure = Procedure.objects.get(municipality=municipality, code=path.stem)
        schema = json.loads(path.read_text(encoding="utf-8"))
        latest = procedure.form_versions.order_by("-number").first()
        if latest is None or latest.schema != schema:
            form_services.publish(procedure, schema)
    return procedures
