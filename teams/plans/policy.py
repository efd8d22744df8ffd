"""Who sees and changes a youth's plan (issue 13, point 7).

- The plan and everything in it (goals, steps, versions, acknowledgements) is a child of the
  youth (core.access): seen by whoever may open the youth, that is the follow-up team and the
  members of the youth's team through their grant; anyone else gets 404. What each of them sees
  of the goals and steps is consent.policy's to decide, by the category of each goal's life area
  (teams.plans.selectors).
- Changing the plan and recording acknowledgements (`may_change_plan`): those who work the
  youth's follow-up (cases.policy: log_contact, manage_followup), whoever may change the team
  (teams.policy.may_manage_team, the lead among them) and the staff members of the youth's team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import access
from teams.models import TeamMember
from teams.plans.models import Plan, PlanAcknowledgement, PlanGoal, PlanStep, PlanVersion
from teams.policy import may_manage_team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cases.models import Youth
    from core.models import User


def may_change_plan(user: User | AnonymousUser, youth: Youth) -> bool:
    """See the module docstring. The youth must be visible to the user (core.access)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if not access.can(user, youth):
        return False
    return may_manage_team(user, youth) or (
        TeamMember.objects.filter(youth=youth, user=user, kind=TeamMember.Kind.STAFF, ends_on__isnull=True).exists()
    )


def _may_change(user: User, child: Any) -> bool:
    youth = access.parent_of(child)
    return may_change_plan(user, youth)  # type: ignore[arg-type]


access.register_child(Plan, parent="youth", actions={"edit": _may_change})
access.register_child(PlanGoal, parent="plan__youth", actions={"edit": _may_change})
access.register_child(PlanStep, parent="goal__plan__youth", actions={"edit": _may_change})
access.register_child(PlanVersion, parent="plan__youth", actions={"acknowledge": _may_change})
access.register_child(PlanAcknowledgement, parent="version__plan__youth")
