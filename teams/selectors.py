"""Reads of the organisation (districts, units, staff roles) and of youth teams."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import FollowUp, FollowUpAssignment, Guardian
from core import access
from core.models import AuditEvent, User

from .models import District, StaffRole, TeamMember, Unit


def active_role_q(*, on: datetime.date | None = None, prefix: str = "") -> Q:
    """Roles in force on a day (today by default)."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def staffroles_active(*, user: Any = None) -> QuerySet[StaffRole]:
    qs = StaffRole.objects.filter(active_role_q())
    if user is not None:
        qs = qs.filter(user=user)
    return qs


def roles_for_user(*, user: Any) -> list[StaffRole]:
    return list(staffroles_active(user=user).select_related("unit__district").order_by("unit__name", "role"))


def units_for_user(*, user: Any) -> QuerySet[Unit]:
    """The units the user may see, with their district, through core.access."""
    return access.visible(user, Unit.objects.select_related("district")).order_by("district__number", "name")


def units_led_by(*, user: Any) -> QuerySet[Unit]:
    led = staffroles_active(user=user).filter(role=StaffRole.Role.LEADER).values("unit_id")
    return units_for_user(user=user).filter(pk__in=led)


def unit_get(*, user: Any, pk: int, action: str = access.VIEW) -> Unit:
    return access.get(user, Unit.objects.select_related("district"), action=action, pk=pk)


def unit_staff(*, unit: Unit) -> list[StaffRole]:
    return list(staffroles_active().filter(unit=unit).select_related("user").order_by("role", "user__full_name"))


def districts_list() -> QuerySet[District]:
    return District.objects.order_by("number")


def units_with_staff(*, units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.prefetch_related(
        Prefetch(
            "roles",
            queryset=staffroles_active().select_related("user").order_by("role", "user__full_name"),
            to_attr="active_roles",
        )
    )


def unit_may(*, user: Any, unit: Unit, action: str) -> bool:
    return access.can(user, unit, action)


def unit_audit_people(*, unit: Unit) -> QuerySet[User]:
    """Everyone who has held a role in the unit: whose actions its leaders may review."""
    return User.objects.filter(roles__unit=unit).distinct().order_by("full_name")


def unit_audit_events(*, unit: Unit, actor_id: int | None = None) -> QuerySet[AuditEvent]:
    """Audit entries of everyone who has held a role in the unit (or one of them), newest first."""
    staff = StaffRole.objects.filter(unit=unit).values("user_id")
    events = AuditEvent.objects.filter(actor_id__in=staff)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    return events.order_by("-at", "-id")


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


def team_history(*, youth: Any) -> QuerySet[TeamMember]:
    """Every membership the team has had, the latest first, with who added and ended it."""
    return (
        TeamMember.objects.filter(youth=youth)
        .select_related(*_MEMBER_RELATED, "added_by", "ended_by")
        .order_by("-starts_on", "-id")
    )


def teams_for_user(*, user: Any) -> QuerySet[TeamMember]:
    """The person's memberships of youth teams now, with the youth and the service."""
    return (
        TeamMember.objects.filter(user=user, ends_on__isnull=True)
        .select_related("youth", "unit")
        .order_by("youth__last_name", "youth__first_name", "id")
    )


def team_member_get(*, youth: Any, pk: int) -> TeamMember:
    """One current member of this youth's team, or 404."""
    member = (
        TeamMember.objects.filter(youth=youth, pk=pk, ends_on__isnull=True).select_related(*_MEMBER_RELATED).first()
    )
    if member is None:
        raise Http404
    return member


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
