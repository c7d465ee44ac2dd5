from django.dispatch import Signal

# Sent after the transaction that marked a payment paid commits (``payment`` argument). The
# cases app listens: a paid draft is submitted, a case waiting for payment is issued.
payment_paid = Signal()
