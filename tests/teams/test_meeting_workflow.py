"""The meeting's and the minutes' transition tables (teams.models.MEETING_TRANSITIONS,
MINUTES_TRANSITIONS) drive their services and tell the pages which actions are open
(teams.meetings.services.meeting_available_actions, minutes_available_actions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import Youth
from teams.meetings import services as meeting_services
from teams.models import MEETING_TRANSITIONS, MINUTES_TRANSITIONS, Meeting, Minutes

from ..conftest import People
from .factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, family=people.teammate)


@pytest.fixture
def meeting(people: People, youth: Youth) -> Meeting:
    return team_meeting(people.follower, youth, people.unit)


def _minutes(meeting: Meeting) -> Minutes:
    return Minutes.objects.get_or_create(meeting=meeting)[0]


def test_every_state_of_the_tables_is_a_state_of_the_model() -> None:
    for table, states in ((MEETING_TRANSITIONS, Meeting.State.values), (MINUTES_TRANSITIONS, Minutes.State.values)):
        for step in table.values():
            assert step.sources <= set(states)
            assert step.target is None or step.target in states


def test_a_cancelled_meeting_is_refused_every_action_with_the_tables_message(people: People, meeting: Meeting) -> None:
    assert meeting_services.meeting_available_actions(meeting) == ["change", "cancel", "hold", "record"]
    meeting = meeting_services.meeting_cancel(actor=people.leader, meeting=meeting, reason="Sykdom")
    assert meeting.state == Meeting.State.CANCELLED
    assert meeting_services.meeting_available_actions(meeting) == []
    assert meeting_services.minutes_available_actions(meeting=meeting, minutes=_minutes(meeting)) == []
    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_cancel(actor=people.leader, meeting=meeting)
    assert refused.value.messages == ["Only a planned meeting can be cancelled."]
    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_change(actor=people.leader, meeting=meeting, title="Ny tittel")
    assert refused.value.messages == ["Only a planned meeting can be changed."]
    with pytest.raises(ValidationError) as refused:
        meeting_services.minutes_save(
            actor=people.follower, meeting=meeting, sections={}, decisions="Ingen.", base_revision=0
        )
    assert refused.value.messages == ["The meeting is cancelled."]


def test_approved_minutes_are_refused_a_second_approval_and_offer_a_new_version(
    people: People, meeting: Meeting
) -> None:
    minutes = _minutes(meeting)
    assert meeting_services.minutes_available_actions(meeting=meeting, minutes=minutes) == []  # nothing written
    meeting_services.minutes_save(
        actor=people.follower, meeting=meeting, sections={}, decisions="Vi møtes igjen.", base_revision=0
    )
    minutes.refresh_from_db()
    assert meeting_services.minutes_available_actions(meeting=meeting, minutes=minutes) == ["approve"]
    minutes = meeting_services.minutes_approve(actor=people.follower, meeting=meeting, base_revision=1)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    assert meeting_services.meeting_available_actions(meeting) == ["record"]
    assert meeting_services.minutes_available_actions(meeting=meeting, minutes=minutes) == ["revise"]
    with pytest.raises(ValidationError) as refused:
        meeting_services.minutes_approve(actor=people.follower, meeting=meeting, base_revision=1)
    assert refused.value.messages == ["The minutes are already approved."]
