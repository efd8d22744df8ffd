"""Request bodies the API cannot safely read are refused in the one error format (issue 11,
defect 12): a 100,000-deep JSON document used to escape the parser as a RecursionError (500)
on every operation that reads a body; it is a 400 like any other malformed body, and a body
over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from cases.models import FollowUp

from ..cases.factories import ContactFactory, followed_youth
from ..conftest import People, sign_in

pytestmark = pytest.mark.django_db

DEPTH = 100_000
DEEP_BODIES = {
    "arrays": "[" * DEPTH + "]" * DEPTH,
    "objects": '{"a":' * DEPTH + "1" + "}" * DEPTH,
    "inside a valid object": '{"reason": ' + "[" * DEPTH + "]" * DEPTH + "}",
}


@pytest.fixture
def client_and_urls(people: People) -> tuple[Client, list[tuple[str, str]]]:
    youth = followed_youth(people.unit, lead=people.follower)
    followup = FollowUp.objects.get(youth=youth)
    contact = ContactFactory(followup=followup, author=people.follower)
    client = sign_in(Client(), people.leader)
    urls = [
        ("POST", "/api/v1/youths/"),
        ("PATCH", f"/api/v1/youths/{youth.pk}/"),
        ("POST", f"/api/v1/youths/{youth.pk}/contacts/"),
        ("PATCH", f"/api/v1/contacts/{contact.pk}/"),
        ("DELETE", f"/api/v1/contacts/{contact.pk}/"),
        ("POST", f"/api/v1/youths/{youth.pk}/offences/"),
        ("POST", f"/api/v1/youths/{youth.pk}/followup/assign/"),
        ("POST", f"/api/v1/youths/{youth.pk}/followup/close/"),
    ]
    return client, urls


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_deeply_nested_body_is_a_structured_400_on_every_operation_that_reads_one(
    client_and_urls: tuple[Client, list[tuple[str, str]]], body: str
) -> None:
    client, urls = client_and_urls
    for method, url in urls:
        response = client.generic(method, url, body, content_type="application/json")
        assert response.status_code == 400, (method, url, response.content[:200])
        error = response.json()
        assert error["error"]["code"] == "parse_error", (method, url)
        assert error["request_id"]


def test_nesting_as_deep_as_a_real_body_is_read(client_and_urls: tuple[Client, list[tuple[str, str]]]) -> None:
    client, urls = client_and_urls
    body = '{"reason": ' + "[" * 20 + "]" * 20 + "}"
    response = client.generic("DELETE", urls[4][1], body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"  # read, then refused by the serializer


def test_brackets_inside_strings_do_not_count_as_nesting(client_and_urls: tuple[Client, list[tuple[str, str]]]) -> None:
    client, urls = client_and_urls
    body = '{"text": "' + "[{" * 5000 + '\\"]"}'
    response = client.generic("PATCH", urls[3][1], body, content_type="application/json")
    assert response.json().get("error", {}).get("code") != "parse_error"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_a_structured_413(client_and_urls: tuple[Client, list[tuple[str, str]]]) -> None:
    client, urls = client_and_urls
    body = '{"text": "' + "x" * 2000 + '"}'
    response = client.generic("PATCH", urls[3][1], body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_body_that_is_not_utf8_is_a_structured_400(client_and_urls: tuple[Client, list[tuple[str, str]]]) -> None:
    client, urls = client_and_urls
    response = client.generic("PATCH", urls[3][1], b'{"text": "\xff\xfe"}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
