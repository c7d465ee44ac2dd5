from django_tasks import task

from . import services
from .models import Payment


@task()
def check_payment(payment_id: int) -> None:
    """Reconciliation for one payment whose webhook has not come by now."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.status == Payment.Status.PENDING:
        services.refresh(payment)
