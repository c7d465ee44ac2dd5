"""The hash chain that makes the audit log tamper-evident.

Each entry stores the hash of the entry before it and its own hash over its content and that
link, in a gap-free ``sequence``. Changing, deleting or inserting an entry breaks the chain at
that point, and ``verify_audit_chain`` reports the first break. Appends are serialized (a
PostgreSQL advisory lock held until commit; SQLite's writers are serialized anyway), so that two
concurrent writers can never chain to the same predecessor.

A chain alone cannot show that its newest entries were cut off: what is left is still a valid
chain. ``audit_anchor`` keeps the head (sequence and hash) as an ``AuditAnchor`` and prints a
line to publish outside the database; the verifier then checks every anchored entry is still
there with the same hash.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from .models import AuditAnchor, AuditEntry

GENESIS = "0" * 64
# An arbitrary constant naming the lock; any other advisory lock user must pick another.
ADVISORY_LOCK_KEY = 0x4D41444F  # "MADO"


def lock_for_append() -> None:
    """Hold the append lock until the surrounding transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def digest(
    *,
    sequence: int,
    previous_hash: str,
    at: dt.datetime,
    municipality_code: str,
    actor_id: int | None,
    actor_kind: str,
    action: str,
    target_type: str,
    target_id: str,
    purpose: str,
    detail: dict[str, Any],
) -> str:
    content = {
        "sequence": sequence,
        "previous_hash": previous_hash,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "municipality_code": municipality_code,
        "actor_id": actor_id,
        "actor_kind": actor_kind,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "purpose": purpose,
        "detail": detail,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest_of(entry: AuditEntry) -> str:
    return digest(
        sequence=entry.sequence,
        previous_hash=entry.previous_hash,
        at=entry.at,
        municipality_code=entry.municipality_code,
        actor_id=entry.actor_id,
        actor_kind=entry.actor_kind,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        purpose=entry.purpose,
        detail=entry.detail,
    )


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    kind: str  # "altered", "missing", "relinked", "rewritten" or "truncated"
    sequence: int
    entry_id: int | None


@dataclass(frozen=True)
class Report:
    checked: int
    head_hash: str
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)


def verify(extra_anchors: Iterable[tuple[int, str]] = ()) -> Report:
    """Walk the chain from the start; check it against the stored anchors and ``extra_anchors``
    (sequence, head hash) kept elsewhere, e.g. a published line."""
    anchors = dict(AuditAnchor.objects.values_list("sequence", "head_hash"))
    # A kept-elsewhere anchor wins: the stored ones may have been edited with the log.
    anchors.update(extra_anchors)
    expected_sequence, previous_hash, checked = 1, GENESIS, 0
    for entry in _entries():
        if entry.sequence != expected_sequence:
            # A gap: the entry with the expected number was deleted.
            return Report(checked, previous_hash, Break("missing", expected_sequence, None))
        if entry.previous_hash != previous_hash:
            return Report(checked, previous_hash, Break("relinked", entry.sequence, entry.pk))
        if digest_of(entry) != entry.entry_hash:
            return Report(checked, previous_hash, Break("altered", entry.sequence, entry.pk))
        if anchors.get(entry.sequence, entry.entry_hash) != entry.entry_hash:
            # A consistent chain, but not the one that was anchored: rewritten from here back.
            return Report(checked, previous_hash, Break("rewritten", entry.sequence, entry.pk))
        previous_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
    if anchors and max(anchors) >= expected_sequence:
        # An anchored entry is gone from the end: the tail was cut.
        return Report(checked, previous_hash, Break("truncated", expected_sequence, None))
    return Report(checked, previous_hash, None)


def anchor() -> AuditAnchor:
    """Keep the current head. Refused (ChainBroken) when the chain does not verify: anchoring a
    tampered log would vouch for it."""
    with transaction.atomic():
        lock_for_append()
        report = verify()
        if not report.intact:
            raise ChainBroken(report)
        return AuditAnchor.objects.create(sequence=report.checked, head_hash=report.head_hash)


class ChainBroken(Exception):
    def __init__(self, report: Report) -> None:
        super().__init__("The audit chain does not verify.")
        self.report = report
