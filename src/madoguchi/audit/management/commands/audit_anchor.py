from django.core.management.base import BaseCommand, CommandError

from madoguchi.audit import chain


class Command(BaseCommand):
    help = (
        "Keep the audit chain's current head (sequence and hash) as an anchor and print the line "
        "to publish outside the database; verify_audit_chain then detects a cut tail."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            anchor = chain.anchor()
        except chain.ChainBroken as broken:
            problem = broken.report.first_break
            raise CommandError(
                f"Not anchored: the chain is broken at entry #{problem.sequence} "
                f"({problem.kind}). Run verify_audit_chain."
            ) from broken
        self.stdout.write(anchor.line)
