"""受付番号: short enough to read out on the phone, without look-alike characters (0/O, 1/I)."""

import secrets

import jaconv

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference() -> str:
    """e.g. ``A7K9-3MPQ-X2``: 50 bits, so that numbers cannot be guessed or enumerated."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


def normalize(text: str, *, length: int = 10) -> str:
    """Accept what people type: lower case, full-width, spaces or no hyphens. Also reads the
    12-character verification codes of issued documents (``length=12``)."""
    cleaned = jaconv.z2h(text, kana=False, ascii=True, digit=True).upper()
    cleaned = "".join(ch for ch in cleaned if ch.isalnum())
    if len(cleaned) != length:
        return cleaned
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"
