from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from referrals.concerns import policy as concerns_policy  # registers the policy of concern reports
        from referrals.intake import policy as intake_policy  # noqa: F401 (registers the policy of intake candidates)
        from teams.policy import register_barnevern_case_check

        # Those who work a barnevern case about a child may plan barnevern's meetings about it.
        register_barnevern_case_check(concerns_policy.works_barnevern_case)
