from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from madoguchi.issuance import demo_ca


class Command(BaseCommand):
    help = "Create a demo CA and the municipality's demo signing certificate (demo mode only)."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when a certificate exists."
        )

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("Production loads its real signing certificate from settings.")
        cert = Path(settings.MADOGUCHI_SIGNING_CERT)
        if options["if_missing"] and cert.exists():
            return
        paths = demo_ca.create(cert.parent)
        self.stdout.write(f"Demo CA and signing certificate written to {cert.parent}")
        self.stdout.write(f"Trust anchor for validators: {paths['ca']}")
