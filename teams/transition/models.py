"""The transition checklist's model lives in teams.models (beside the plan it is a section of),
where Django loads the teams app's models from. Named here too for readers of this package."""

from teams.models import TRANSITION_HOW_MAX, TRANSITION_NAME_MAX, TransitionItem, TransitionPoint

__all__ = ["TRANSITION_HOW_MAX", "TRANSITION_NAME_MAX", "TransitionItem", "TransitionPoint"]
