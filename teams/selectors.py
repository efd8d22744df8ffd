"""Reads of the organisation (districts, units, staff roles) and of youth teams."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import FollowUp, FollowUpAssignment, Guardian, Youth
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
    events = AuditEvent.objects.filter(actor_id__in=staff).select_related("actor")
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    return events.order_by("-at", "-id")


@dataclass(frozen=True)
class AuditRow:
    """One entry of a unit's audit trail as its leader reads it: who, and the object in words."""

    event: AuditEvent
    who: str
    what: str


def _kind(object_type: str) -> str:
    try:
        kind = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = object_type
    return f"{kind[:1].upper()}{kind[1:]}"


def unit_audit_rows(*, user: Any, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The entries of one page of the audit trail with names instead of ids, in a fixed number
    of queries however many entries (the actor comes with the entry, see unit_audit_events).

    - The actor: the staff member's name (a leader reviews the unit's own staff).
    - A youth is named only when the leader may open the youth (core.access) and the sharing
      policy opens the youth's identity to the leader's service (consent.policy); otherwise a
      neutral label that is the same for every youth. A name shown across a service boundary
      is logged as a disclosure, as lists do (consent.services.disclosures_record_for_list).
    - Staff and units the entry is about by name; other objects by their kind, and the youth
      they concern."""
    # consent.policy imports this module (active_role_q), so it is imported when used.
    from consent import policy as consent_policy
    from consent.models import Category, Disclosure
    from consent.services import disclosures_record_for_list

    events = list(events)
    youth_ids = {e.youth_id for e in events if e.youth_id is not None}
    youth_ids |= {int(e.object_id) for e in events if e.object_type == "cases.youth" and e.object_id.isdigit()}
    user_ids = {int(e.object_id) for e in events if e.object_type == "core.user" and e.object_id.isdigit()}
    unit_ids = {int(e.object_id) for e in events if e.object_type == "teams.unit" and e.object_id.isdigit()}

    youths = list(access.visible(user, Youth.objects.filter(pk__in=youth_ids))) if youth_ids else []
    viewers = consent_policy.viewers(user, youths) if youths else {}
    names = {
        pk: viewer.youth.display_name for pk, viewer in viewers.items() if viewer.sees_record(Category.IDENTITY_CONTACT)
    }
    disclosures_record_for_list(user=user, viewers=viewers.values(), channel=Disclosure.Channel.VIEW)
    people = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name")) if user_ids else {}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    hidden = _("a youth (name not shown)")

    def youth_label(pk: int) -> str:
        return names.get(pk) or hidden

    rows = []
    for event in events:
        if event.actor is not None:
            who = event.actor.full_name or event.actor_label
        else:
            who = str(_("System")) if event.actor_label in ("", "system") else event.actor_label
        object_id = int(event.object_id) if event.object_id.isdigit() else None
        what = ""
        if event.object_type == "cases.youth" and object_id is not None:
            what = _("Youth: %(name)s") % {"name": names.get(object_id) or _("name not shown")}
        elif event.object_type == "core.user" and object_id in people:
            what = _("Person: %(name)s") % {"name": people[object_id]}
        elif event.object_type == "teams.unit" and object_id in units:
            what = _("Unit: %(name)s") % {"name": units[object_id]}
        elif event.object_type:
            what = _kind(event.object_type)
            if event.youth_id is not None:
                what = _("%(kind)s about %(youth)s") % {"kind": what, "youth": youth_label(event.youth_id)}
        rows.append(AuditRow(event=event, who=who, what=what))
    return rows


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
