import pytest

from madoguchi.audit import services
from madoguchi.audit.models import AppendOnlyError, AuditEntry


def test_entries_cannot_be_changed_or_deleted(resident) -> None:
    entry = services.record(actor=resident, action="login", target=resident)
    entry.purpose = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


def test_entries_name_the_municipality_and_actor(resident) -> None:
    entry = services.record(actor=resident, action="login", target=resident)
    assert entry.municipality_code == "261009"
    assert entry.actor_kind == "resident"
