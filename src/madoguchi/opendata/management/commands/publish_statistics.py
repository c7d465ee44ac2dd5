from django.core.management.base import BaseCommand, CommandParser

from madoguchi.opendata import statistics, statistics_tasks
from madoguchi.organizations.selectors import home_municipality


class Command(BaseCommand):
    help = "Publish the platform's statistics (EBPM) as open datasets now; --schedule: daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily run in the task worker instead of publishing now.",
        )

    def handle(self, *args: object, schedule: bool = False, **options: object) -> None:
        if schedule:
            queued = statistics_tasks.schedule()
            self.stdout.write("queued" if queued else "already queued")
            return
        for name in statistics.publish(home_municipality()):
            self.stdout.write(f"published {name}")
