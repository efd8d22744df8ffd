from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from referrals.concerns import policy as concerns_policy  # noqa: F401 (registers the policy of concern reports)
        from referrals.intake import policy as intake_policy  # noqa: F401 (registers the policy of intake candidates)
