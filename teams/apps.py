from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"

    def ready(self) -> None:
        from . import policy  # noqa: F401 (registers the access policies)
