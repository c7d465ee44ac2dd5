from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from madoguchi.demo import accounts, bundles, kyoto, opendata, residents
from madoguchi.residents.models import Person


class Command(BaseCommand):
    help = "Load Kyoto City's organization and catalog, demo residents and demo logins."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--persons", type=int, default=400)

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is never loaded outside demo mode.")
        municipality = kyoto.load_organization()
        procedures = kyoto.load_catalog(municipality)
        life_events = bundles.load_bundles(municipality)
        if not Person.objects.filter(municipality=municipality).exists():
            residents.generate(municipality, persons=int(options["persons"]))
            residents.add_ledgers(municipality)
        staff = accounts.create_staff(municipality)
        demo_residents = accounts.create_residents(municipality)
        datasets = opendata.load(municipality)
        self.stdout.write(
            f"{municipality.name_ja} ({municipality.code}): {len(procedures)} procedures, "
            f"{len(life_events)} life-event bundles, "
            f"{Person.objects.filter(municipality=municipality).count()} residents, "
            f"{len(staff)} staff logins, {len(demo_residents)} demo residents, "
            f"{len(datasets)} open datasets."
        )
