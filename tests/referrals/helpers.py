"""The intake world for tests: a district's follow-up unit with a coordinator, its barnevern,
an intake meeting and a list meeting with the coordinator and the police taking part."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.models import Youth
from consent.models import DiscussionCase
from core.models import User
from referrals.models import IntakeCandidate
from teams.models import District, Meeting, MeetingKind, MeetingParticipant, StaffRole, Unit

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory


@dataclass
class World:
    people: People
    district: District
    coordinator: User
    barnevern: Unit
    caseworker: User
    intake: Meeting
    listing: Meeting


def _meeting(people: People, kind: str, coordinator: User, district: District) -> Meeting:
    starts = timezone.now() + datetime.timedelta(hours=1)
    meeting = Meeting.objects.create(
        kind=kind,
        unit=people.unit,
        district=district,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Bydelshuset, møterom 3",
        created_by=coordinator,
    )
    MeetingParticipant.objects.create(
        meeting=meeting, kind=MeetingParticipant.Kind.STAFF, user=coordinator, unit=people.unit
    )
    MeetingParticipant.objects.create(
        meeting=meeting, kind=MeetingParticipant.Kind.STAFF, user=people.police, unit=people.police_unit, present=True
    )
    return meeting


def build_world(people: People) -> World:
    district = people.unit.district
    assert district is not None
    coordinator = StaffRoleFactory(
        unit=people.unit, role=StaffRole.Role.COORDINATOR, user__full_name="Cora Coordinator"
    ).user
    TOTPDeviceFactory(user=coordinator)
    barnevern = UnitFactory(name="Barnevernstjenesten Bjerke", district=district, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(
        unit=barnevern, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Caseworker"
    ).user
    TOTPDeviceFactory(user=caseworker)
    return World(
        people,
        district,
        coordinator,
        barnevern,
        caseworker,
        _meeting(people, MeetingKind.INTAKE, coordinator, district),
        _meeting(people, MeetingKind.LIST, coordinator, district),
    )


def anonymous_case(world: World, alias: str = "Gutt A", **fields: Any) -> DiscussionCase:
    fields.setdefault("summary", "Mye fravær og nye venner i et miljø det er bekymring for.")
    return DiscussionCase.objects.create(
        alias=alias,
        age_band=DiscussionCase.AgeBand.FROM_15,
        district=world.district,
        unit=world.barnevern,
        created_by=world.caseworker,
        **fields,
    )


def named_youth(world: World, **fields: Any) -> Youth:
    """A youth registered in intake at the follow-up unit (no follower yet)."""
    youth = followed_youth(world.people.unit, **fields)
    youth.followups.update(state="intake", started_on=None)
    return youth


def candidate(
    world: World, *, youth: Youth | None = None, discussion: DiscussionCase | None = None, **fields: Any
) -> IntakeCandidate:
    fields.setdefault("reason", "Fire anmeldte forhold i år og lite skole.")
    return IntakeCandidate.objects.create(
        district=world.district,
        youth=youth,
        discussion=discussion,
        proposed_by_unit=world.barnevern,
        proposed_by=world.caseworker,
        **fields,
    )
