"""The error pages (core.errors): Norwegian, in the Punkt look, with the request id and nothing
else; the 500 page renders without the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.utils import translation

from core import context, errors
from core.models import User

from ..conftest import People

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gives_the_norwegian_404_page_with_the_request_id(client: Client) -> None:
    response = client.get("/finnes-ikke/hemmelig-sti/", HTTP_X_REQUEST_ID="abc123def456")

    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="nb">' in body
    assert "Fant ikke siden" in body
    assert "abc123def456" in body
    assert "hemmelig-sti" not in body  # nothing about the request is echoed
    assert "css/laget.css" in body
    assert "pkt.min.css" in body


def test_the_404_page_for_a_signed_in_person_reveals_nothing_of_them(as_user: Any, people: People) -> None:
    response = as_user(people.follower).get("/ungdommer/999999/")

    assert response.status_code == 404
    body = response.content.decode()
    assert people.follower.full_name not in body
    assert response["X-Request-ID"] in body


def test_the_500_page_renders_without_the_database_or_the_request(django_assert_num_queries: Any) -> None:
    token = context.activate(context.RequestContext(request_id="feed1234beef"))
    try:
        with translation.override("nb"), django_assert_num_queries(0):
            response = errors.server_error(HttpRequest())
    finally:
        context.deactivate(token)

    assert response.status_code == 500
    body = response.content.decode()
    assert "Noe gikk galt" in body
    assert "feed1234beef" in body
    assert "laget-header" in body  # the same look as every page


def test_an_error_in_a_view_gives_the_500_page(client: Client, monkeypatch: Any, people: People) -> None:
    from reports import views

    def broken(request: HttpRequest) -> Any:
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(views, "home_for_user", broken)
    client.raise_request_exception = False
    from ..conftest import sign_in

    sign_in(client, people.follower)
    response = client.get("/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Noe gikk galt" in body
    assert "secret detail" not in body
    assert response["X-Request-ID"] in body


@pytest.mark.parametrize(
    ("handler", "status", "wording"),
    [(errors.bad_request, 400, "Ugyldig forespørsel"), (errors.permission_denied, 403, "Du har ikke tilgang")],
)
def test_the_400_and_403_pages_are_norwegian_with_the_request_id(handler: Any, status: int, wording: str) -> None:
    request = RequestFactory().get("/")
    request.user = User()
    token = context.activate(context.RequestContext(request_id="0123456789ab"))
    try:
        with translation.override("nb"):
            response = handler(request, Exception("not shown"))
    finally:
        context.deactivate(token)

    assert response.status_code == status
    body = response.content.decode()
    assert wording in body
    assert "0123456789ab" in body
    assert "not shown" not in body
