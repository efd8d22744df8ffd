"""The intake world for tests: a district's follow-up unit with a coordinator, its barnevern,
an intake meeting and a list meeting with the coordinator and the police taking part."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.models import Guardian, Guardianship, Youth
from consent import services as consent_services
from consent.models import Category, ConsentVersion, DiscussionCase
from core.models import User
from org.models import District, StaffRole, Unit
from referrals.models import IntakeCandidate
from teams.models import Meeting, MeetingKind, MeetingParticipant

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


def consent_for(
    world: World,
    youth: Youth,
    *,
    units: Iterable[Unit] | None = None,
    categories: Iterable[str] = (Category.IDENTITY_CONTACT,),
    valid_to: datetime.date | None = None,
) -> ConsentVersion:
    """Record an oral consent in force through consent.services.consent_record, by the
    coordinator, with the answers the youth's age needs (guardians with parental responsibility
    are registered when the youth has none). By default identity and contact details, to the
    follow-up unit, the district's barnevern and the police: everyone in the test meetings."""
    today = timezone.localdate()
    age = youth.age_on(today)
    guardians = [g.guardian for g in Guardianship.objects.filter(youth=youth, parental_responsibility=True)]
    if age < 18 and not guardians:
        guardian = Guardian.objects.create(first_name="Forelder", last_name=youth.last_name)
        Guardianship.objects.create(youth=youth, guardian=guardian, relation="mother")
        guardians = [guardian]
    answers: dict[str, Any] = {}
    if age < 18:
        answers["guardian_answers"] = dict.fromkeys(guardians, "given")
    if age < 15:
        answers["youth_view"] = "Synes det er greit at de voksne snakker sammen."
    else:
        answers["youth_answer"] = "given"
    return consent_services.consent_record(
        actor=world.coordinator,
        youth=youth,
        purpose="Vurdering i inntaksmøtet og én-til-én-oppfølging",
        categories=list(categories),
        units=list(units) if units is not None else [world.people.unit, world.barnevern, world.people.police_unit],
        form="oral",
        valid_from=today - datetime.timedelta(days=30),
        valid_to=valid_to or today + datetime.timedelta(days=180),
        **answers,
    )


def named_youth(world: World, *, consent: bool = True, **fields: Any) -> Youth:
    """A youth registered in intake at the follow-up unit (no follower yet), named with consent
    (`consent_for`, unless `consent=False`): a youth is named to the intake only with consent."""
    youth = followed_youth(world.people.unit, **fields)
    youth.followups.update(state="intake", started_on=None)
    if consent:
        consent_for(world, youth)
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
