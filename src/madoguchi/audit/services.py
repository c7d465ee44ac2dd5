"""The one way to write the audit log."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import chain
from .models import AuditEntry

# The entries of the open ``appended_together`` block, if any (per thread and task).
_pending: ContextVar[list[AuditEntry] | None] = ContextVar("audit_pending", default=None)


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
    entry = AuditEntry(
        municipality_code=municipality_code,
        actor_id=actor.pk if is_user else None,
        actor_kind=getattr(actor, "kind", "") if is_user else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        purpose=purpose,
        detail=detail or {},
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(entry)  # saved when the block ends, still inside its transaction
    else:
        _append([entry])
    return entry


@contextmanager
def appended_together() -> Iterator[None]:
    """Keep the entries recorded inside and append them in one go when the block ends. Used
    inside a transaction that does much work after its first entry (a submission: its case,
    its notification), so that the chain's lock is held from the append to the commit only,
    not through all that work: concurrent writers are serialized for less time."""
    pending = _pending.get()
    if pending is not None:  # an enclosing block appends them
        mark = len(pending)
        try:
            yield
        except BaseException:
            del pending[mark:]  # this block failed (its savepoint rolled back): drop its entries
            raise
        return
    token = _pending.set([])
    try:
        yield
        entries = _pending.get()
    finally:
        _pending.reset(token)
    if entries:
        _append(entries)


def _append(entries: list[AuditEntry]) -> None:
    with transaction.atomic():
        chain.lock_for_append()
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
        sequence = last.sequence if last else 0
        previous = last.entry_hash if last else chain.GENESIS
        for entry in entries:
            sequence += 1
            entry.sequence, entry.previous_hash = sequence, previous
            # Microseconds as every database keeps them, so that the hash can be recomputed.
            entry.at = timezone.now()
            entry.entry_hash = previous = chain.digest_of(entry)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            AuditEntry.objects.bulk_create(entries)
