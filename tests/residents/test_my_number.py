"""個人番号 is encrypted at rest (AES-GCM, keys from configuration), found by a keyed digest,
re-encrypted when keys rotate, never logged, and every staff lookup is audited."""

import base64
import logging
import os
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from madoguchi.audit.models import AuditEntry
from madoguchi.core import crypto
from madoguchi.residents import selectors, services
from madoguchi.residents.models import Person

NUMBER = "123456789018"  # a valid check digit
OTHER = "987654321000"


def _raw(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT my_number FROM residents_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def _new_key(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def test_check_digit() -> None:
    from madoguchi.residents.models import is_valid_my_number

    assert is_valid_my_number(NUMBER)
    assert is_valid_my_number(OTHER)
    assert not is_valid_my_number("123456789012")
    assert not is_valid_my_number("12345678901")


def test_the_database_holds_only_ciphertext(family, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    services.set_my_number(family[0], "１２３４ ５６７８ ９０１８")  # full-width, as typed
    raw = _raw(family[0])
    assert NUMBER not in raw
    assert raw.startswith("enc1:demo-2026:")
    assert Person.objects.get(pk=family[0].pk).my_number == NUMBER
    assert NUMBER not in caplog.text


def test_a_wrong_number_is_refused_with_a_message(family) -> None:
    with pytest.raises(ValidationError, match="12桁"):
        services.set_my_number(family[0], "123456789012")


def test_a_ciphertext_moved_to_another_row_still_decrypts_only_as_itself(family) -> None:
    """Changing a single byte breaks the authentication tag."""
    services.set_my_number(family[0], NUMBER)
    raw = _raw(family[0])
    prefix, encoded = raw.rsplit(":", 1)
    data = bytearray(base64.urlsafe_b64decode(encoded))
    data[-1] ^= 1
    forged = f"{prefix}:{base64.urlsafe_b64encode(bytes(data)).decode()}"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(forged, context="residents.person.my_number")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(raw, context="residents.person.honseki")


def test_staff_find_a_person_by_number_and_the_read_is_audited(
    family, neighbour, clerk, kyoto
) -> None:
    services.set_my_number(family[0], NUMBER)
    services.set_my_number(neighbour[0], OTHER)
    found = selectors.person_by_my_number(
        kyoto, "1234-5678-9018", actor=clerk, purpose="窓口での本人確認"
    )
    assert found == family[0]
    entry = AuditEntry.objects.filter(action="view_personal_data").last()
    assert entry.actor == clerk
    assert entry.purpose == "窓口での本人確認"
    assert NUMBER not in str(entry.detail)
    assert selectors.person_by_my_number(kyoto, "111111111118", actor=clerk, purpose="x") is None


def test_keys_rotate_and_old_rows_are_reencrypted(family, settings) -> None:
    services.set_my_number(family[0], NUMBER)
    old = settings.MADOGUCHI_ENCRYPTION_KEYS[0]
    settings.MADOGUCHI_ENCRYPTION_KEYS = [_new_key("2027"), old]
    # Readable with the old key still in the keyring.
    assert Person.objects.get(pk=family[0].pk).my_number == NUMBER
    out = StringIO()
    call_command("reencrypt_personal_data", "--dry-run", stdout=out)
    assert "1 values would be re-encrypted under key 2027" in out.getvalue()
    assert crypto.key_id_of(_raw(family[0])) == "demo-2026"
    call_command("reencrypt_personal_data", stdout=StringIO())
    assert crypto.key_id_of(_raw(family[0])) == "2027"
    # The old key can now leave the keyring.
    settings.MADOGUCHI_ENCRYPTION_KEYS = settings.MADOGUCHI_ENCRYPTION_KEYS[:1]
    assert Person.objects.get(pk=family[0].pk).my_number == NUMBER
    # Lookups still work: the digest does not depend on the encryption key.
    assert Person.objects.filter(my_number_digest=family[0].my_number_digest).exists()
