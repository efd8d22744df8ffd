"""Bounds of meetings, minutes and action items (issue 11, defect 12): an action item due in year 1
or 9999 and a minutes section of a megabyte are refused on the page (nothing saved, nothing typed
lost) and by the services that write without a form."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cases.models import Youth
from core.validators import MINUTES_MAX
from teams.meetings import services as meeting_services
from teams.models import ActionItem, Meeting, Minutes, MinutesRevision

from ..conftest import People
from .factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db

MEGABYTE = "Søren fortalte om skolen. " * 40_330  # a little over 1 MB of text
OUT_OF_RANGE_DAYS = ("0001-01-01", "9999-12-31")


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, first_name="Søren")


@pytest.fixture
def meeting(people: People, youth: Youth) -> Meeting:
    return team_meeting(people.follower, youth, people.unit)


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_the_page_refuses_an_action_item_due_in_year_1_or_9999(
    people: People, meeting: Meeting, as_user: Any, day: str
) -> None:
    response = as_user(people.follower).post(
        f"/moter/{meeting.pk}/",
        {"action": "action_item", "item-title": "Møte med NAV", "item-owner_name": "Åse", "item-due_on": day},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Velg en dato mellom 01.01.2000 og" in page
    assert "Møte med NAV" in page
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_the_service_refuses_an_action_item_due_in_year_1_or_9999(
    people: People, meeting: Meeting, day: datetime.date
) -> None:
    with pytest.raises(ValidationError) as caught:
        meeting_services.action_item_add(
            actor=people.follower, meeting=meeting, title="Møte med NAV", owner=people.follower, due_on=day
        )
    assert set(caught.value.message_dict) == {"due_on"}
    assert not ActionItem.objects.exists()


def test_the_page_refuses_a_minutes_section_of_a_megabyte_and_keeps_it(
    people: People, meeting: Meeting, as_user: Any
) -> None:
    response = as_user(people.follower).post(
        f"/moter/{meeting.pk}/referat/",
        {"base_revision": 0, "decisions": "Vi møtes igjen.", "section_since_last": MEGABYTE},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Skriv høyst {MINUTES_MAX} tegn" in page
    assert MEGABYTE.strip() in page
    assert "Vi møtes igjen." in page
    assert not MinutesRevision.objects.exists()


def test_the_page_refuses_decisions_of_a_megabyte(people: People, meeting: Meeting, as_user: Any) -> None:
    response = as_user(people.follower).post(
        f"/moter/{meeting.pk}/referat/", {"base_revision": 0, "decisions": MEGABYTE, "section_since_last": "Kort."}
    )
    assert response.status_code == 400
    assert not MinutesRevision.objects.exists()


def test_the_service_refuses_a_minutes_section_of_a_megabyte(people: People, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as caught:
        meeting_services.minutes_save(
            actor=people.follower,
            meeting=meeting,
            sections={"since_last": MEGABYTE},
            decisions="",
            base_revision=0,
        )
    assert set(caught.value.message_dict) == {"sections"}
    assert not MinutesRevision.objects.exists()
    assert not Minutes.objects.filter(revision__gt=0).exists()


def test_a_long_but_real_minutes_section_is_kept(people: People, meeting: Meeting, as_user: Any) -> None:
    text = "Søren fortalte om skolen. " * 1_000  # some 26,000 characters: a long meeting, written out
    response = as_user(people.follower).post(
        f"/moter/{meeting.pk}/referat/", {"base_revision": 0, "decisions": "", "section_since_last": text}
    )
    assert response.status_code == 302
    assert MinutesRevision.objects.get().sections["since_last"] == text.strip()


def test_the_page_refuses_a_meeting_in_year_9999(people: People, meeting: Meeting, as_user: Any) -> None:
    response = as_user(people.follower).post(
        f"/moter/{meeting.pk}/endre/",
        {"day": "9999-12-31", "starts": "10:00", "ends": "11:00", "place": "Bydelshuset", "agenda": "Skolen"},
    )
    assert response.status_code == 400
    assert "Skolen" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at.year < 9999
