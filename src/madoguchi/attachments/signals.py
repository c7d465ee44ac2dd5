from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Attachment


@receiver(post_delete, sender=Attachment)
def delete_stored_file(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    """The file goes with its row (a replaced upload, a purged draft), once the delete holds."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
