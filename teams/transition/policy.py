"""What each point of the transition checklist is, as the sharing policy reads it, and how long
each service may follow a youth.

POINT_CATEGORY is the one map from a checklist point to the category of information it is
(consent.models.Category values): every output of the checklist (the plan page, the plans'
PDFs, the API, the handover meeting's minutes, the leader's list) shows a point only when
consent.policy opens that category to the person, recorded by the service that keeps the
youth's record, like a goal of Min plan (teams.plans.policy.goal_categories).

SERVICE_AGE_LIMITS come from settings.LAGET_SERVICE_AGE_LIMITS: the one-to-one follow-up (the
service that holds the youth's FollowUp) to 18, SaLTo to 24, barnevern's aftercare to 25; a
service not named there (NAV, adult health services) has no upper limit.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings

from consent.models import Category
from core import access
from core.dates import birthday
from org.models import Unit
from teams.models import TransitionItem, TransitionPoint
from teams.policy import may_change_plan

if TYPE_CHECKING:
    from core.models import User

POINT_CATEGORY: dict[str, str] = {
    TransitionPoint.AFTERCARE: Category.BARNEVERN.value,
    TransitionPoint.NAV: Category.IDENTITY_CONTACT.value,
    TransitionPoint.HEALTH: Category.HEALTH.value,
    TransitionPoint.HOUSING: Category.FAMILY.value,
    TransitionPoint.SCHOOL_WORK: Category.SCHOOL.value,
    TransitionPoint.CONSENT: Category.IDENTITY_CONTACT.value,
    TransitionPoint.LEAD: Category.IDENTITY_CONTACT.value,
}

# By when each point should be settled: this many months before the 18th birthday. An open point
# past its month is overdue (the leader's list shows those first). Aftercare first: the youth
# must have time to decide before barnevern's measures end.
SETTLE_BY_MONTHS: dict[str, int] = {
    TransitionPoint.AFTERCARE: 6,
    TransitionPoint.NAV: 3,
    TransitionPoint.HEALTH: 3,
    TransitionPoint.HOUSING: 3,
    TransitionPoint.SCHOOL_WORK: 3,
    TransitionPoint.LEAD: 3,
    TransitionPoint.CONSENT: 1,
}

ONE_TO_ONE = "one_to_one"


def age_limit(unit: Unit, *, holds_followup: bool) -> int | None:
    """Up to which age `unit` may follow a youth (the age the youth must be under): the
    one-to-one limit for the service that holds the youth's follow-up, otherwise by the kind of
    service; None when the setting names no limit (adult services)."""
    limits: dict[str, int] = settings.LAGET_SERVICE_AGE_LIMITS
    if holds_followup:
        return limits.get(ONE_TO_ONE)
    return limits.get(unit.kind)


def followed_until(born: datetime.date, limit: int | None) -> datetime.date | None:
    """The day the service's age limit is reached (the birthday of `limit`), None without one."""
    return None if limit is None else birthday(born, limit)


def _may_change(user: User, item: TransitionItem) -> bool:
    return may_change_plan(user, item.youth)


# A checklist point is a child of the youth (core.access): whoever may open the youth may see
# it (each point then by its category), and whoever may change the youth's plan may settle it.
access.register_child(TransitionItem, parent="youth", actions={"edit": _may_change})


# What can be done with a point in each state: the checklist's page offers these actions, and
# teams.transition.services refuses reopening a point that is not settled. The consent point is
# settled by a consent, never by hand: it can only be marked as not applying, or opened again.
SETTLE, NOT_APPLICABLE, REOPEN = "settle", "not_applicable", "reopen"
POINT_ACTIONS: dict[str, tuple[str, ...]] = {
    TransitionItem.State.OPEN: (SETTLE, NOT_APPLICABLE),
    TransitionItem.State.SETTLED: (SETTLE, NOT_APPLICABLE, REOPEN),
    TransitionItem.State.NOT_APPLICABLE: (SETTLE, REOPEN),
}


def point_actions(point: str, state: str, *, computed: bool = False) -> tuple[str, ...]:
    """The actions open on `point` in `state`. `computed`: the consent point settled by a
    consent in force, which no action here changes."""
    if point == TransitionPoint.CONSENT:
        if computed:
            return ()
        return tuple(a for a in POINT_ACTIONS[state] if a != SETTLE)
    return POINT_ACTIONS[state]
