"""Move every encrypted value to the current key (the first of MADOGUCHI_ENCRYPTION_KEYS),
after adding a new key in front; then the old key can be removed from the keyring."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from madoguchi.core import crypto
from madoguchi.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt personal data under the current key. --dry-run only counts."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        current = crypto.current_key_id()
        total = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    count = self._rotate(model, field, current, dry_run=options["dry_run"])
                    total += count
                    self.stdout.write(f"{model._meta.label}.{field.name}: {count} to re-encrypt")
        verb = "would be re-encrypted" if options["dry_run"] else "re-encrypted"
        self.stdout.write(f"{total} values {verb} under key {current}.")

    def _rotate(
        self, model: type, field: EncryptedTextField, current: str, *, dry_run: bool
    ) -> int:
        table, column = model._meta.db_table, field.column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(model._meta.pk.column)}, {quote(column)} FROM {quote(table)} "  # noqa: S608
                f"WHERE {quote(column)} <> ''"
            )
            stale = [(pk, raw) for pk, raw in cursor.fetchall() if crypto.key_id_of(raw) != current]
        if dry_run:
            return len(stale)
        for pk, raw in stale:
            with transaction.atomic():
                plaintext = crypto.decrypt(raw, context=field.crypto_context)
                model.objects.filter(pk=pk).update(**{field.name: plaintext})
        return len(stale)
