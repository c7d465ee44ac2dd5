import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.audit import chain

ANCHOR = re.compile(r"(?:.*\bseq=)?(\d+)[:\s]+(?:sha256=)?([0-9a-f]{64})")


def _anchor(text: str) -> tuple[int, str]:
    match = ANCHOR.fullmatch(text.strip())
    if not match:
        raise CommandError(f"Not an anchor: {text!r} (expected SEQUENCE:HASH or a published line)")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and report the first altered, deleted or relinked "
        "entry, and a cut tail or rewritten chain against the anchors (audit_anchor)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            type=_anchor,
            help="An anchor kept outside the database: SEQUENCE:HASH or the published line.",
        )

    def handle(self, *args: object, **options: object) -> None:
        report = chain.verify(extra_anchors=options["anchor"])
        if report.intact:
            self.stdout.write(
                f"OK: {report.checked} entries, the chain is intact. Head hash: {report.head_hash}"
            )
            return
        problem = report.first_break
        what = {
            "altered": "was altered after it was written (its hash does not match its content)",
            "missing": "is missing: it was deleted",
            "relinked": "does not follow the entry before it (an entry was inserted or replaced)",
            "rewritten": "differs from the anchored entry (the chain was rewritten up to here)",
            "truncated": "and every later anchored entry are missing: the tail was cut",
        }[problem.kind]
        where = f" (id {problem.entry_id})" if problem.entry_id else ""
        raise CommandError(
            f"Audit chain broken at entry #{problem.sequence}{where}: it {what}. "
            f"{report.checked} entries before it are intact."
        )
