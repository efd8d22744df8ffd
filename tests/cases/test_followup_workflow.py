"""The follow-up's transition table (cases.models.FOLLOWUP_TRANSITIONS) drives its services and
tells the page and the API which actions are open (cases.services.followup_available_actions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases import services
from cases.models import FOLLOWUP_TRANSITIONS, FollowUp
from cases.serializers import FollowUpSerializer

from ..conftest import People
from .test_services import _followup

State = FollowUp.State


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_every_state_of_the_table_is_a_state_of_the_model() -> None:
    for step in FOLLOWUP_TRANSITIONS.values():
        assert step.sources <= set(State.values)
        assert step.target is None or step.target in State.values


def test_a_paused_follow_up_cannot_be_paused_again_and_says_so(people: People) -> None:
    followup = _followup(people, lead=people.follower, state="paused")
    with pytest.raises(ValidationError) as refused:
        services.followup_set_state(actor=people.leader, followup=followup, state="paused")
    assert refused.value.messages == ["A follow-up cannot go from Paused to Paused."]
    followup.refresh_from_db()
    assert followup.state == State.PAUSED


def test_a_closed_follow_up_is_refused_every_action_with_the_tables_message(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    services.followup_close(actor=people.leader, followup=followup, reason="moved", summary="Flyttet.")
    assert services.followup_available_actions(followup) == []
    with pytest.raises(ValidationError) as refused:
        services.followup_close(actor=people.leader, followup=followup, reason="moved", summary="Igjen.")
    assert refused.value.messages == ["The follow-up is already closed."]
    with pytest.raises(ValidationError) as refused:
        services.followup_set_state(actor=people.leader, followup=followup, state="active")
    assert refused.value.messages == ["A follow-up cannot go from Closed to Active."]


def test_the_state_service_does_not_close_a_follow_up_without_a_reason(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    with pytest.raises(ValidationError):
        services.followup_set_state(actor=people.leader, followup=followup, state="closed")
    followup.refresh_from_db()
    assert followup.state == State.ACTIVE


def test_the_open_actions_follow_the_state_and_the_api_lists_them(people: People) -> None:
    followup = _followup(people, state="intake")
    assert services.followup_available_actions(followup) == ["start", "close"]
    followup.state = State.ACTIVE
    assert services.followup_available_actions(followup) == ["pause", "close"]
    followup.state = State.PAUSED
    assert services.followup_available_actions(followup) == ["resume", "close"]
    assert FollowUpSerializer(followup).data["actions"] == ["resume", "close"]
