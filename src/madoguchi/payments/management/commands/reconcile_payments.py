import datetime as dt

from django.core.management.base import BaseCommand

from madoguchi.payments import services


class Command(BaseCommand):
    help = "Ask the payment provider about payments whose webhook has not come (run from cron)."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--older-than-minutes", type=int, default=10)

    def handle(self, *args: object, **options: object) -> None:
        changed = services.reconcile(dt.timedelta(minutes=int(options["older_than_minutes"])))
        self.stdout.write(f"{changed} payment(s) changed state.")
