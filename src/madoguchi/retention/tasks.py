"""The daily purge in the task worker. Each run queues the next one; ``purge_expired
--schedule`` queues the first (make demo and a deployment's start do it once)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from madoguchi.bundles import services as bundles
from madoguchi.submissions import services as submissions

from . import services


@task()
def purge_expired() -> dict[str, int]:
    done = services.purge()
    # Drafts nobody saved for MADOGUCHI_DRAFT_TTL_DAYS (single and bundle), with their files.
    expired_drafts = submissions.purge_expired_drafts() + bundles.purge_expired_drafts()
    schedule_next()
    return {
        "procedures": len(done),
        "anonymised": sum(p.anonymised for p in done),
        "drafts_deleted": sum(p.drafts_deleted for p in done),
        "expired_drafts_deleted": expired_drafts,
        "files_removed": sum(p.files_removed for p in done),
    }


def next_run(now: dt.datetime) -> dt.datetime:
    """The next ``MADOGUCHI_RETENTION_HOUR`` o'clock (local time) after ``now``."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.MADOGUCHI_RETENTION_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def schedule_next(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the next daily run unless one is already waiting; returns its time, or None."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=purge_expired.module_path, status="READY")
    if waiting.exists():
        return None
    run_after = next_run(now or timezone.now())
    purge_expired.using(run_after=run_after).enqueue()
    return run_after
