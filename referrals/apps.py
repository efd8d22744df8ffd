from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from . import concern_policy, policy  # noqa: F401 (register the access policies of intake candidates and concern reports)
