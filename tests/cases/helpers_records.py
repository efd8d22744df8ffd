"""Test data for records, reminders and the cases API: youths with a follow-up in a unit, the
people assigned to it, contacts, and valid national identity numbers."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from stdnum.no import fodselsnummer

from cases.models import Contact, ContactKind, FollowUp, FollowUpAssignment, Youth
from core.models import User
from org.models import StaffRole, Unit

from ..factories import StaffRoleFactory, TOTPDeviceFactory, YouthFactory, api_key

OSLO = ZoneInfo("Europe/Oslo")
START = datetime.date(2026, 1, 5)


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A wall-clock time in Oslo: oslo(2026, 3, 10, 14, 0)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def national_id(born: datetime.date) -> str:
    """A fødselsnummer with valid check digits (individual numbers 500–999: born 2000–2039)."""
    for serial in range(500, 1000):
        number = f"{born:%d%m%y}{serial:03d}"
        first = fodselsnummer.calc_check_digit1(number)
        if len(first) != 1:
            continue
        second = fodselsnummer.calc_check_digit2(number + first)
        if len(second) == 1:
            return number + first + second
    raise AssertionError("no valid number")


def wrong_check_digits(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def staff(unit: Unit, role: str = StaffRole.Role.COORDINATOR, **user: Any) -> User:
    """A person with a role in the unit who can sign in."""
    person = StaffRoleFactory(unit=unit, role=role, **{f"user__{k}": v for k, v in user.items()}).user
    TOTPDeviceFactory(user=person)
    return person


def followup_for(
    unit: Unit,
    youth: Youth | None = None,
    *,
    lead: User | None = None,
    family: User | None = None,
    coordinator: User | None = None,
    state: str = FollowUp.State.ACTIVE,
    started_on: datetime.date | None = START,
    **youth_fields: Any,
) -> FollowUp:
    """An open follow-up in the unit, with the given people assigned from `started_on`."""
    youth_fields.setdefault("district", unit.district)
    youth = youth or YouthFactory(**youth_fields)
    followup = FollowUp.objects.create(
        youth=youth, unit=unit, state=state, started_on=started_on if state != FollowUp.State.INTAKE else None
    )
    for person, role in (
        (lead, FollowUpAssignment.Role.LEAD),
        (family, FollowUpAssignment.Role.FAMILY),
        (coordinator, FollowUpAssignment.Role.COORDINATOR),
    ):
        if person is not None:
            FollowUpAssignment.objects.create(followup=followup, user=person, role=role, starts_on=started_on or START)
    return followup


def contact_at(followup: FollowUp, author: User, when: datetime.datetime, **fields: Any) -> Contact:
    fields.setdefault("duration_minutes", 30)
    fields.setdefault("kind", ContactKind.CONVERSATION)
    return Contact.objects.create(youth=followup.youth, followup=followup, author=author, occurred_at=when, **fields)


def api_client(user: User) -> Client:
    """A client calling the API with the person's bearer token."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")
