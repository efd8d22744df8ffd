from django.apps import AppConfig


class OrgConfig(AppConfig):
    """The bottom layer: districts, units and staff roles (every other app builds on it)."""

    name = "org"
    verbose_name = "Organisasjon"

    def ready(self) -> None:
        from . import policy  # noqa: F401 (registers the access policy of units)
