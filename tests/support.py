import re
import socket
from html.parser import HTMLParser

from django.core.management import call_command


def run_tasks() -> None:
    """Run every queued background task with the real database worker, then return."""
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _TextOutsideJapanese(HTMLParser):
    """Collects the text a reader sees, leaving out parts marked ``lang="ja"``."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: inside lang="ja"?
        self.skip_depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        japanese = (dict(attrs).get("lang") or "").startswith("ja")
        inside = (self.stack[-1] if self.stack else False) or japanese or tag in {"script", "style"}
        self.stack.append(inside)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data.strip())


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")


def japanese_outside_lang_ja(html: str, *, allowed: list[str] = ()) -> list[str]:
    """The visible texts that still contain Japanese once ``allowed`` data (names, addresses
    held in the registry) is removed: on an English page this should be empty."""
    parser = _TextOutsideJapanese()
    parser.feed(html)
    found = []
    for text in parser.texts:
        for value in sorted(allowed, key=len, reverse=True):
            text = text.replace(value, "")
        if JAPANESE.search(text):
            found.append(text)
    return found
