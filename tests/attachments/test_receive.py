"""Uploads are checked before they are kept: size, type by content, and the virus scanner
(the EICAR default and clamd over its INSTREAM protocol, against a loopback fake daemon)."""

import socket
import struct
import threading
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.attachments import scanners, selectors, services
from madoguchi.attachments.models import Attachment
from madoguchi.forms.schema import Question
from madoguchi.forms.selectors import current_version
from madoguchi.procedures.models import Procedure
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.models import Submission

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
QUESTION = Question.parse(
    {
        "key": "proof",
        "type": "file",
        "label": {"ja": "証明書", "en": "Certificate"},
        "accept": ["pdf"],
        "max_size_mb": 1,
    }
)


@pytest.fixture
def draft(resident, kyoto) -> Submission:
    procedure = Procedure.objects.get(municipality=kyoto, code="juminhyo-copy")
    return submission_services.start_draft(
        applicant=resident, form_version=current_version(procedure), language="ja"
    )


def _file(content: bytes, name: str = "x.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_pdf_is_kept_and_replaces_the_earlier_one(draft) -> None:
    first = services.receive(draft, QUESTION, "proof", _file(PDF, "a.pdf"))
    second = services.receive(draft, QUESTION, "proof", _file(PDF + b"\n", "b.pdf"))
    assert list(Attachment.objects.values_list("id", flat=True)) == [second.id]
    assert second.kind == "pdf"
    assert second.original_name == "b.pdf"
    assert first.file.name != second.file.name
    # The draft's file questions may refer to it (and only to it).
    assert selectors.names_for(draft) == {str(second.id): "b.pdf"}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "x.pdf", "「証明書」のファイルが空です。"),
        (PDF + b"0" * (1024 * 1024), "x.pdf", "「証明書」のファイルは1MB以下にしてください。"),
        # The name says PDF, the content is a PNG: the content decides.
        (PNG, "x.pdf", "「証明書」はPDFのファイルにしてください（中身がその形式ではありません）。"),
        (
            b"MZ\x90\x00 an executable",
            "x.pdf",
            "「証明書」はPDFのファイルにしてください（中身がその形式ではありません）。",
        ),
        (
            PDF + scanners.EICAR,
            "x.pdf",
            "「証明書」のファイルからウイルスが見つかったため、受け付けませんでした。",
        ),
    ],
)
def test_a_refused_file_is_not_kept(draft, content, name, message) -> None:
    with pytest.raises(services.UploadRefused) as refused:
        services.receive(draft, QUESTION, "proof", _file(content, name))
    assert refused.value.message == message
    assert not Attachment.objects.exists()


class FakeClamd:
    """Speaks enough of clamd's INSTREAM protocol: reads the length-prefixed chunks and answers
    FOUND for the EICAR string, OK otherwise."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self) -> None:
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            with connection:
                assert self._read(connection, 10) == b"zINSTREAM\0"
                content = b""
                while size := struct.unpack("!L", self._read(connection, 4))[0]:
                    content += self._read(connection, size)
                self.received.append(content)
                infected = scanners.EICAR in content
                connection.sendall(
                    b"stream: Win.Test.EICAR_HDB-1 FOUND\0" if infected else b"stream: OK\0"
                )

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings) -> Iterator[FakeClamd]:
    fake = FakeClamd()
    settings.MADOGUCHI_VIRUS_SCANNER = "clamd"
    settings.MADOGUCHI_CLAMD_HOST = "127.0.0.1"
    settings.MADOGUCHI_CLAMD_PORT = fake.port
    yield fake
    fake.close()


def test_clamd_streams_the_file_and_reads_the_verdict(clamd) -> None:
    big = b"A" * (200 * 1024)  # several chunks
    assert scanners.scanner().scan(big) == scanners.ScanResult(infected=False)
    assert clamd.received == [big]
    result = scanners.scanner().scan(PDF + scanners.EICAR)
    assert result == scanners.ScanResult(infected=True, signature="Win.Test.EICAR_HDB-1")


def test_an_unreachable_scanner_refuses_the_upload(draft, settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.MADOGUCHI_VIRUS_SCANNER = "clamd"
    settings.MADOGUCHI_CLAMD_PORT = closed_port
    with pytest.raises(services.UploadRefused) as refused:
        services.receive(draft, QUESTION, "proof", _file(PDF))
    assert "時間をおいてもう一度お試しください" in refused.value.message
    assert not Attachment.objects.exists()
