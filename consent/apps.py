from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"

    def ready(self) -> None:
        from . import (
            discussion_policy,  # noqa: F401 (registers the access policy of anonymous discussions)
            policy,  # noqa: F401 (registers consents and their versions as children of the youth)
        )
