from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"

    def ready(self) -> None:
        from cases import sections
        from cases import services as case_services

        from . import policy  # noqa: F401 (registers the access policies)
        from .meetings import minutes_template
        from .meetings import sections as meeting_sections
        from .meetings import selectors as meeting_selectors
        from .meetings import services as meeting_services
        from .meetings.selectors import youth_meetings_block
        from .plans import policy as plan_policy  # noqa: F401 (the plan's, issue 13)
        from .plans import selectors as plan_selectors
        from .plans import services as plan_services
        from .plans import views as plan_views
        from .selectors import team_for_youth
        from .transition import policy as transition_policy  # noqa: F401 (the checklist's, issue 14)
        from .transition import services as transition_services
        from .transition.minutes import turning_18_headings

        # The youth's page (cases) shows the team and its meetings without importing teams.
        sections.register("team", lambda *, user, youth: team_for_youth(youth=youth))
        sections.register("meetings", youth_meetings_block)
        # The plan on the youth's page (its review and acknowledgement) and beside the minutes
        # of a meeting about the youth (teams.meetings.sections: meetings sits below plans).
        sections.register("plan", lambda *, user, youth: plan_selectors.plan_summary(user=user, youth=youth))
        meeting_sections.register("plan", plan_views.plan_meeting_section)
        # A plan's steps are action items (teams.plans sits above meetings): what moving one on
        # from a meeting means for the plan, and what of them a meeting page shows.
        meeting_services.register_plan_step_hooks(
            meeting_services.PlanStepHooks(
                withheld=lambda user, item: plan_selectors.plan_step_withheld(user=user, item=item),
                status_followed=plan_services.plan_step_status_followed,
            )
        )
        meeting_selectors.register_plan_items_filter(plan_selectors.plan_items_shown)
        # The handover meeting at 18 writes its minutes under the checklist's points (issue 14;
        # teams.transition sits above meetings).
        minutes_template.register_turning_18_headings(turning_18_headings())
        # When the follow-up closes at 18, the team moves to the service that takes over (cases
        # sits below teams: it calls what is registered, in the closing's transaction).
        case_services.register_followup_closed(transition_services.transition_followup_closed)
