"""The plan's models live in teams.models, beside ActionItem and TeamMember (a step with a
helper and a date IS an action item; helpers are team members), where Django loads the teams
app's models from. Named here too for readers of this package."""

from teams.models import (
    GOAL_TEXT_MAX,
    GOALS_MAX,
    SNAPSHOT_MAX,
    STEP_TEXT_MAX,
    STEPS_PER_GOAL_MAX,
    SUMMARY_MAX,
    WHY_MAX,
    Plan,
    PlanAcknowledgement,
    PlanArea,
    PlanGoal,
    PlanStep,
    PlanVersion,
)

__all__ = [
    "GOALS_MAX",
    "GOAL_TEXT_MAX",
    "SNAPSHOT_MAX",
    "STEPS_PER_GOAL_MAX",
    "STEP_TEXT_MAX",
    "SUMMARY_MAX",
    "WHY_MAX",
    "Plan",
    "PlanAcknowledgement",
    "PlanArea",
    "PlanGoal",
    "PlanStep",
    "PlanVersion",
]
