"""The cases API: access (outsider 404 everywhere, 403 without the right), masked restricted
fields, the contact flows, and the one error format."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from cases.models import Contact, ContactVersion, FollowUp, FollowUpAssignment, Offence, Youth
from core.models import AuditEvent

from ..conftest import People
from .helpers_records import api_client, contact_at, followup_for, national_id, oslo, staff, wrong_check_digits

pytestmark = pytest.mark.django_db

NOW = oslo(2026, 3, 10, 12, 0)
BORN = datetime.date(2011, 5, 17)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def followup(people: People) -> FollowUp:
    return followup_for(
        people.unit,
        lead=people.follower,
        family=people.teammate,
        birth_date=BORN,
        national_id=national_id(BORN),
        address="Trondheimsveien 100",
        postal_code="0565",
    )


@pytest.fixture
def contact(people: People, followup: FollowUp) -> Contact:
    return contact_at(followup, people.follower, oslo(2026, 3, 9, 18, 30), text="Fotballtrening", place="Veitvet")


def _json(client: Client, method: str, url: str, data: Any = None) -> Any:
    import json

    body = json.dumps(data) if data is not None else ""
    return client.generic(method, url, body, content_type="application/json")


def _assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# --- Access ------------------------------------------------------------------------------


def test_an_outsider_gets_404_on_every_endpoint(people: People, followup: FollowUp, contact: Contact) -> None:
    client = api_client(people.outsider)
    youth = f"/api/v1/youths/{followup.youth_id}"
    calls = [
        ("GET", f"{youth}/", None),
        ("PATCH", f"{youth}/", {"phone": "99999999"}),
        ("GET", f"{youth}/timeline/", None),
        ("GET", f"{youth}/contacts/", None),
        (
            "POST",
            f"{youth}/contacts/",
            {"occurred_at": "2026-03-10T10:00:00+01:00", "duration_minutes": 30, "kind": "sms"},
        ),
        ("GET", f"{youth}/offences/", None),
        ("POST", f"{youth}/offences/", {"kind": "theft", "committed_on": "2026-03-01"}),
        ("POST", f"{youth}/followup/assign/", {"user": people.outsider.pk}),
        ("POST", f"{youth}/followup/close/", {"reason": "moved", "summary": "Flyttet."}),
        ("GET", f"/api/v1/contacts/{contact.pk}/", None),
        ("PATCH", f"/api/v1/contacts/{contact.pk}/", {"text": "Endret"}),
        ("DELETE", f"/api/v1/contacts/{contact.pk}/", {"reason": "Feil ungdom"}),
        ("GET", f"/api/v1/contacts/{contact.pk}/versions/", None),
    ]
    for method, url, data in calls:
        _assert_error(_json(client, method, url, data), 404, "not_found")
    assert client.get("/api/v1/youths/").json()["results"] == []
    assert Contact.objects.get().text == "Fotballtrening"
    assert not Offence.objects.exists()
    assert FollowUp.objects.get().state == "active"


def test_unknown_and_huge_ids_are_404(people: People) -> None:
    client = api_client(people.leader)
    for url in ("/api/v1/youths/999999/", "/api/v1/youths/99999999999999999999999/", "/api/v1/contacts/0/versions/"):
        _assert_error(client.get(url), 404, "not_found")


def test_anonymous_callers_are_401(client: Client, followup: FollowUp) -> None:
    _assert_error(client.get(f"/api/v1/youths/{followup.youth_id}/"), 401, "not_authenticated")


def test_a_teammate_may_not_delete_a_contact_or_assign_followers(
    people: People, followup: FollowUp, contact: Contact
) -> None:
    client = api_client(people.teammate)
    assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
    _assert_error(
        _json(client, "DELETE", f"/api/v1/contacts/{contact.pk}/", {"reason": "Feil"}), 403, "permission_denied"
    )
    _assert_error(
        _json(client, "POST", f"/api/v1/youths/{followup.youth_id}/followup/assign/", {"user": people.teammate.pk}),
        403,
        "permission_denied",
    )
    _assert_error(
        _json(
            client, "POST", f"/api/v1/youths/{followup.youth_id}/followup/close/", {"reason": "moved", "summary": "x"}
        ),
        403,
        "permission_denied",
    )
    assert Contact.objects.get().deleted_at is None


# --- Youths ------------------------------------------------------------------------------


def test_the_follower_lists_searches_and_reads_a_youth(people: People, followup: FollowUp) -> None:
    client = api_client(people.follower)
    youth = followup.youth
    listed = client.get("/api/v1/youths/").json()
    assert [y["id"] for y in listed["results"]] == [youth.pk]
    assert "national_id" not in listed["results"][0]
    assert client.get("/api/v1/youths/", {"q": youth.last_name}).json()["count"] == 1
    assert client.get("/api/v1/youths/", {"q": "Zyxwvut"}).json()["count"] == 0
    assert client.get("/api/v1/youths/", {"q": "a\x00b"}).status_code == 200
    detail = client.get(f"/api/v1/youths/{youth.pk}/").json()
    assert detail["national_id"] == youth.national_id
    assert detail["address"] == "Trondheimsveien 100"
    assert detail["restricted_visible"] is True
    assert detail["followup"]["state"] == "active"
    assert {a["role"] for a in detail["followup"]["assignments"]} == {"lead", "family"}
    assert AuditEvent.objects.filter(action="youth.viewed", actor=people.follower, youth_id=youth.pk).exists()


def test_restricted_fields_are_masked_without_the_right_to_see_them(people: People, followup: FollowUp) -> None:
    coordinator = staff(people.unit)  # manages the follow-up, but may not see address and national id
    detail = api_client(coordinator).get(f"/api/v1/youths/{followup.youth_id}/").json()
    assert detail["restricted_visible"] is False
    assert detail["national_id"] == f"{followup.youth.national_id[:6]} *****"
    assert detail["address"] not in ("", "Trondheimsveien 100")
    assert detail["postal_code"] == ""
    # ... and cannot change them either.
    response = _json(api_client(coordinator), "PATCH", f"/api/v1/youths/{followup.youth_id}/", {"address": "Ny vei 1"})
    _assert_error(response, 403, "permission_denied")


def test_a_coordinator_registers_a_youth_in_their_unit(people: People) -> None:
    coordinator = staff(people.unit)
    client = api_client(coordinator)
    data = {
        "unit": people.unit.pk,
        "first_name": "Sara",
        "last_name": "Ali",
        "birth_date": "2011-05-17",
        "national_id": national_id(BORN)[:6] + " " + national_id(BORN)[6:],
    }
    response = _json(client, "POST", "/api/v1/youths/", data)
    assert response.status_code == 201, response.content
    youth = Youth.objects.get(pk=response.json()["id"])
    assert youth.national_id == national_id(BORN)
    assert youth.district == people.unit.district
    assert youth.followups.get().state == "intake"
    assert response.json()["restricted_visible"] is False


def test_registering_with_wrong_check_digits_is_a_400_on_the_field(people: People) -> None:
    client = api_client(people.leader)
    data = {
        "unit": people.unit.pk,
        "first_name": "Sara",
        "last_name": "Ali",
        "birth_date": "2011-05-17",
        "national_id": wrong_check_digits(national_id(BORN)),
    }
    error = _assert_error(_json(client, "POST", "/api/v1/youths/", data), 400, "invalid")
    assert set(error["fields"]) == {"national_id"}
    assert not Youth.objects.exists()


def test_registering_needs_a_unit_one_coordinates_or_leads(people: People) -> None:
    base = {"first_name": "Sara", "last_name": "Ali", "birth_date": "2011-05-17"}
    error = _assert_error(
        _json(api_client(people.leader), "POST", "/api/v1/youths/", base | {"unit": people.other_unit.pk}),
        400,
        "invalid",
    )
    assert set(error["fields"]) == {"unit"}
    _assert_error(
        _json(api_client(people.follower), "POST", "/api/v1/youths/", base | {"unit": people.unit.pk}),
        403,
        "permission_denied",
    )
    error = _assert_error(_json(api_client(people.leader), "POST", "/api/v1/youths/", {"unit": "x"}), 400, "invalid")
    assert {"unit", "first_name", "last_name", "birth_date"} <= set(error["fields"])
    assert not Youth.objects.exists()


def test_the_follower_updates_a_youth(people: People, followup: FollowUp) -> None:
    client = api_client(people.follower)
    response = _json(
        client, "PATCH", f"/api/v1/youths/{followup.youth_id}/", {"phone": "40000000", "postal_code": "0566"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "40000000"
    followup.youth.refresh_from_db()
    assert followup.youth.postal_code == "0566"
    _assert_error(
        _json(client, "PATCH", f"/api/v1/youths/{followup.youth_id}/", {"birth_date": "2091-01-01"}), 400, "invalid"
    )


def test_the_timeline(people: People, followup: FollowUp, contact: Contact) -> None:
    Offence.objects.create(
        youth=followup.youth,
        committed_on=datetime.date(2026, 2, 1),
        kind="theft",
        registered_by=people.follower,
        unit=followup.unit,
    )
    body = api_client(people.follower).get(f"/api/v1/youths/{followup.youth_id}/timeline/").json()
    assert body["withheld"] == []
    items = body["items"]
    kinds = [item["kind"] for item in items]
    assert kinds[:2] == ["contact", "offence"]
    assert items[0]["object_id"] == contact.pk
    assert items[0]["detail"]["text"] == "Fotballtrening"


# --- Contacts ----------------------------------------------------------------------------


def test_contact_create_patch_versions_and_delete(people: People, followup: FollowUp) -> None:
    client = api_client(people.follower)
    url = f"/api/v1/youths/{followup.youth_id}/contacts/"
    response = _json(
        client,
        "POST",
        url,
        {
            "occurred_at": "2026-03-07T19:00:00+01:00",
            "duration_minutes": 45,
            "kind": "activity",
            "participants": ["youth", "youth"],
            "life_areas": ["leisure"],
            "text": "Klatring",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["evening_or_weekend"] is True
    assert created["participants"] == ["youth"]
    assert created["version"] == 1
    assert [c["id"] for c in client.get(url).json()["results"]] == [created["id"]]

    contact_url = f"/api/v1/contacts/{created['id']}/"
    response = _json(client, "PATCH", contact_url, {"text": "Klatring på Grünerløkka", "duration_minutes": 60})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    versions = client.get(f"{contact_url}versions/").json()
    assert [(v["version"], v["before"]["text"]) for v in versions] == [(1, "Klatring")]
    assert sorted(versions[0]["changed_fields"]) == ["duration_minutes", "text"]
    assert ContactVersion.objects.count() == 1

    leader = api_client(people.leader)
    error = _assert_error(_json(leader, "DELETE", contact_url), 400, "invalid")
    assert "reason" in error["fields"]
    assert _json(leader, "DELETE", contact_url, {"reason": "Registrert på feil ungdom"}).status_code == 204
    deleted = Contact.objects.get(pk=created["id"])
    assert deleted.deleted_by == people.leader
    assert deleted.delete_reason == "Registrert på feil ungdom"
    _assert_error(client.get(contact_url), 404, "not_found")
    assert client.get(url).json()["results"] == []


def test_a_leader_deletes_with_the_reason_as_a_query_parameter(people: People, contact: Contact) -> None:
    response = api_client(people.leader).delete(f"/api/v1/contacts/{contact.pk}/?reason=Dobbeltregistrert")
    assert response.status_code == 204
    contact.refresh_from_db()
    assert contact.delete_reason == "Dobbeltregistrert"


def test_contact_errors_use_the_error_format(people: People, followup: FollowUp, contact: Contact) -> None:
    client = api_client(people.follower)
    url = f"/api/v1/youths/{followup.youth_id}/contacts/"
    error = _assert_error(
        _json(client, "POST", url, {"occurred_at": "yesterday", "duration_minutes": 100000, "kind": "telepathy"}),
        400,
        "invalid",
    )
    assert set(error["fields"]) == {"occurred_at", "duration_minutes", "kind"}
    # A rule in the service (not in the future) comes back in the same format.
    error = _assert_error(
        _json(client, "POST", url, {"occurred_at": "2026-03-11T10:00:00+01:00", "duration_minutes": 5, "kind": "sms"}),
        400,
        "invalid",
    )
    assert set(error["fields"]) == {"occurred_at"}
    # A due date needs a task, also when only the date is sent.
    error = _assert_error(
        _json(client, "PATCH", f"/api/v1/contacts/{contact.pk}/", {"task_due_on": "2026-03-20"}), 400, "invalid"
    )
    assert set(error["fields"]) == {"task"}
    _assert_error(_json(client, "PATCH", f"/api/v1/contacts/{contact.pk}/", ["not", "an", "object"]), 400, "invalid")
    response = client.generic("POST", url, "{oops", content_type="application/json")
    _assert_error(response, 400, "parse_error")
    assert Contact.objects.count() == 1


# --- Offences and follow-up --------------------------------------------------------------


def test_offences_list_and_register(people: People, followup: FollowUp) -> None:
    client = api_client(people.follower)
    url = f"/api/v1/youths/{followup.youth_id}/offences/"
    response = _json(client, "POST", url, {"kind": "robbery", "committed_on": "2026-02-14", "police_reference": "123"})
    assert response.status_code == 201, response.content
    assert [o["kind"] for o in client.get(url).json()["results"]] == ["robbery"]
    error = _assert_error(_json(client, "POST", url, {"kind": "robbery", "committed_on": "2026-12-24"}), 400, "invalid")
    assert set(error["fields"]) == {"committed_on"}
    assert Offence.objects.count() == 1


def test_a_leader_assigns_a_follower_and_closes_the_follow_up(people: People, followup: FollowUp) -> None:
    client = api_client(people.leader)
    base = f"/api/v1/youths/{followup.youth_id}/followup"
    new_follower = staff(people.unit, "follower", full_name="Nora Ny")
    response = _json(client, "POST", f"{base}/assign/", {"user": new_follower.pk, "role": "lead"})
    assert response.status_code == 200, response.content
    assert response.json()["user"] == new_follower.pk
    lead = FollowUpAssignment.objects.get(followup=followup, role="lead", ends_on__isnull=True)
    assert lead.user == new_follower
    error = _assert_error(_json(client, "POST", f"{base}/assign/", {"user": people.outsider.pk}), 400, "invalid")
    assert "user" in error["fields"]
    _assert_error(_json(client, "POST", f"{base}/assign/", {"user": 10**30}), 400, "invalid")

    error = _assert_error(_json(client, "POST", f"{base}/close/", {"reason": "moved", "summary": ""}), 400, "invalid")
    assert "summary" in error["fields"]
    response = _json(client, "POST", f"{base}/close/", {"reason": "moved", "summary": "Flyttet til Bergen."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"
    assert response.json()["assignments"] == []
    _assert_error(_json(client, "POST", f"{base}/close/", {"reason": "moved", "summary": "Igjen"}), 400, "invalid")


def test_the_schema_describes_the_cases_api(client: Client) -> None:
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/youths/",
        "/api/v1/youths/{id}/",
        "/api/v1/youths/{id}/timeline/",
        "/api/v1/youths/{id}/contacts/",
        "/api/v1/youths/{id}/offences/",
        "/api/v1/youths/{id}/followup/assign/",
        "/api/v1/youths/{id}/followup/close/",
        "/api/v1/contacts/{id}/",
        "/api/v1/contacts/{id}/versions/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/contacts/{id}/"]) >= {"get", "patch", "delete"}
    assert "requestBody" in paths["/api/v1/youths/"]["post"]
