"""Virus scanning of uploads: plugins chosen by ``MADOGUCHI_VIRUS_SCANNER``.

``eicar`` (the default) only recognizes the EICAR test file, for development and tests;
``clamd`` streams the file to a ClamAV daemon (``MADOGUCHI_CLAMD_HOST``/``_PORT``) with its
INSTREAM command. A scanner that cannot answer refuses the upload (fail closed).
"""

import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024


class ScanFailed(Exception):
    """The scanner could not give an answer."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


class Scanner(Protocol):
    def scan(self, content: bytes) -> ScanResult: ...


_scanners: dict[str, Callable[[], Scanner]] = {}


def register_scanner(name: str, factory: Callable[[], Scanner]) -> None:
    _scanners[name] = factory


def scanner() -> Scanner:
    return _scanners[settings.MADOGUCHI_VIRUS_SCANNER]()


class EicarScanner:
    def scan(self, content: bytes) -> ScanResult:
        if EICAR in content:
            return ScanResult(infected=True, signature="Eicar-Test-Signature")
        return ScanResult(infected=False)


class ClamdScanner:
    """clamd's INSTREAM over TCP: ``zINSTREAM\\0``, then chunks each preceded by its length
    (4 bytes, big-endian), then a zero length; the answer is ``stream: OK`` or
    ``stream: <signature> FOUND``."""

    def __init__(self) -> None:
        self.address = (settings.MADOGUCHI_CLAMD_HOST, settings.MADOGUCHI_CLAMD_PORT)
        self.timeout = settings.MADOGUCHI_CLAMD_TIMEOUT

    def scan(self, content: bytes) -> ScanResult:
        try:
            with socket.create_connection(self.address, timeout=self.timeout) as connection:
                connection.sendall(b"zINSTREAM\0")
                for start in range(0, len(content), CHUNK):
                    chunk = content[start : start + CHUNK]
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    received = connection.recv(4096)
                    if not received:
                        break
                    reply += received
        except OSError as failed:
            raise ScanFailed(str(failed)) from failed
        answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        if answer.endswith("OK"):
            return ScanResult(infected=False)
        if answer.endswith("FOUND"):
            signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
            return ScanResult(infected=True, signature=signature)
        raise ScanFailed(answer)
