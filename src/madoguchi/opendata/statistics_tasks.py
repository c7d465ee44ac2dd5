"""The daily publication of the platform's statistics (EBPM) in the task worker.

django-tasks has no calendar, so each run queues the next one for the following night;
``manage.py publish_statistics --schedule`` starts the chain once."""

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from madoguchi.organizations.selectors import home_municipality

from . import statistics

HOUR = 3  # 03:00 Japan time, when the counters are quiet


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def is_scheduled() -> bool:
    return DBTaskResult.objects.filter(
        task_path=publish_statistics.module_path, status="READY"
    ).exists()


def schedule() -> bool:
    """Queue the next run unless one is waiting; True when one was queued."""
    if is_scheduled():
        return False
    publish_statistics.using(run_after=next_run()).enqueue()
    return True


@task()
def publish_statistics() -> list[str]:
    names = statistics.publish(home_municipality())
    schedule()
    return names
