"""No response with youth data may be kept by a browser or proxy cache (issue 11, defect 12):
every response Laget renders says `Cache-Control: no-store` and `Pragma: no-cache`."""

from __future__ import annotations

import pytest
from django.test import Client

from ..cases.factories import followed_youth
from ..conftest import People, sign_in
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _no_store(response: object) -> None:
    directives = [part.strip() for part in response["Cache-Control"].split(",")]  # type: ignore[index]
    assert "no-store" in directives, response
    assert not any(part.startswith(("max-age=", "public")) and part != "max-age=0" for part in directives)
    assert response["Pragma"] == "no-cache", response  # type: ignore[index]


def test_signed_in_pages_with_youth_data_are_not_cached(people: People) -> None:
    youth = followed_youth(people.unit, lead=people.follower)
    client = sign_in(Client(), people.follower)
    for url in ("/", f"/ungdommer/{youth.pk}/", "/ungdommer/", "/moter/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _no_store(response)
        assert response["Cache-Control"] == "no-store"


def test_api_responses_are_not_cached(people: People) -> None:
    youth = followed_youth(people.unit, lead=people.follower)
    client = sign_in(Client(), people.follower)
    for url in ("/api/v1/me/", f"/api/v1/youths/{youth.pk}/", "/api/v1/youths/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _no_store(response)
    _no_store(Client().get("/api/v1/me/"))  # a refusal too


def test_redirects_errors_and_the_half_signed_in_state_are_not_cached(people: People) -> None:
    client = Client()
    _no_store(client.get("/"))  # redirect to sign-in
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    _no_store(client.get("/logg-inn/kode/"))
    signed_in = sign_in(Client(), people.outsider)
    _no_store(signed_in.get("/ungdommer/999999/"))  # 404
