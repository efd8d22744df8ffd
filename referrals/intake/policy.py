"""Who sees the intake queue of a district, and who decides in it (the core.access policy of
referrals.models.IntakeCandidate; registered when the app is ready, referrals.apps).

A person sees the candidates of a district when
- they hold a case-work role in force in a unit of that district (the coordinators, leaders,
  followers and caseworkers of the district's services), or
- they are a staff participant of one of the district's intake or list meetings (the police
  contacts and city-wide services that sit in those meetings), or
- they proposed the candidate themselves.

Actions on a candidate a person sees:
- decide: the coordinators and leaders of the district's follow-up unit (FOLLOWUP_UNIT_KIND):
  they run the intake meeting and assign followers.

What a person sees of a named candidate is the sharing policy's to decide (consent.policy):
the selectors ask it for every category beyond the referral's own content (reason, urgency,
proposing service).

Intake and list meetings (teams.models.Meeting of kind INTAKE or LIST) are fetched by
`meeting_for_user` until teams.policy registers the Meeting policy: the district's staff and
the meeting's staff participants see the meeting; its coordinators and leaders run it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from core import access
from org.models import StaffRole, Unit
from org.selectors import staffroles_active
from referrals.models import IntakeCandidate
from teams.models import Meeting, MeetingKind, MeetingParticipant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


# The unit that holds the district's one-to-one follow-ups (the follow-up team).
FOLLOWUP_UNIT_KIND = Unit.Kind.SALTO
DECIDERS = (StaffRole.Role.COORDINATOR, StaffRole.Role.LEADER)
NOT_CASE_ROLES = (StaffRole.Role.ADMINISTRATOR,)
MEETING_KINDS = (MeetingKind.INTAKE, MeetingKind.LIST)


def _active(user: User | AnonymousUser) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def working_roles(user: User | AnonymousUser) -> QuerySet[StaffRole]:
    """The person's roles in force that are case work (not administration)."""
    return staffroles_active(user=user).exclude(role__in=NOT_CASE_ROLES)


def district_ids_for(user: User | AnonymousUser) -> QuerySet[Any]:
    """The districts in which the person works (a case-work role in a unit of the district)."""
    return working_roles(user).filter(unit__district__isnull=False).values("unit__district_id")


def intake_meeting_districts(user: User | AnonymousUser) -> QuerySet[Any]:
    """The districts of the intake and list meetings the person takes part in as staff."""
    return MeetingParticipant.objects.filter(
        user=access.signed_in(user), kind=MeetingParticipant.Kind.STAFF, meeting__kind__in=MEETING_KINDS
    ).values("meeting__district_id")


def queue_district_ids(user: User | AnonymousUser) -> set[int]:
    """The districts whose intake queue the person sees (module docstring)."""
    if not _active(user):
        return set()
    ids = set(district_ids_for(user).values_list("unit__district_id", flat=True))
    ids |= {pk for pk in intake_meeting_districts(user).values_list("meeting__district_id", flat=True) if pk}
    return ids


def _scope(user: User) -> Q:
    return (
        Q(district_id__in=district_ids_for(user))
        | Q(district_id__in=intake_meeting_districts(user))
        | Q(proposed_by=user)
    )


def decider_district_ids(user: User | AnonymousUser) -> QuerySet[Any]:
    return (
        working_roles(user)
        .filter(role__in=DECIDERS, unit__kind=FOLLOWUP_UNIT_KIND, unit__district__isnull=False)
        .values("unit__district_id")
    )


def may_decide_in(user: User | AnonymousUser, district_id: int | None) -> bool:
    """A coordinator or leader of the district's follow-up unit."""
    if not _active(user) or district_id is None:
        return False
    return decider_district_ids(user).filter(unit__district_id=district_id).exists()


def may_decide(user: User, candidate: IntakeCandidate) -> bool:
    return may_decide_in(user, candidate.district_id)


def may_override_capacity_in(user: User | AnonymousUser, district_id: int | None) -> bool:
    """A leader of the district's follow-up unit (cases.services.followup_assign lets a leader
    allow a follower one more youth than the limit, with a written reason)."""
    if not _active(user) or district_id is None:
        return False
    return (
        working_roles(user)
        .filter(role=StaffRole.Role.LEADER, unit__kind=FOLLOWUP_UNIT_KIND, unit__district_id=district_id)
        .exists()
    )


def may_propose(user: User | AnonymousUser) -> bool:
    """Anyone in case work may propose a youth (candidates come from barnevern, police,
    schools and other services)."""
    return _active(user) and working_roles(user).exists()


def may_see_intake(user: User | AnonymousUser) -> bool:
    """The intake queue page: anyone who may propose a youth, or who sees a district's queue."""
    return may_propose(user) or bool(queue_district_ids(user))


def proposing_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(pk__in=working_roles(user).values("unit_id"), is_active=True)
        .select_related("district")
        .order_by("name")
    )


access.register(
    IntakeCandidate,
    access.Policy(scope=_scope, actions={"decide": may_decide}, grantable=frozenset()),
)


# --- Intake and list meetings --------------------------------------------------------------


def may_run_meeting(user: User | AnonymousUser, meeting: Meeting) -> bool:
    """Coordinators and leaders of the district's follow-up unit run its intake and list meetings."""
    return may_decide_in(user, meeting.district_id)


def is_police_participant(user: User | AnonymousUser, meeting: Meeting) -> bool:
    return MeetingParticipant.objects.filter(
        meeting=meeting, user=access.signed_in(user), kind=MeetingParticipant.Kind.STAFF, unit__kind=Unit.Kind.POLICE
    ).exists()


def may_record_list_entry(user: User | AnonymousUser, meeting: Meeting) -> bool:
    """In a list meeting: those who run it, and the police taking part (they bring the police
    information)."""
    return may_run_meeting(user, meeting) or is_police_participant(user, meeting)
