from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from . import policy  # noqa: F401 (registers the access policy of intake candidates)
