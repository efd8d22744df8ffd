"""A youth's world for the consent tests: a follow-up held by the fixture unit with Alice as
lead follower, two guardians with parental responsibility and a step-parent without, a school
and an outreach service. The clock stands still on Monday 2 March 2026, noon in Oslo."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import FollowUp, FollowUpAssignment, Guardian, Guardianship, Youth
from consent import services
from consent.models import ConsentVersion
from core.models import User
from org.models import StaffRole, Unit

from ..conftest import People
from ..factories import StaffRoleFactory, UnitFactory, YouthFactory

OSLO = ZoneInfo("Europe/Oslo")
TODAY = datetime.date(2026, 3, 2)
GIVEN = "given"
REFUSED = "refused"


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=OSLO), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@dataclass
class World:
    people: People
    school: Unit
    school_contact: User
    outreach: Unit
    outreach_worker: User
    police_leader: User

    def youth(self, born: datetime.date, *, guardians: int = 2) -> Youth:
        youth = YouthFactory(birth_date=born, district=self.people.unit.district)
        followup = FollowUp.objects.create(
            youth=youth, unit=self.people.unit, state="active", started_on=datetime.date(2025, 1, 6)
        )
        FollowUpAssignment.objects.create(
            followup=followup, user=self.people.follower, role="lead", starts_on=datetime.date(2025, 1, 6)
        )
        for i in range(guardians):
            guardian = Guardian.objects.create(first_name=f"Forelder{i + 1}", last_name=youth.last_name)
            Guardianship.objects.create(youth=youth, guardian=guardian, relation="mother" if i == 0 else "father")
        step = Guardian.objects.create(first_name="Steforelder", last_name="Uten-ansvar")
        Guardianship.objects.create(youth=youth, guardian=step, relation="step_parent", parental_responsibility=False)
        return youth


def responsible(youth: Youth) -> list[Guardian]:
    return [g.guardian for g in Guardianship.objects.filter(youth=youth, parental_responsibility=True).order_by("id")]


def all_given(youth: Youth) -> dict[Guardian, str]:
    return dict.fromkeys(responsible(youth), GIVEN)


@pytest.fixture
def world(people: People) -> World:
    school = UnitFactory(name="Furuset skole", district=people.unit.district, kind=Unit.Kind.SCHOOL)
    school_contact = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT).user
    outreach = UnitFactory(name="Utekontakten Alna", district=people.unit.district, kind=Unit.Kind.OUTREACH)
    outreach_worker = StaffRoleFactory(unit=outreach, role=StaffRole.Role.FOLLOWER).user
    police_leader = StaffRoleFactory(unit=people.police_unit, role=StaffRole.Role.LEADER).user
    return World(people, school, school_contact, outreach, outreach_worker, police_leader)


@pytest.fixture
def record(world: World) -> Callable[..., ConsentVersion]:
    """Record an oral consent by the follower; the answers default to what the age rule needs."""

    def _record(youth: Youth, **kwargs: Any) -> ConsentVersion:
        valid_from = kwargs.setdefault("valid_from", datetime.date(2026, 1, 1))
        kwargs.setdefault("valid_to", datetime.date(2026, 12, 31))
        kwargs.setdefault("categories", ["identity_contact", "health"])
        kwargs.setdefault("units", [world.school])
        kwargs.setdefault("form", "oral")
        kwargs.setdefault("purpose", "Samarbeid mellom skole og oppfølger om oppmøte og helse")
        age = youth.age_on(valid_from)
        if age < 18:
            kwargs.setdefault("guardian_answers", all_given(youth))
        if age < 15:
            kwargs.setdefault("youth_view", "Synes det er greit at skolen vet.")
        else:
            kwargs.setdefault("youth_answer", GIVEN)
        actor = kwargs.pop("actor", world.people.follower)
        return services.consent_record(actor=actor, youth=youth, **kwargs)

    return _record


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """The rules' messages are matched in their English source; the bokmål catalogue is
    checked for completeness in tests/core/test_interface.py."""
    from django.utils import translation

    with translation.override("en"):
        yield
