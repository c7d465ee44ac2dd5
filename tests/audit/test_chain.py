"""The audit log is tamper-evident: a hash chain that the verifier checks entry by entry, and
that stays one chain when several writers append at once."""

import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from madoguchi.audit import chain, services
from madoguchi.audit.models import AuditEntry

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
