from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from madoguchi.retention import services, tasks


class Command(BaseCommand):
    help = (
        "Anonymise applications past their procedure's retention period, delete expired drafts "
        "and remove issued files past their download period. --dry-run only reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Only queue the daily run in the task worker (once; later runs queue the next).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["schedule"]:
            at = tasks.schedule_next()
            self.stdout.write(
                f"Daily purge queued for {timezone.localtime(at):%Y-%m-%d %H:%M %Z}."
                if at
                else "A daily purge is already queued."
            )
            return
        dry_run = bool(options["dry_run"])
        now = timezone.now()
        done = services.purge(now=now, dry_run=dry_run)
        verbs = (
            ("would be anonymised", "would be deleted", "would be removed")
            if dry_run
            else ("anonymised", "deleted", "removed")
        )
        self.stdout.write(
            f"{'Dry run: nothing changed. ' if dry_run else ''}"
            f"Retention at {timezone.localtime(now):%Y-%m-%d %H:%M %Z}:"
        )
        for result in done:
            p = result.procedure
            self.stdout.write(
                f"  {p.municipality.code} {p.code}: {result.anonymised} applications {verbs[0]}, "
                f"{result.drafts_deleted} drafts {verbs[1]} ({result.drafts_kept} kept for a "
                f"payment), {result.attachments_removed} attachments and "
                f"{result.files_removed} issued files {verbs[2]}"
            )
        self.stdout.write(
            f"Total: {sum(r.anonymised for r in done)} applications, "
            f"{sum(r.drafts_deleted for r in done)} drafts, "
            f"{sum(r.attachments_removed for r in done)} attachments, "
            f"{sum(r.files_removed for r in done)} files in {len(done)} procedures."
        )
