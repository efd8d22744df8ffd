"""Meetings for tests: a youth with a team, and meetings planned through the services (so the
minutes, participants and audit rows are as in real use)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.models import Guardian, Guardianship, Youth
from consent.policy import guardians_told
from core.models import User
from org.models import Unit
from teams import services
from teams.meetings import services as meeting_services
from teams.models import Meeting, MeetingKind, TeamMember

from ..cases.factories import followed_youth

Kind = TeamMember.Kind
Role = TeamMember.Role


def at(days: int, hour: int = 10) -> datetime.datetime:
    """A time `days` from today at `hour` o'clock, Oslo time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def youth_with_team(
    unit: Unit, *, lead: User, guardian: bool = True, youth_member: bool = True, **fields: Any
) -> Youth:
    """A followed youth whose team is `lead` (holding lead responsibility), the youth and one
    guardian (registered always; in the team only while the guardians are told: from 18 not
    without the youth's consent, consent.policy.guardians_told)."""
    youth = followed_youth(unit, lead=lead, **fields)
    services.team_member_add(actor=lead, youth=youth, kind=Kind.STAFF, user=lead, unit=unit, role=Role.FOLLOWER)
    if youth_member:
        services.team_member_add(actor=lead, youth=youth, kind=Kind.YOUTH)
    if guardian:
        mother = Guardian.objects.create(first_name="Åse", last_name=youth.last_name)
        Guardianship.objects.create(youth=youth, guardian=mother, relation=Guardianship.Relation.MOTHER)
        if guardians_told(youth):
            services.team_member_add(actor=lead, youth=youth, kind=Kind.GUARDIAN, guardian=mother)
    return youth


def team_meeting(
    actor: User, youth: Youth, unit: Unit, *, days: int = 7, kind: str = MeetingKind.TEAM, **more: Any
) -> Meeting:
    """A meeting about the youth planned by `actor` for `unit`, in `days` days, one hour long."""
    more.setdefault("place", "Bjerke bydelshus, møterom Ærfugl")
    return meeting_services.meeting_plan(
        actor=actor, kind=kind, unit=unit, youth=youth, starts_at=at(days), ends_at=at(days, 11), **more
    )


def district_meeting(actor: User, unit: Unit, *, kind: str = MeetingKind.INTAKE, days: int = 7, **more: Any) -> Meeting:
    """An intake (or list) meeting of the unit's district, planned by `actor`."""
    more.setdefault("place", "Bydelshuset")
    return meeting_services.meeting_plan(
        actor=actor, kind=kind, unit=unit, starts_at=at(days), ends_at=at(days, 11), **more
    )
