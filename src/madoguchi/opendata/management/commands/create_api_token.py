"""Issue an API token for the CKAN action API to a staff member; the token is shown once."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.opendata import selectors
from madoguchi.opendata.models import ApiToken


class Command(BaseCommand):
    help = "Issue a CKAN API token to a staff member (printed once, stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="ckanapi", help="what the token is for")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not selectors.is_staff(user):
            raise CommandError(f"{username} is not a staff member of this municipality.")
        self.stdout.write(ApiToken.issue(user, name)[1])
