"""Kyoto's life-event bundles (転入, 出生) over procedures of the demo catalog."""

import json
from pathlib import Path

from madoguchi.bundles import services as bundles
from madoguchi.bundles.models import Bundle
from madoguchi.organizations.models import Municipality
from madoguchi.procedures.models import Procedure

DATA = Path(__file__).parent / "data" / "kyoto_bundles.json"


def load_bundles(municipality: Municipality) -> list[Bundle]:
    procedures = {p.code: p for p in Procedure.objects.filter(municipality=municipality)}
    loaded = []
    for spec in json.loads(DATA.read_text(encoding="utf-8")):
        codes = spec.pop("procedures")
        loaded.append(
            bundles.define(municipality, procedures=[procedures[code] for code in codes], **spec)
        )
    return loaded
