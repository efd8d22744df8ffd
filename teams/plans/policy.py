"""Who sees and changes a youth's plan (issue 13, point 7).

- The plan and everything in it (goals, steps, versions, acknowledgements) is a child of the
  youth (core.access): seen by whoever may open the youth, that is the follow-up team and the
  members of the youth's team through their grant; anyone else gets 404. What each of them sees
  of the goals and steps is consent.policy's to decide, by the category of each goal's life area
  (teams.plans.selectors).
- Changing the plan and recording acknowledgements: teams.policy.may_change_plan (beside who
  changes the team): those who work the youth's follow-up, whoever may change the team, and the
  staff members of the youth's team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from consent.models import Category
from core import access
from teams.models import Plan, PlanAcknowledgement, PlanArea, PlanGoal, PlanStep, PlanVersion
from teams.policy import may_change_plan, may_manage_team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cases.models import Youth
    from core.models import User


def goal_categories(area: PlanArea) -> list[str]:
    """What a goal in this life area (and each of its steps) is, for the sharing policy: who the
    youth is (identity and contact, like every item about a youth) and the area's own category.
    Recorded by the service that keeps the youth's record (the follow-up's), which keeps the plan."""
    return sorted({Category.IDENTITY_CONTACT.value, area.category})


def _may_change(user: User, child: Any) -> bool:
    youth = access.parent_of(child)
    return may_change_plan(user, youth)  # type: ignore[arg-type]


access.register_child(Plan, parent="youth", actions={"edit": _may_change})
access.register_child(PlanGoal, parent="plan__youth", actions={"edit": _may_change})
access.register_child(PlanStep, parent="goal__plan__youth", actions={"edit": _may_change})
access.register_child(PlanVersion, parent="plan__youth", actions={"acknowledge": _may_change})
access.register_child(PlanAcknowledgement, parent="version__plan__youth")


def may_print_youth_copy(user: User | AnonymousUser, youth: Youth) -> bool:
    """Who prints "Min plan", the youth's own copy (with who may see what of the youth and
    who has looked lately, from the disclosure log): those who work the youth's follow-up and
    the member holding lead responsibility (teams.policy.may_manage_team), the people the
    youth and the guardians ask. Other members of the team print the staff copy, filtered by
    the sharing policy."""
    return may_manage_team(user, youth)
