from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"

    def ready(self) -> None:
        from cases import sections

        from . import policy  # noqa: F401 (registers the access policies)
        from .meetings.selectors import youth_meetings_block
        from .plans import policy as plan_policy  # noqa: F401 (the plan's, issue 13)
        from .selectors import team_for_youth

        # The youth's page (cases) shows the team and its meetings without importing teams.
        sections.register("team", lambda *, user, youth: team_for_youth(youth=youth))
        sections.register("meetings", youth_meetings_block)
