from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from . import policy  # noqa: F401 (registers the access policy)
