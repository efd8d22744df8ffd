"""The team API (/api/v1/youths/<pk>/team/…): the same access as the team page (an outsider gets
404 everywhere, a member without the right sees the team and gets 403 on changes), the same
services (their rules come back as 400 in the one error format), the read audited as on the
page, and guardians left out for a service without family information."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from cases.models import Guardian, Guardianship, Youth
from consent.models import Disclosure
from core.models import AuditEvent
from teams import services
from teams.models import TeamMember

from ..cases.factories import followed_youth
from ..cases.helpers_records import api_client
from ..conftest import People

pytestmark = pytest.mark.django_db

Kind = TeamMember.Kind
Role = TeamMember.Role


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def youth(people: People) -> Youth:
    return followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berg")


def _start(people: People, youth: Youth) -> TeamMember:
    return services.team_member_add(
        actor=people.follower, youth=youth, kind=Kind.STAFF, user=people.follower, unit=people.unit, role=Role.FOLLOWER
    )


def _add_police(people: People, youth: Youth) -> TeamMember:
    return services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=Role.POLICE_CONTACT,
    )


def _add_guardian(people: People, youth: Youth) -> TeamMember:
    mother = Guardian.objects.create(first_name="Nadia", last_name="Berg", phone="41234567")
    Guardianship.objects.create(youth=youth, guardian=mother, relation=Guardianship.Relation.MOTHER)
    return services.team_member_add(actor=people.follower, youth=youth, kind=Kind.GUARDIAN, guardian=mother)


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.generic("POST", url, json.dumps(body or {}), content_type="application/json")


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"]
    return body["error"]


def _active(youth: Youth) -> list[TeamMember]:
    return list(TeamMember.objects.filter(youth=youth, ends_on__isnull=True))


def _urls(youth: Youth, member: TeamMember) -> list[tuple[str, str, Any]]:
    base = f"/api/v1/youths/{youth.pk}/team"
    return [
        ("GET", f"{base}/", None),
        ("POST", f"{base}/start/", {}),
        ("POST", f"{base}/members/", {"kind": "youth"}),
        ("POST", f"{base}/members/{member.pk}/end/", {"reason": "Nei"}),
        ("POST", f"{base}/members/{member.pk}/lead/", {}),
    ]


def test_an_outsider_gets_404_on_every_team_endpoint(people: People, youth: Youth) -> None:
    member = _start(people, youth)
    client = api_client(people.outsider)

    for method, url, body in _urls(youth, member):
        response = client.generic(
            method, url, json.dumps(body) if body is not None else "", content_type="application/json"
        )
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert _post(client, "/api/v1/youths/999999/team/start/").status_code == 404
    assert len(_active(youth)) == 1
    assert not AuditEvent.objects.filter(action="youth.team_viewed", actor=people.outsider).exists()


def test_a_member_without_the_right_sees_the_team_but_gets_403_on_changes(people: People, youth: Youth) -> None:
    lead = _start(people, youth)
    _add_police(people, youth)
    client = api_client(people.police)

    response = client.get(f"/api/v1/youths/{youth.pk}/team/")
    assert response.status_code == 200, response.content
    assert response.json()["may_manage"] is False
    for method, url, body in _urls(youth, lead)[1:]:
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"
    assert len(_active(youth)) == 2


def test_the_team_is_read_lead_first_with_its_history_and_the_read_is_audited(people: People, youth: Youth) -> None:
    lead = _start(people, youth)
    police = _add_police(people, youth)
    services.team_member_end(actor=people.follower, member=police, reason="Saken er henlagt")
    services.team_member_add(actor=people.follower, youth=youth, kind=Kind.YOUTH)

    response = api_client(people.follower).get(f"/api/v1/youths/{youth.pk}/team/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lead"] == lead.pk
    assert body["may_manage"] is True
    assert [(m["kind"], m["is_lead"]) for m in body["members"]] == [("staff", True), ("youth", False)]
    assert body["members"][0]["email"] == people.follower.email
    assert len(body["history"]) == 3
    assert "Saken er henlagt" in {row["end_reason"] for row in body["history"]}
    assert AuditEvent.objects.filter(action="youth.team_viewed", youth_id=youth.pk, actor=people.follower).exists()


def test_guardians_are_left_out_for_a_service_without_family_information(people: People, youth: Youth) -> None:
    _start(people, youth)
    _add_guardian(people, youth)
    _add_police(people, youth)

    own = api_client(people.follower).get(f"/api/v1/youths/{youth.pk}/team/").json()
    police = api_client(people.police).get(f"/api/v1/youths/{youth.pk}/team/").json()

    assert "guardian" in {m["kind"] for m in own["members"]}
    assert "41234567" in {m["phone"] for m in own["members"]}
    assert own["guardians_withheld"] is False
    assert "guardian" not in {m["kind"] for m in police["members"]}
    assert "guardian" not in {row["kind"] for row in police["history"]}
    assert police["guardians_withheld"] is True
    # The follower's own service was shown the family information: logged as on the page.
    assert Disclosure.objects.filter(user=people.follower, youth=youth, channel="api").exists()


def test_the_follower_adds_an_external_person_and_the_addition_is_audited(people: People, youth: Youth) -> None:
    _start(people, youth)

    response = _post(
        api_client(people.follower),
        f"/api/v1/youths/{youth.pk}/team/members/",
        {"kind": "external", "external_name": "Trener Tor", "external_organisation": "Furuset IF", "role": "coach"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Trener Tor"
    member = TeamMember.objects.get(pk=response.json()["id"])
    assert (member.kind, member.added_by) == (Kind.EXTERNAL, people.follower)
    assert AuditEvent.objects.filter(
        action="team.member_added", object_id=str(member.pk), actor=people.follower
    ).exists()


def test_a_staff_member_joins_for_a_service_and_may_then_take_the_lead(people: People, youth: Youth) -> None:
    _start(people, youth)
    client = api_client(people.follower)

    response = _post(
        client,
        f"/api/v1/youths/{youth.pk}/team/members/",
        {"kind": "staff", "user": people.teammate.pk, "unit": people.unit.pk, "role": "family_follower"},
    )
    assert response.status_code == 201, response.content
    response = _post(client, f"/api/v1/youths/{youth.pk}/team/members/{response.json()['id']}/lead/")

    assert response.status_code == 200, response.content
    assert response.json()["is_lead"] is True
    assert [m.user for m in _active(youth) if m.is_lead] == [people.teammate]
    assert AuditEvent.objects.filter(action="team.lead_transferred", youth_id=youth.pk).exists()


def test_bad_input_and_broken_rules_are_400_in_the_error_format(people: People, youth: Youth) -> None:
    lead = _start(people, youth)
    client = api_client(people.follower)
    members = f"/api/v1/youths/{youth.pk}/team/members/"

    assert "kind" in _error(_post(client, members, {"kind": "pet"}))["fields"]
    assert "external_name" in _error(_post(client, members, {"kind": "external", "role": "coach"}))["fields"]
    # A person with no role in the service chosen: the service's rule, on the person.
    fields = _error(
        _post(client, members, {"kind": "staff", "user": people.outsider.pk, "unit": people.unit.pk, "role": "other"})
    )["fields"]
    assert "ingen gjeldende rolle" in fields["user"][0]  # the API answers in bokmål
    # Someone else's guardian is not looked up.
    stranger = Guardian.objects.create(first_name="Fremmed", last_name="Person")
    assert "guardian" in _error(_post(client, members, {"kind": "guardian", "guardian": stranger.pk}))["fields"]
    # The lead leaves last, or after passing the lead on.
    _post(client, members, {"kind": "youth"})
    error = _error(_post(client, f"{members}{lead.pk}/end/", {"reason": "Slutter"}))
    assert "har hovedansvaret" in error["message"]
    assert "reason" in _error(_post(client, f"{members}{lead.pk}/end/", {"reason": ""}))["fields"]
    assert len(_active(youth)) == 2


def test_an_unknown_member_is_404(people: People, youth: Youth) -> None:
    _start(people, youth)
    other = followed_youth(people.unit, lead=people.follower)
    someone_else = _start(people, other)

    response = _post(
        api_client(people.follower), f"/api/v1/youths/{youth.pk}/team/members/{someone_else.pk}/end/", {"reason": "Nei"}
    )

    assert response.status_code == 404
    assert TeamMember.objects.get(pk=someone_else.pk).ends_on is None


def test_the_team_is_started_with_the_follower(people: People, youth: Youth) -> None:
    response = _post(api_client(people.leader), f"/api/v1/youths/{youth.pk}/team/start/")

    assert response.status_code == 200, response.content
    assert [(m.user, m.is_lead) for m in _active(youth)] == [(people.follower, True)]
    without = followed_youth(people.unit)
    assert (
        "ingen åpen oppfølging"
        in _error(_post(api_client(people.leader), f"/api/v1/youths/{without.pk}/team/start/"))["message"]
    )
