"""PAdES signatures with pyHanko, using the municipality's signing certificate (paths and
password from the settings; the demo makes its own with ``create_demo_ca``)."""

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from asn1crypto import pem, x509
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "MunicipalSignature"
T = TypeVar("T")


def _outside_event_loop(work: Callable[[], T]) -> T:
    """pyHanko runs its own asyncio loop; where one already runs in this thread (an async
    server, a browser test driving Playwright), do the work in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


@cache
def _signer(key: str, cert: str, chain: tuple[str, ...], password: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(
        key, cert, ca_chain_files=chain, key_passphrase=password.encode() or None
    )
    if signer is None:
        raise RuntimeError("The signing key or certificate could not be loaded.")
    return signer


def signer() -> signers.SimpleSigner:
    return _signer(
        settings.MADOGUCHI_SIGNING_KEY,
        settings.MADOGUCHI_SIGNING_CERT,
        tuple(settings.MADOGUCHI_SIGNING_CHAIN),
        settings.MADOGUCHI_SIGNING_KEY_PASSWORD,
    )


def sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` (PAdES baseline B-B, SHA-256) as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = io.BytesIO()
    _outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer(), output=out))
    return out.getvalue()


def trust_roots() -> list[x509.Certificate]:
    roots = []
    for path in settings.MADOGUCHI_SIGNING_CHAIN:
        with open(path, "rb") as handle:
            data = handle.read()
        for _type, _headers, der in pem.unarmor(data, multiple=True):
            roots.append(x509.Certificate.load(der))
    return roots


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # carries a signature at all
    intact: bool  # the signed bytes are unchanged and cover the whole file
    trusted: bool  # the signer chains to the municipality's trust roots

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def check(pdf: bytes) -> SignatureCheck:
    """Validate the document's signature with pyHanko against the configured trust roots."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # not a PDF, or too damaged to read: certainly not a valid document
        return SignatureCheck(signed=False, intact=False, trusted=False)
    if not embedded:
        return SignatureCheck(signed=False, intact=False, trusted=False)
    try:
        context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
        status = _outside_event_loop(lambda: validate_pdf_signature(embedded[-1], context))
    except Exception:  # a signature too damaged to check
        return SignatureCheck(signed=True, intact=False, trusted=False)
    whole = status.coverage.name == "ENTIRE_FILE" if status.coverage else False
    return SignatureCheck(
        signed=True, intact=status.intact and status.valid and whole, trusted=status.trusted
    )
