from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"

    def ready(self) -> None:
        from consent import policy  # noqa: F401 (registers consents and their versions as children of the youth)
        from consent.discussions import policy as discussions_policy  # noqa: F401 (the policy of anonymous discussions)
