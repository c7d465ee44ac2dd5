from django.core.management.base import BaseCommand

from madoguchi.bundles import services


class Command(BaseCommand):
    help = (
        "Delete life-event bundle drafts older than MADOGUCHI_DRAFT_TTL_DAYS with their "
        "attachments (run daily, like purge_expired_drafts)."
    )

    def handle(self, *args: object, **options: object) -> None:
        deleted = services.purge_expired_drafts()
        self.stdout.write(f"{deleted} expired bundle draft(s) deleted.")
