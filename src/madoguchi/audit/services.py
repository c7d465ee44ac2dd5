"""The one way to write the audit log."""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import chain
from .models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry. ``detail`` must hold identifiers and states, never personal data."""
    municipality_code = ""
    municipality = getattr(target, "municipality", None)
    if municipality is not None:
        municipality_code = municipality.code
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    fields = {
        "municipality_code": municipality_code,
        "actor_id": actor.pk if is_user else None,
        "actor_kind": getattr(actor, "kind", "") if is_user else "system",
        "action": action,
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk),
        "purpose": purpose,
        "detail": detail or {},
    }
    with transaction.atomic():
        chain.lock_for_append()
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
        link = {
            "sequence": (last.sequence if last else 0) + 1,
            "previous_hash": last.entry_hash if last else chain.GENESIS,
            # Microseconds as every database keeps them, so that the hash can be recomputed.
            "at": timezone.now(),
        }
        return AuditEntry.objects.create(
            **fields, **link, entry_hash=chain.digest(**fields, **link)
        )
