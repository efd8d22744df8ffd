"""Who sees an anonymous discussion, and who may do what with it (the core.access policy of
consent.models.DiscussionCase; registered when the app is ready, consent.apps).

An anonymous case is brought to an intake or list meeting, where the district's services and
the police discuss it (DOMAIN.md). Until it is named, the people who may see it are those who
may sit in that meeting:
- staff with a role in force in the unit that brought it;
- staff with a role in force in any unit of the case's district (barnevern, the follow-up
  team, schools, the district's police, outreach, NAV, health…);
- staff with a role in force in a city-wide unit of a kind that takes part in intake and list
  meetings across the city (MEETING_KINDS: police, barnevern, SaLTo).
Administrators see nothing through their administrator role (core.access: they see youth data
only through the roles they work in). Closed cases that were never named stay visible to the
same people, as the record of what the meeting discussed.

Once converted, the case is the named youth's personal data: only those who may see the youth
(cases.policy, through core.access) see it, whatever their part in the meeting was.

Actions on a case a person sees:
- add_note: those who may sit in the meeting (above), not those who see it only through the
  youth; the service refuses notes on a case that is no longer open;
- convert and close: staff of the unit that brought it: it owns the case and asks for consent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, Q, QuerySet

from cases.models import Youth
from consent.models import DiscussionCase
from core import access
from org.models import StaffRole, Unit
from org.selectors import staffroles_active

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

MEETING_KINDS = (Unit.Kind.POLICE, Unit.Kind.BARNEVERN, Unit.Kind.SALTO)
NOT_CASE_ROLES = (StaffRole.Role.ADMINISTRATOR,)


def working_roles(user: User | AnonymousUser) -> QuerySet[StaffRole]:
    """The person's roles in force that are case work (not administration)."""
    return staffroles_active(user=user).exclude(role__in=NOT_CASE_ROLES)


def _meeting_q(user: User) -> Q:
    roles = working_roles(user)
    citywide = roles.filter(unit__district__isnull=True, unit__kind__in=MEETING_KINDS)
    return (
        Q(unit_id__in=roles.values("unit_id"))
        | Q(district_id__in=roles.filter(unit__district__isnull=False).values("unit__district_id"))
        | Q(Exists(citywide))
    )


def _scope(user: User) -> Q:
    anonymous = ~Q(state=DiscussionCase.State.CONVERTED) & _meeting_q(user)
    named = Q(state=DiscussionCase.State.CONVERTED) & Q(
        youth_id__in=access.visible(user, Youth.objects.all()).values("pk")
    )
    return anonymous | named


def may_take_part(user: User, case: DiscussionCase) -> bool:
    """May sit in the meeting that discusses the case (module docstring)."""
    return DiscussionCase.objects.filter(_meeting_q(user), pk=case.pk).exists()


def may_manage(user: User, case: DiscussionCase) -> bool:
    """Works in the unit that brought the case."""
    return working_roles(user).filter(unit_id=case.unit_id).exists()


def may_propose(user: User | AnonymousUser) -> bool:
    """Anyone with a role in force in case work may bring a case to a meeting."""
    return working_roles(user).exists()


def proposing_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units a person may bring a case for: where they work now."""
    return (
        Unit.objects.filter(pk__in=working_roles(user).values("unit_id"), is_active=True)
        .select_related("district")
        .order_by("name")
    )


def actions_now(user: User | AnonymousUser, case: DiscussionCase) -> list[str]:
    """What the person may do with the case now (its page's buttons, the API's `actions`): only
    an open case takes notes, or is named or closed."""
    if not case.is_open:
        return []
    return [action for action in ("add_note", "convert", "close") if access.can(user, case, action)]


access.register(
    DiscussionCase,
    access.Policy(
        scope=_scope,
        actions={"add_note": may_take_part, "convert": may_manage, "close": may_manage},
        grantable=frozenset(),
    ),
)
