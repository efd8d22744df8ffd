from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the benchmark; installed by local settings only (never in production)."""

    name = "demo"
    verbose_name = "Demo data"
