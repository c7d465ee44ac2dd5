"""The one way to write the audit log."""

from typing import Any

from django.db import models

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
    return AuditEntry.objects.create(
        municipality_code=municipality_code,
        actor=actor if is_user else None,
        actor_kind=getattr(actor, "kind", "") if is_user else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        purpose=purpose,
        detail=detail or {},
    )
