from django_tasks import task

from . import services


@task()
def evaluate_run_task(run_id: int) -> None:
    services.evaluate_run(run_id)


@task()
def send_notices_task(run_id: int) -> None:
    services.send_notices(run_id)
