from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Kyoto City's organization and catalog, and the generated demo residents and accounts."""

    name = "madoguchi.demo"
    label = "demo"

    def ready(self) -> None:
        from . import prefill  # noqa: F401  registers the demo prefill source
