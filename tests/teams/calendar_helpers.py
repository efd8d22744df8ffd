"""Meetings and action items for the reminder and calendar tests, made directly as rows (the
reminders and the calendar read the models; they do not depend on how a meeting was planned)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cases.models import Youth
from core.models import User
from org.models import Unit
from teams.models import ActionItem, Meeting, MeetingKind, MeetingParticipant

OSLO = ZoneInfo("Europe/Oslo")


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A wall-clock time in Oslo: oslo(2026, 3, 10, 14, 0)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def meeting(
    unit: Unit,
    starts_at: datetime.datetime,
    *,
    created_by: User,
    youth: Youth | None = None,
    staff: tuple[User, ...] = (),
    kind: str = MeetingKind.TEAM,
    **fields: Any,
) -> Meeting:
    """A meeting of one hour at `starts_at`; `staff` take part for `unit`."""
    fields.setdefault("place", "Bjerke bydelshus, møterom Ærfugl")
    made = Meeting.objects.create(
        kind=kind,
        unit=unit,
        district=unit.district,
        youth=youth,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        created_by=created_by,
        **fields,
    )
    for person in staff:
        MeetingParticipant.objects.create(meeting=made, kind=MeetingParticipant.Kind.STAFF, user=person, unit=unit)
    return made


def action_item(
    meeting: Meeting, due_on: datetime.date, *, owner: User | None = None, owner_name: str = "", **fields: Any
) -> ActionItem:
    fields.setdefault("title", "Ringe skolen om fraværet")
    return ActionItem.objects.create(
        meeting=meeting,
        youth=meeting.youth,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
        created_by=meeting.created_by,
        **fields,
    )
