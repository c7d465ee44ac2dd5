from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Kyoto City's organization and catalog, and the generated demo residents and accounts."""

    name = "madoguchi.demo"
    label = "demo"
