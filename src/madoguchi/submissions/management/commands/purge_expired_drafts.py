from django.core.management.base import BaseCommand

from madoguchi.submissions import services


class Command(BaseCommand):
    help = "Delete drafts older than MADOGUCHI_DRAFT_TTL_DAYS with their attachments (run daily)."

    def handle(self, *args: object, **options: object) -> None:
        deleted = services.purge_expired_drafts()
        self.stdout.write(f"{deleted} expired draft(s) deleted.")
