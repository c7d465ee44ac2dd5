from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Madoguchi Sandbox Pay: a stand-in for a hosted-payment provider that runs inside the
    demo, with its own pages, its own records and signed webhooks. Refused in production."""

    name = "madoguchi.payments.contrib.sandbox"
    label = "payments_sandbox"
    verbose_name = "Sandbox Pay"

    def ready(self) -> None:
        from . import provider  # noqa: F401  registers the provider
