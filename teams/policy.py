"""Who may change a youth's team, and who sees and works a meeting (who sees and leads a unit:
org.policy).

- change a youth's team (add, end, pass lead responsibility): `may_manage_team`;
- a staff member in a youth's team sees the youth: django-guardian's `cases.view_youth` on the
  youth, given and taken away by teams.services only (and the demo data), through
  `team_access_sync` (what they see of the youth is consent.policy's to decide).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Permission
from django.db.models import Q
from guardian.models import UserObjectPermission

from core import access
from org.models import StaffRole, Unit
from org.selectors import staffroles_active
from teams.models import (
    YOUTH_MEETING_KINDS,
    ActionItem,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    Minutes,
    MinutesRevision,
    TeamMember,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cases.models import Youth
    from core.models import User


# --- Youth teams -------------------------------------------------------------------------

TEAM_ACCESS_PERMISSION = "cases.view_youth"


def may_manage_team(user: User | AnonymousUser, youth: Youth) -> bool:
    """Those who work the youth's follow-up (the unit's coordinators and leaders, anyone with an
    assignment in force on the open follow-up: cases.policy), and the member who holds lead
    responsibility now, whatever their service (a barnevern caseworker may lead a team)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return (
        access.can(user, youth, "manage_followup")
        or access.can(user, youth, "log_contact")
        or TeamMember.objects.filter(youth=youth, user=user, is_lead=True, ends_on__isnull=True).exists()
    )


def team_access_sync(*, youths: Iterable[Youth]) -> None:
    """The grant comes from team membership only: every staff member in force in these youths'
    teams sees the youth (django-guardian's `cases.view_youth`), and nobody else through it; a
    member who leaves keeps it while still in the team another way. A few queries for any
    number of youths. Called by teams.services after every change of a team (joining,
    leaving), and by the demo data after its bulk save of the teams."""
    youth_pks = {str(youth.pk) for youth in youths}
    if not youth_pks:
        return
    app_label, codename = TEAM_ACCESS_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    wanted = {
        (user_id, str(youth_id))
        for user_id, youth_id in TeamMember.objects.filter(
            youth_id__in=youth_pks, kind=TeamMember.Kind.STAFF, user__isnull=False, ends_on__isnull=True
        ).values_list("user_id", "youth_id")
    }
    granted = UserObjectPermission.objects.filter(
        permission=permission, content_type=permission.content_type, object_pk__in=youth_pks
    )
    have = {(user_id, object_pk): pk for pk, user_id, object_pk in granted.values_list("pk", "user_id", "object_pk")}
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        UserObjectPermission.objects.filter(pk__in=stale).delete()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user_id=user_id, object_pk=object_pk, permission=permission, content_type=permission.content_type
            )
            for user_id, object_pk in sorted(set(wanted) - set(have))
        ]
    )


# --- Meetings ------------------------------------------------------------------------------
# Who sees a meeting about a youth (a team meeting, start-up, handover, ...): whoever may see the
# youth (cases.policy: the youth's follow-up and team) and the meeting's staff participants, and
# no one else, whoever organised it; its minutes are about the youth, and what each of them sees
# of them is consent.policy's to decide, section by section (teams.meetings.selectors). An intake
# or list meeting (about no one youth): its staff participants, its creator, the organising unit's
# staff and those with case work in the district (what they see of a named candidate follows the
# candidate's own rules, referrals.intake.selectors). An administrator role gives no sight of meetings:
# administrators manage the organisation, not cases (core.access).
#
# - edit (minutes, action items, presence, ratings): staff participants, the creator, and the
#   organising unit's coordinators, leaders and followers;
# - approve (approve minutes; change or cancel the meeting): the creator, the organising unit's
#   coordinators and leaders, and for a meeting about a youth the team member who holds lead
#   responsibility now.
# Planning a new meeting: `may_plan_meeting`.

MEETING_EDITORS = (
    StaffRole.Role.COORDINATOR,
    StaffRole.Role.LEADER,
    StaffRole.Role.FOLLOWER,
    StaffRole.Role.FAMILY_FOLLOWER,
)
MEETING_APPROVERS = (StaffRole.Role.COORDINATOR, StaffRole.Role.LEADER)


def _meeting_scope(user: User) -> Q:
    """Who sees a meeting (see above): a meeting about a youth follows the youth's need-to-know;
    the organising unit, the creator and the district count only for meetings about no youth."""
    from cases.models import Youth

    participating = MeetingParticipant.objects.filter(user=user, kind=MeetingParticipant.Kind.STAFF)
    youths = access.visible(user, Youth.objects.all()).values("pk")
    working = staffroles_active(user=user).exclude(role=StaffRole.Role.ADMINISTRATOR)
    districts = working.filter(unit__district__isnull=False).values("unit__district_id")
    about_no_youth = Q(youth__isnull=True) & (
        Q(created_by=user)
        | Q(unit_id__in=working.values("unit_id"))
        | Q(kind__in=[MeetingKind.INTAKE, MeetingKind.LIST], district_id__in=districts)
    )
    return Q(pk__in=participating.values("meeting_id")) | Q(youth_id__in=youths) | about_no_youth


def _unit_role(user: User, unit_id: int, roles: tuple[str, ...]) -> bool:
    return staffroles_active(user=user).filter(unit_id=unit_id, role__in=roles).exists()


def may_edit_meeting(user: User, meeting: Meeting) -> bool:
    return (
        meeting.created_by_id == user.pk
        or MeetingParticipant.objects.filter(meeting=meeting, user=user, kind=MeetingParticipant.Kind.STAFF).exists()
        or _unit_role(user, meeting.unit_id, MEETING_EDITORS)
    )


def may_approve_meeting(user: User, meeting: Meeting) -> bool:
    return (
        meeting.created_by_id == user.pk
        or _unit_role(user, meeting.unit_id, MEETING_APPROVERS)
        or (
            meeting.youth_id is not None
            and TeamMember.objects.filter(
                youth_id=meeting.youth_id, user=user, is_lead=True, ends_on__isnull=True
            ).exists()
        )
    )


# Meetings barnevern holds about a child in its own case (routine 3 of seed 002: the handover
# from investigation to measures; the school–barnevern cooperation meeting), whether or not the
# youth has a one-to-one team.
BARNEVERN_MEETING_KINDS = frozenset({MeetingKind.HANDOVER, MeetingKind.SCHOOL_BARNEVERN})


# Whether a person works an open barnevern case (a concern report under investigation or with
# measures) about the youth is the concern reports' to say: referrals sits above teams, so it
# registers its check here when it is ready (referrals.apps); without it, no one does.
_barnevern_case_checks: list[Callable[[Any, Youth], bool]] = []


def register_barnevern_case_check(check: Callable[[Any, Youth], bool]) -> None:
    if check not in _barnevern_case_checks:
        _barnevern_case_checks.append(check)


def _works_barnevern_case(user: User, youth: Youth) -> bool:
    """Does the person work an open concern report (investigation or measures) about the youth?"""
    return any(check(user, youth) for check in _barnevern_case_checks)


def may_plan_meeting(user: User | AnonymousUser, *, kind: str, unit: Unit | None, youth: Youth | None = None) -> bool:
    """A meeting about a youth: whoever may change the youth's team, a staff member of the team,
    or, for a handover or school–barnevern meeting, whoever works barnevern's open case about the
    youth. An intake or list meeting: the organising unit's coordinators and leaders."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if kind in YOUTH_MEETING_KINDS:
        if youth is None:
            return False
        return (
            may_manage_team(user, youth)
            or TeamMember.objects.filter(
                youth=youth, user=user, kind=TeamMember.Kind.STAFF, ends_on__isnull=True
            ).exists()
            or (kind in BARNEVERN_MEETING_KINDS and _works_barnevern_case(user, youth))
        )
    return unit is not None and _unit_role(user, unit.pk, MEETING_APPROVERS)


access.register(
    Meeting,
    access.Policy(
        scope=_meeting_scope,
        actions={"edit": may_edit_meeting, "approve": may_approve_meeting},
        grantable=frozenset(),
    ),
)

# A meeting's minutes, their revisions, its action items and its participants are seen by whoever
# sees the meeting (what each sees of the minutes is consent.policy's to decide, section by
# section); changing them is the meeting's "edit", approving the minutes its "approve".
# A member of a youth's team is seen by whoever sees the youth (cases.policy).
access.register_child(TeamMember, parent="youth")
access.register_child(Minutes, parent="meeting", actions={"edit": "edit", "approve": "approve"})
access.register_child(MinutesRevision, parent="minutes__meeting")


# An action item is seen with its meeting; a step of a youth's plan with a helper and a date is
# an action item too (teams.plans), with or without a meeting: it is seen with the plan, that is
# by whoever sees the youth. Changing it is its meeting's "edit", or for a plan's step
# `may_change_plan`.
def _action_item_scope(user: User) -> Q:
    from cases.models import Youth

    meetings = access.visible(user, Meeting.objects.all()).values("pk")
    youths = access.visible(user, Youth.objects.all()).values("pk")
    return Q(meeting_id__in=meetings) | Q(from_plan=True, youth_id__in=youths)


def may_change_plan(user: User | AnonymousUser, youth: Youth) -> bool:
    """Who changes a youth's plan (teams.plans) and records its acknowledgements: those who work
    the youth's follow-up (cases.policy: log_contact, manage_followup), whoever may change the
    team (`may_manage_team`, the lead among them) and the staff members of the youth's team.
    The youth must be visible to them (core.access)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if not access.can(user, youth):
        return False
    return may_manage_team(user, youth) or (
        TeamMember.objects.filter(youth=youth, user=user, kind=TeamMember.Kind.STAFF, ends_on__isnull=True).exists()
    )


def may_edit_action_item(user: User, item: ActionItem) -> bool:
    meeting = item.meeting
    if meeting is not None and access.can(user, meeting, access.VIEW) and may_edit_meeting(user, meeting):
        return True
    return item.from_plan and item.youth is not None and may_change_plan(user, item.youth)


access.register(
    ActionItem,
    access.Policy(scope=_action_item_scope, actions={"edit": may_edit_action_item}, grantable=frozenset()),
)
access.register_child(MeetingParticipant, parent="meeting", actions={"edit": "edit"})
