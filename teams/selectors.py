"""Reads of youth teams: who is in the team around a youth, and whom a team may add."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from cases.models import FollowUp, FollowUpAssignment, Guardian, Youth
from cases.selectors import youth_get
from consent import policy as consent_policy
from consent.models import Category
from consent.services import disclosure_record
from core import access
from core.models import User
from org.models import Unit
from org.selectors import staffroles_active

from .models import TeamMember
from .policy import may_manage_team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# --- Youth teams -------------------------------------------------------------------------
# The youth is fetched (and the read audited) by cases.selectors.youth_get before any of these.

# The order of the team: whoever holds lead responsibility, then the services, the other
# adults, the youth and the guardians.
KIND_ORDER: dict[str, int] = {
    TeamMember.Kind.STAFF: 0,
    TeamMember.Kind.EXTERNAL: 1,
    TeamMember.Kind.YOUTH: 2,
    TeamMember.Kind.GUARDIAN: 3,
}
_MEMBER_RELATED = ("user", "unit__district", "guardian", "youth")


def team_for_youth(*, youth: Any) -> list[TeamMember]:
    """The youth's team now, lead first: one query however large the team."""
    members = list(TeamMember.objects.filter(youth=youth, ends_on__isnull=True).select_related(*_MEMBER_RELATED))
    return sorted(members, key=lambda m: (not m.is_lead, KIND_ORDER.get(m.kind, 9), m.name.lower(), m.pk))


@dataclass
class TeamShown:
    """What the sharing policy opens of a youth's team to one person."""

    family: bool  # the guardians who are members (family information)
    identity: bool  # the youth's contact details on their own membership (identity and contact)
    youth_phone: str | None  # the youth's phone as the policy shows it (FIELD_CATEGORY)
    # From the 18th birthday without the youth's consent to involving them, the guardians in the
    # team are told nothing (consent.policy.guardians_told): "" while they are told, else why not.
    guardians_stopped: str = ""


def team_shown(*, user: User | AnonymousUser, youth: Youth, channel: str) -> TeamShown:
    """What of the youth's team the person may see (consent.policy: the youth's record, kept by
    the service that holds the follow-up), with what was shown logged as a disclosure on
    `channel`, for the team page and the team API alike, and whether the guardians in the team
    are still told (consent.policy.guardians_told). Call it when the team is shown."""
    viewer = consent_policy.viewer(user, youth)
    family = viewer.show_record(Category.FAMILY)
    record = viewer.show_fields(youth, ["phone"])
    stopped = "" if consent_policy.guardians_told(youth) else consent_policy.guardians_not_told_reason(youth)
    shown = TeamShown(
        family=family,
        identity="phone" not in record.withheld,
        youth_phone=record.phone or None,
        guardians_stopped=stopped,
    )
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return shown


def team_history(*, youth: Any) -> QuerySet[TeamMember]:
    """Every membership the team has had, the latest first, with who added and ended it."""
    return (
        TeamMember.objects.filter(youth=youth)
        .select_related(*_MEMBER_RELATED, "added_by", "ended_by")
        .order_by("-starts_on", "-id")
    )


def teams_for_user(*, user: User) -> QuerySet[TeamMember]:
    """The person's memberships of youth teams now, with the youth and the service."""
    return (
        TeamMember.objects.filter(user=user, ends_on__isnull=True)
        .select_related("youth", "unit")
        .order_by("youth__last_name", "youth__first_name", "id")
    )


def team_youth_get(*, user: User | AnonymousUser, pk: int, manage: bool = False) -> Youth:
    """The youth whose team is shown or changed, through cases.selectors.youth_get (404 for anyone
    who may not see it; the read audited as youth.team_viewed); with `manage`, 403 for anyone
    teams.policy.may_manage_team refuses. For the team page and the team API alike."""
    youth = youth_get(user=user, pk=pk, purpose="team_viewed")
    if manage and not may_manage_team(user, youth):
        raise PermissionDenied
    return youth


def team_member_get(*, user: User | AnonymousUser, youth: Any, pk: int) -> TeamMember:
    """One current member of this youth's team, through core.access (a member is seen by whoever
    sees the youth: teams.policy), or 404."""
    members = TeamMember.objects.filter(youth=youth, ends_on__isnull=True).select_related(*_MEMBER_RELATED)
    return access.get(user, members, pk=pk)


def team_lead(*, members: list[TeamMember]) -> TeamMember | None:
    return next((member for member in members if member.is_lead), None)


def team_units() -> QuerySet[Unit]:
    """The services a staff member can take part in a team for: active, with staff in force."""
    return (
        Unit.objects.filter(is_active=True, pk__in=staffroles_active().values("unit_id"))
        .select_related("district")
        .order_by("district__number", "name")
    )


def team_unit_staff(*, unit: Unit | None, youth: Any) -> QuerySet[User]:
    """The people with a role in force in the unit who are not in the youth's team now."""
    if unit is None:
        return User.objects.none()
    members = TeamMember.objects.filter(youth=youth, ends_on__isnull=True, user__isnull=False).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=staffroles_active().filter(unit=unit).values("user_id"))
        .exclude(pk__in=members)
        .order_by("full_name", "email")
    )


def team_guardian_choices(*, youth: Any) -> QuerySet[Guardian]:
    """The youth's guardians who are not in the team now."""
    members = TeamMember.objects.filter(youth=youth, ends_on__isnull=True, guardian__isnull=False).values("guardian_id")
    return (
        Guardian.objects.filter(guardianships__youth=youth).exclude(pk__in=members).order_by("last_name", "first_name")
    )


def team_start_follower(*, youth: Any) -> FollowUpAssignment | None:
    """The follower (lead) of the youth's open follow-up: who a new team starts with."""
    return (
        FollowUpAssignment.objects.filter(
            followup__youth=youth, role=FollowUpAssignment.Role.LEAD, ends_on__isnull=True
        )
        .exclude(followup__state=FollowUp.State.CLOSED)
        .select_related("user", "followup__unit")
        .first()
    )
