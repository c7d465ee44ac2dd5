"""Field encryption for personal data the law treats as special (特定個人情報: My Number).

AES-256-GCM (``cryptography``) with keys from configuration: a keyring of ``key id → key``
(``MADOGUCHI_ENCRYPTION_KEYS``, the first one encrypts, all decrypt, so keys rotate without
downtime; ``reencrypt_personal_data`` moves old rows to the current key). The field's name is
bound in as associated data, so a ciphertext copied into another column does not decrypt.
Lookups use a keyed hash (HMAC-SHA256, ``MADOGUCHI_LOOKUP_KEY``), never the ciphertext.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1"


class DecryptionFailed(Exception):
    """The ciphertext was altered, moved, or its key is not in the keyring."""


@cache
def _keyring(entries: tuple[str, ...]) -> dict[str, bytes]:
    keyring = {}
    for entry in entries:
        key_id, _, encoded = entry.partition(":")
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if not key_id or len(key) != 32:
            raise ImproperlyConfigured(
                "MADOGUCHI_ENCRYPTION_KEYS entries are key_id:base64(32 random bytes)."
            )
        keyring[key_id] = key
    if not keyring:
        raise ImproperlyConfigured("MADOGUCHI_ENCRYPTION_KEYS is empty.")
    return keyring


def keyring() -> dict[str, bytes]:
    return _keyring(tuple(settings.MADOGUCHI_ENCRYPTION_KEYS))


def current_key_id() -> str:
    return next(iter(keyring()))


def encrypt(plaintext: str, *, context: str) -> str:
    key_id = current_key_id()
    nonce = os.urandom(12)
    sealed = AESGCM(keyring()[key_id]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_id_of(ciphertext: str) -> str:
    return ciphertext.split(":", 2)[1] if is_encrypted(ciphertext) else ""


def is_encrypted(value: str) -> bool:
    return value.startswith(f"{PREFIX}:") and value.count(":") >= 2


def decrypt(ciphertext: str, *, context: str) -> str:
    _, key_id, encoded = ciphertext.split(":", 2)
    key = keyring().get(key_id)
    if key is None:
        raise DecryptionFailed(f"Key {key_id!r} is not in MADOGUCHI_ENCRYPTION_KEYS.")
    raw = base64.urlsafe_b64decode(encoded)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except Exception as error:  # cryptography raises InvalidTag
        raise DecryptionFailed("The ciphertext does not verify.") from error


def lookup_digest(value: str, *, context: str) -> str:
    """A keyed hash to find a record by a special value without decrypting every row."""
    message = f"{context}\n{value}".encode()
    return hmac.new(settings.MADOGUCHI_LOOKUP_KEY.encode(), message, hashlib.sha256).hexdigest()
