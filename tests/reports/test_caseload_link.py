"""The leader's home links each follower to their caseload: the youth list filtered by that
follower (cases.selectors.caseload_for), for those who may review it (cases.policy)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from consent.views import STATE_LABELS

from ..cases.factories import followed_youth
from ..conftest import People

pytestmark = pytest.mark.django_db


def test_the_leader_follows_the_link_to_a_followers_caseload(people: People, as_user: Any) -> None:
    followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berg")
    followed_youth(people.unit, lead=people.teammate, first_name="Ola", last_name="Annen")
    client = as_user(people.leader)

    home = client.get("/").content.decode()
    link = f"/ungdommer/?oppfolger={people.follower.pk}"
    assert f'href="{link}"' in home

    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sara Berg" in body
    assert "Ola Annen" not in body
    assert "Alice Follower" in body


def test_the_follower_sees_their_own_caseload(people: People, as_user: Any) -> None:
    followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berg")

    response = as_user(people.follower).get(f"/ungdommer/?oppfolger={people.follower.pk}")

    assert response.status_code == 200
    assert "Sara Berg" in response.content.decode()


@pytest.mark.parametrize("who", ["teammate", "outsider", "police"])
def test_others_may_not_review_a_followers_caseload(people: People, as_user: Any, who: str) -> None:
    followed_youth(people.unit, lead=people.follower)

    response = as_user(getattr(people, who)).get(f"/ungdommer/?oppfolger={people.follower.pk}")

    assert response.status_code == 404


def test_an_unknown_follower_is_not_found(people: People, as_user: Any) -> None:
    assert as_user(people.leader).get("/ungdommer/?oppfolger=999999").status_code == 404
    assert as_user(people.leader).get("/ungdommer/?oppfolger=x").status_code == 404


def test_a_consent_in_force_says_so_in_norwegian() -> None:
    """«Gjelder» alone reads as a sentence with nothing after it; the state is «I kraft»."""
    with translation.override("nb"):
        assert str(STATE_LABELS["in_force"]) == "I kraft"
        assert str(STATE_LABELS["expiring"]).startswith("I kraft")
        assert not str(STATE_LABELS["not_started"]).startswith("Gjelder")
