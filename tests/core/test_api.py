"""The API: deny by default, session (two-factor) or bearer token, one error format, OpenAPI."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import AuditEvent

from ..conftest import People, sign_in
from ..factories import PASSWORD, api_key
from ..teams.factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db


def test_api_denies_anonymous_callers_with_the_error_format(client: Client) -> None:
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["code"] == "not_authenticated"
    assert body["error"]["message"]


def test_a_password_only_session_does_not_open_the_api(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_verified_session_opens_the_api(client: Client, people: People) -> None:
    sign_in(client, people.follower)
    body = client.get("/api/v1/me/").json()
    assert body["email"] == people.follower.email
    assert [r["role"] for r in body["roles"]] == ["follower"]


def test_bearer_token_authentication(client: Client, people: People) -> None:
    key = api_key(people.leader)
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert [u["name"] for u in response.json()["results"]] == [people.unit.name]
    assert client.get("/api/v1/units/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_unknown_unit_is_a_structured_404(client: Client, people: People) -> None:
    key = api_key(people.leader)
    response = client.get("/api/v1/units/999999/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_write_methods_are_refused(client: Client, people: People) -> None:
    key = api_key(people.leader)
    response = client.post("/api/v1/units/", {}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_bad_json_is_a_structured_400(client: Client, people: People) -> None:
    key = api_key(people.leader)
    response = client.generic(
        "PATCH", "/api/v1/me/", "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code in (400, 405)
    assert "error" in response.json()


def test_openapi_schema_and_documentation(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/units/{id}/" in spec["paths"]
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/youths/{pk}/plan/review/", "/api/v1/meetings/{meeting}/minutes/", "/api/v1/meetings/{meeting}/presence/"],
)
def test_options_names_the_endpoint_and_reads_nothing(client: Client, people: People, path: str) -> None:
    """OPTIONS on an endpoint that fetches through a selector answers without fetching (it used
    to be a 500: DRF's metadata called get_object), and describes no object of an outsider's."""
    youth = youth_with_team(people.unit, lead=people.follower)
    meeting = team_meeting(people.follower, youth, people.unit)
    url = path.format(pk=youth.pk, meeting=meeting.pk)
    key = api_key(people.outsider)
    before = AuditEvent.objects.count()
    response = client.options(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert "actions" not in response.json()
    assert AuditEvent.objects.count() == before
