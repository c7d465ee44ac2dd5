"""The audit log is tamper-evident: a hash chain that the verifier checks entry by entry, and
that stays one chain when several writers append at once."""

import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from madoguchi.audit import chain, services
from madoguchi.audit.models import AuditAnchor, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def _as_database_owner():
    """What someone with direct database access can do: on PostgreSQL, switch off the trigger
    that refuses UPDATE and DELETE (which is itself part of the defence)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_append_only")


def _sql(statement: str, params: list) -> None:
    with _as_database_owner(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


@pytest.fixture
def entries(resident, clerk) -> list[AuditEntry]:
    written = [
        services.record(actor=clerk, action="view_personal_data", target=resident, purpose="審査")
        for _ in range(5)
    ]
    return written


def test_an_untouched_log_verifies(entries) -> None:
    output = _verify()
    assert "OK: 5 entries" in output
    assert entries[-1].entry_hash in output
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1].previous_hash == entries[0].entry_hash


def test_a_hand_edited_row_is_reported(entries) -> None:
    _sql("UPDATE audit_auditentry SET purpose = %s WHERE id = %s", ["私的な閲覧", entries[2].pk])
    with pytest.raises(CommandError, match=r"entry #3 \(id \d+\): it was altered"):
        _verify()


def test_a_deleted_row_is_reported(entries) -> None:
    _sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match="entry #2: it is missing"):
        _verify()


def test_a_rewritten_row_with_a_fresh_hash_is_reported(entries) -> None:
    """Recomputing the edited entry's own hash does not help: the next one no longer follows."""
    victim = entries[2]
    victim.purpose = "私的な閲覧"
    victim.entry_hash = chain.digest_of(victim)
    _sql(
        "UPDATE audit_auditentry SET purpose = %s, entry_hash = %s WHERE id = %s",
        [victim.purpose, victim.entry_hash, victim.pk],
    )
    with pytest.raises(CommandError, match=r"entry #4 .*does not follow"):
        _verify()


def test_the_database_refuses_updates_on_postgresql(entries) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigger; the ORM refuses changes there (test_append_only)")
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s", [entries[0].pk])


def test_concurrent_writers_keep_one_chain(resident, clerk) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "The in-memory SQLite test database fails concurrent writers at once ('table is "
            "locked') instead of queueing them; the append lock under test is PostgreSQL's."
        )
    errors: list[Exception] = []

    def write() -> None:
        try:
            for _ in range(10):
                services.record(actor=clerk, action="view_personal_data", target=resident)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == 40
    assert "OK: 40 entries" in _verify()


def _anchor() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_anchor", stdout=out)
    return out.getvalue().strip()


def test_a_cut_tail_verifies_without_an_anchor_but_not_with_one(entries, resident, clerk) -> None:
    """Deleting the newest entries leaves a valid shorter chain: only a kept head shows it."""
    line = _anchor()
    assert line.startswith("madoguchi-audit-anchor ")
    assert line.endswith(f"seq=5 sha256={entries[-1].entry_hash}")
    assert AuditAnchor.objects.get().head_hash == entries[-1].entry_hash
    services.record(actor=clerk, action="view_personal_data", target=resident, purpose="審査")
    assert "OK: 6 entries" in _verify()
    _sql("DELETE FROM audit_auditentry WHERE sequence >= %s", [4])
    with pytest.raises(CommandError, match="entry #4: it and every later anchored entry are"):
        _verify()


def test_a_published_anchor_catches_a_cut_tail_even_when_the_stored_anchors_went_too(
    entries,
) -> None:
    line = _anchor()
    _sql("DELETE FROM audit_auditentry WHERE sequence >= %s", [5])
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("ALTER TABLE audit_auditanchor DISABLE TRIGGER audit_anchor_append_only")
        cursor.execute("DELETE FROM audit_auditanchor")
        if pg:
            cursor.execute("ALTER TABLE audit_auditanchor ENABLE TRIGGER audit_anchor_append_only")
    assert "OK: 4 entries" in _verify()
    with pytest.raises(CommandError, match="entry #5: it and every later anchored entry"):
        call_command("verify_audit_chain", "--anchor", line)


def test_a_chain_rewritten_from_scratch_differs_from_the_anchor(entries) -> None:
    """Someone who recomputes every hash after an edit gets a valid chain, not the anchored one."""
    _anchor()
    previous = chain.GENESIS
    for entry in AuditEntry.objects.order_by("sequence"):
        entry.purpose = "私的な閲覧" if entry.sequence == 2 else entry.purpose
        entry.previous_hash = previous
        entry.entry_hash = chain.digest_of(entry)
        _sql(
            "UPDATE audit_auditentry SET purpose = %s, previous_hash = %s, entry_hash = %s "
            "WHERE id = %s",
            [entry.purpose, entry.previous_hash, entry.entry_hash, entry.pk],
        )
        previous = entry.entry_hash
    with pytest.raises(CommandError, match=r"entry #5 \(id \d+\): it differs from the anchored"):
        _verify()


def test_a_broken_chain_is_not_anchored(entries) -> None:
    _sql("UPDATE audit_auditentry SET purpose = %s WHERE id = %s", ["私的な閲覧", entries[2].pk])
    with pytest.raises(CommandError, match="Not anchored: the chain is broken at entry #3"):
        _anchor()
    assert not AuditAnchor.objects.exists()


def test_anchors_cannot_be_changed_or_deleted(entries) -> None:
    from madoguchi.audit.models import AppendOnlyError

    _anchor()
    anchor = AuditAnchor.objects.get()
    with pytest.raises(AppendOnlyError):
        anchor.delete()
    with pytest.raises(AppendOnlyError):
        AuditAnchor.objects.all().delete()


def test_entries_appended_together_keep_one_chain(resident, clerk) -> None:
    """A submission appends its entries at the end of its transaction; concurrent submissions
    and single writers still make one gap-free chain, in the order each recorded them."""
    errors: list[Exception] = []

    def write(together: bool) -> None:
        try:
            for _ in range(5):
                with transaction.atomic(), services.appended_together():
                    first = services.record(actor=clerk, action="create", target=resident)
                    assert first.pk is None  # not written yet: the lock is not taken yet
                    services.record(actor=clerk, action="submit", target=resident)
                if not together:
                    services.record(actor=clerk, action="view_personal_data", target=resident)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    if connection.vendor != "postgresql":
        write(together=False)  # see test_concurrent_writers_keep_one_chain
    else:
        threads = [threading.Thread(target=write, args=(n % 2 == 0,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    count = AuditEntry.objects.count()
    assert count == (15 if connection.vendor != "postgresql" else 50)
    assert f"OK: {count} entries" in _verify()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    # Each block's two entries stay next to each other, in the order they were recorded.
    for index, action in enumerate(actions):
        if action == "create":
            assert actions[index + 1] == "submit"


def test_nothing_is_appended_when_the_transaction_fails(resident, clerk) -> None:
    def failing_submission() -> None:
        with transaction.atomic(), services.appended_together():
            services.record(actor=clerk, action="submit", target=resident)
            raise RuntimeError("the submission failed")

    with pytest.raises(RuntimeError):
        failing_submission()
    assert not AuditEntry.objects.exists()


def test_a_failed_inner_block_leaves_no_entry_in_the_outer_one(resident, clerk) -> None:
    """A bundle submits several applications in one block; a retried inner attempt (a
    reference number that collided) must not leave its entries behind."""

    def failing_attempt() -> None:
        with transaction.atomic(), services.appended_together():
            services.record(actor=clerk, action="create", target=resident)
            raise RuntimeError("reference collided")

    with transaction.atomic(), services.appended_together():
        with pytest.raises(RuntimeError):
            failing_attempt()
        services.record(actor=clerk, action="submit", target=resident)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["submit"]
