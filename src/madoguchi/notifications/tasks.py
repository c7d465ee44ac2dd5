from django_tasks import task

from . import services


@task()
def deliver_task(delivery_id: int) -> None:
    services.deliver(delivery_id)
