from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.opendata import harvest, services
from madoguchi.opendata.models import Organization


class Command(BaseCommand):
    help = (
        "Import (and on later runs update) the catalog of another CKAN-API portal into one "
        "local organization."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The portal's base URL, e.g. https://data.example.jp")
        parser.add_argument("--organization", required=True, help="Local organization name")
        parser.add_argument(
            "--title", default="", help="Title of the organization when it does not exist yet"
        )

    def handle(self, *args: object, **options: str) -> None:
        organization = Organization.objects.filter(name=options["organization"]).first()
        if organization is None:
            if not options["title"]:
                raise CommandError("No such organization; give --title to create it.")
            organization = services.save_organization(
                {"name": options["organization"], "title": options["title"]}
            )
        try:
            result = harvest.harvest(options["source"], organization)
        except harvest.HarvestError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, deleted {result.deleted}"
        )
        for error in result.errors or []:
            self.stderr.write(error)
