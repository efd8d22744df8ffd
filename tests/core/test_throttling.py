"""Rate limits (issue 12, point 8): the API per person and per address, a structured 429 in the
error format, and failed sign-ins per address so one address cannot try many accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.settings import api_settings

from core.models import AuditEvent

from ..conftest import People, current_code, sign_in
from ..factories import PASSWORD, UserFactory, api_key

pytestmark = pytest.mark.django_db


def _rates(**rates: str) -> Any:
    return override_settings(
        REST_FRAMEWORK={
            **api_settings.user_settings,
            "DEFAULT_THROTTLE_RATES": {**api_settings.DEFAULT_THROTTLE_RATES, **rates},
        }
    )


def test_the_api_answers_429_in_the_error_format_in_norwegian(client: Client, people: People) -> None:
    key = api_key(people.leader)
    with _rates(user="3/hour"):
        for _ in range(3):
            assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["code"] == "throttled"
    assert body["error"]["message"].startswith("For mange forespørsler. Prøv igjen om ")
    assert int(response["Retry-After"]) > 0


def test_the_api_limit_is_per_person(client: Client, people: People) -> None:
    leader, follower = api_key(people.leader), api_key(people.follower)
    with _rates(user="2/hour"):
        for _ in range(2):
            client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {leader}")
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {leader}").status_code == 429
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {follower}").status_code == 200


def test_anonymous_calls_are_limited_per_address(client: Client) -> None:
    with _rates(anon="2/hour"):
        for _ in range(2):
            assert client.get("/api/v1/schema/").status_code == 200
        assert client.get("/api/v1/schema/").status_code == 429
        assert client.get("/api/v1/schema/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_default_rates_allow_an_integrating_system(client: Client, people: People) -> None:
    assert api_settings.DEFAULT_THROTTLE_RATES["user"] == "1000/hour"
    key = api_key(people.leader)
    for _ in range(60):
        assert client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


@_rates(signin="5/hour")
def test_spraying_many_accounts_from_one_address_is_throttled(client: Client, db: None) -> None:
    accounts = [UserFactory() for _ in range(7)]
    answers = [
        client.post("/logg-inn/", {"username": user.email, "password": "wrong password"}).status_code
        for user in accounts
    ]
    assert answers == [200] * 5 + [429] * 2
    # Refused before the password is checked: even the right password does not get through.
    response = client.post("/logg-inn/", {"username": accounts[0].email, "password": PASSWORD})
    assert response.status_code == 429
    assert "For mange mislykkede innlogginger fra nettverket ditt" in response.content.decode()
    # No account was locked by the refused attempts: axes counted only the five it saw.
    assert AuditEvent.objects.filter(action="auth.password_ok").count() == 0
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post("/logg-inn/", {"username": accounts[6].email, "password": PASSWORD}).status_code == 302


@_rates(signin="3/hour")
def test_wrong_codes_count_towards_the_limit_per_address(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    right = current_code(people.follower)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert [client.post("/logg-inn/kode/", {"token": wrong}).status_code for _ in range(3)] == [400] * 3
    response = client.post("/logg-inn/kode/", {"token": right})
    assert response.status_code == 429
    assert client.get("/").status_code == 302


@_rates(signin="3/hour")
def test_normal_sign_ins_from_one_address_are_not_throttled(people: People) -> None:
    # Many people behind one office address sign in correctly (one after a typo): only failures count.
    typo = Client()
    assert typo.post("/logg-inn/", {"username": people.follower.email, "password": "typo"}).status_code == 200
    for user in (people.follower, people.teammate, people.leader, people.police, people.outsider):
        client = Client()
        sign_in(client, user)
        assert client.get("/").status_code == 200
