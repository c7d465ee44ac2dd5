from django_tasks import task

from . import services


@task()
def issue_document(case_id: int) -> None:
    services.issue(case_id)


@task()
def issue_rejection_notice(case_id: int) -> None:
    services.issue_notice(case_id)
