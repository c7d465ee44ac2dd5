"""Make a staff member a catalog administrator of the open data portal, or no longer one: a
member of the Django group that holds ``opendata.manage_catalog`` (opendata.permissions). The
group can also be edited in the admin; this is for users, whom the admin does not list."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.opendata import permissions, selectors

GROUP = "オープンデータ カタログ管理者"


class Command(BaseCommand):
    help = "Grant (or --revoke) the open data catalog administrator role to a staff member."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args: Any, username: str, revoke: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not selectors.is_staff(user):
            raise CommandError(f"{username} is not a staff member of this municipality.")
        group, _created = Group.objects.get_or_create(name=GROUP)
        app_label, codename = permissions.MANAGE_CATALOG.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
        if revoke:
            user.groups.remove(group)
        else:
            user.groups.add(group)
        user = get_user_model().objects.get(pk=user.pk)  # has_perm caches per instance
        state = "is" if permissions.is_catalog_admin(user) else "is not"
        self.stdout.write(f"{username} {state} a catalog administrator.")
