from django.core.management.base import BaseCommand, CommandError

from madoguchi.audit import chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and report the first altered, deleted or relinked "
        "entry. Prints the head hash, which an auditor can keep elsewhere to detect a cut tail."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = chain.verify()
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
        }[problem.kind]
        where = f" (id {problem.entry_id})" if problem.entry_id else ""
        raise CommandError(
            f"Audit chain broken at entry #{problem.sequence}{where}: it {what}. "
            f"{report.checked} entries before it are intact."
        )
