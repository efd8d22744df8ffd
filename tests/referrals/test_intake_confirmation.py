"""Intake mode's confirmation names the candidate it was about, by the shared screen's name
rule: the name only when everyone present may see it, otherwise the same anonymised label."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from referrals.models import Outcome
from teams.models import MeetingParticipant

from ..conftest import People
from .helpers import World, anonymous_case, build_world, candidate, named_youth


@pytest.fixture
def world(people: People) -> World:
    return build_world(people)


def _decide(client: Any, world: World, made: Any) -> list[str]:
    response = client.post(f"/inntak/mote/{world.intake.pk}/kandidat/{made.pk}/", {"outcome": Outcome.WAITING_LIST})
    assert response.status_code == 302, response.content
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_confirmation_names_a_youth_everyone_present_may_see(world: World, as_user: Any) -> None:
    made = candidate(world, youth=named_youth(world, first_name="Sara", last_name="Berg"))

    said = _decide(as_user(world.coordinator), world, made)

    assert len(said) == 1
    assert "Sara Berg" in said[0]


def test_the_confirmation_does_not_name_a_youth_someone_present_may_not_see(world: World, as_user: Any) -> None:
    made = candidate(world, youth=named_youth(world, first_name="Sara", last_name="Berg"))
    MeetingParticipant.objects.create(
        meeting=world.intake, kind=MeetingParticipant.Kind.EXTERNAL, name="Eva Ekstern", organisation="Frivillig"
    )

    said = _decide(as_user(world.coordinator), world, made)

    assert "Sara" not in said[0]
    assert "Berg" not in said[0]
    assert f"(#{made.pk})" in said[0]


def test_the_confirmation_names_an_anonymous_case_by_its_alias(world: World, as_user: Any) -> None:
    made = candidate(world, discussion=anonymous_case(world, alias="Gutt A"))

    said = _decide(as_user(world.coordinator), world, made)

    assert "Gutt A" in said[0]
