"""Issued certificates are PAdES-signed: an independent validator (Debian's pdfsig) and
pyHanko's accept them against the demo CA; the public verification page tells genuine,
altered and revoked apart without showing personal data."""

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from madoguchi.cases.models import Case
from madoguchi.issuance import signing
from tests.flows import apply_juminhyo, case_action, decide_through_four_eyes, staff_client
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issued(resident, family, clerk, approver) -> Case:
    client = Client()
    client.force_login(resident)
    reference = apply_juminhyo(client, family[:2])
    case = Case.objects.get(submission__reference=reference)
    decide_through_four_eyes(case.pk, clerk, approver)
    run_tasks()
    case.refresh_from_db()
    assert case.status == "issued"
    return case


@pytest.fixture
def pdf(issued) -> bytes:
    with issued.document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def nss_db(tmp_path: Path) -> str:
    """An NSS database that trusts the demo CA, as a relying party would set one up."""
    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        pytest.skip("pdfsig and certutil are missing (make test installs poppler-utils)")
    database = f"sql:{tmp_path}"
    subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil", "-A", "-d", database, "-n", "madoguchi-demo-ca", "-t", "CT,C,C",
            "-i", settings.MADOGUCHI_SIGNING_CHAIN[0],
        ],
        check=True,
    )  # fmt: skip
    return database


def _pdfsig(pdf: bytes, database: str, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdfsig", "-nssdir", database, str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


def test_pdfsig_validates_the_signature_against_the_demo_ca(pdf, nss_db, tmp_path) -> None:
    report = _pdfsig(pdf, nss_db, tmp_path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert "Total document signed" in report


def test_pdfsig_reports_a_one_byte_change(pdf, nss_db, tmp_path) -> None:
    altered = _alter_one_byte(pdf)
    report = _pdfsig(altered, nss_db, tmp_path)
    assert "Signature Validation: Signature is Valid." not in report


def test_pyhanko_agrees(pdf) -> None:
    reader = PdfFileReader(io.BytesIO(pdf))
    context = ValidationContext(trust_roots=signing.trust_roots())
    # In a thread of its own: pyHanko runs an event loop, and the browser tests' may be running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(
            validate_pdf_signature, reader.embedded_signatures[0], context
        ).result()
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.signing_cert.subject.native["common_name"].startswith("Kyoto City")


def test_the_japanese_font_stays_embedded(pdf) -> None:
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    ipaex = [line for line in fonts.splitlines() if "IPAexGothic" in line]
    assert ipaex
    assert all(line.split()[-5] == "yes" for line in ipaex)  # the "emb" column


def _alter_one_byte(pdf: bytes) -> bytes:
    """Change one byte inside the signed content (a digit of the page's text stream)."""
    index = pdf.index(b"stream", len(pdf) // 4) + 20
    altered = bytearray(pdf)
    altered[index] = (altered[index] + 1) % 256
    return bytes(altered)


def test_the_verification_page_says_genuine_altered_or_revoked(issued, pdf, clerk) -> None:
    visitor = Client()  # anyone, not logged in
    code = issued.document.verification_code
    page = visitor.get(f"/verify/{code.lower().replace('-', '')}/").content.decode()
    assert "本物です" in page
    assert "住民票の写し" in page
    assert "山田" not in page  # no personal data
    assert issued.reference not in page

    upload = SimpleUploadedFile("juminhyo.pdf", pdf, content_type="application/pdf")
    page = visitor.post("/verify/", {"file-pdf": upload}).content.decode()
    assert "本物です" in page
    assert "1バイトも変わっていません" in page

    altered = SimpleUploadedFile("juminhyo.pdf", _alter_one_byte(pdf), "application/pdf")
    page = visitor.post("/verify/", {"file-pdf": altered}).content.decode()
    assert "無効です（改ざんあり）" in page
    assert "本物です" not in page

    page = visitor.post("/verify/", {"code-code": "ZZZZ-ZZZZ-ZZZZ"}).content.decode()
    assert "見つかりません" in page

    staff = staff_client(clerk)
    case_action(staff, issued.pk, "revoke", {"reason": "誤って交付したため"})
    page = visitor.get(f"/verify/{code}/").content.decode()
    assert "失効しています" in page
    assert "誤って交付したため" not in page  # the reason stays internal
    upload = SimpleUploadedFile("juminhyo.pdf", pdf, content_type="application/pdf")
    assert "失効しています" in visitor.post("/verify/", {"file-pdf": upload}).content.decode()


def test_a_file_that_is_not_a_signed_pdf_is_invalid(kyoto) -> None:
    upload = SimpleUploadedFile("fake.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    page = Client().post("/verify/", {"file-pdf": upload}).content.decode()
    assert "京都市の電子署名がないファイルです。" in page
    page = Client().post("/verify/", {"file-pdf": ""}).content.decode()
    assert "PDFファイルを選んでください。" in page


def test_a_rejection_comes_with_a_signed_notice(resident, family, clerk, approver) -> None:
    client = Client()
    client.force_login(resident)
    reference = apply_juminhyo(client, family[:1])
    case = Case.objects.get(submission__reference=reference)
    decide_through_four_eyes(
        case.pk, clerk, approver, outcome="reject", reason="請求者と世帯が一致しません。"
    )
    run_tasks()
    case.refresh_from_db()
    assert case.status == "rejected"
    notice = case.document
    assert notice.kind == "decision_notice"
    page = client.get(f"/applications/{reference}/").content.decode()
    assert "却下通知書をダウンロード（PDF）" in page
    response = client.get(f"/applications/{reference}/documents/{notice.pk}/")
    pdf = b"".join(response.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "却下通知書" in text
    assert "請求者と世帯が一致しません。" in text
    assert "山田 太郎 様" in text
    assert "審査請求をすることができます" in text.replace("\n", "")  # how to appeal
    assert signing.check(pdf).valid
