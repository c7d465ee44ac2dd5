"""The one way to write the data-use log."""

from collections.abc import Iterable
from typing import Any

from madoguchi.forms.prefill import source_of

from .models import DataUse


def record_prefill(
    *, submission: Any, attributes: Iterable[str], used_by: Any = None
) -> list[DataUse]:
    """One entry per attribute a prefill source gave for ``submission``."""
    return DataUse.objects.bulk_create(
        DataUse(
            municipality_id=submission.municipality_id,
            person_id=submission.person_id,
            account_id=submission.applicant_id,
            kind=DataUse.Kind.PREFILL,
            attribute=key,
            source=source_of(key),
            procedure_id=submission.procedure_id,
            submission=submission,
            used_by=used_by,
        )
        for key in dict.fromkeys(attributes)
    )


def record_counter_lookup(*, person: Any, used_by: Any) -> DataUse:
    """A clerk opened ``person``'s registry record at the counter."""
    return DataUse.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        account=getattr(person, "account", None),
        kind=DataUse.Kind.COUNTER_LOOKUP,
        source="registry",
        used_by=used_by,
    )
