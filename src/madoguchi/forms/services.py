from typing import Any

from django.db import transaction

from madoguchi.procedures.models import Procedure

from .models import FormVersion
from .schema import FormSchema


@transaction.atomic
def publish(procedure: Procedure, schema: dict[str, Any]) -> FormVersion:
    """Publish ``schema`` as the next version; earlier submissions keep their own version."""
    FormSchema.parse(schema)  # refuse a malformed definition before anyone fills it
    latest = (
        FormVersion.objects.select_for_update()
        .filter(procedure=procedure)
        .order_by("-number")
        .first()
    )
    return FormVersion.objects.create(
        procedure=procedure, number=(latest.number + 1) if latest else 1, schema=schema
    )
