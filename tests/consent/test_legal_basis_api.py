"""Sharing without consent on a legal basis through the API (/api/v1/youths/<id>/legal-basis-uses/,
/api/v1/legal-bases/, /api/v1/legal-basis-uses/): the wiring of the same selectors and services
as consent.legal_basis_views. An outsider gets 404, someone without a role in force 403, a non-
leader 403 on the review; a broken rule is a 400 on its field in the error format; the use and
the review are audited; the reason is shown only to those the consent page shows it to."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from guardian.shortcuts import assign_perm

from consent.models import LegalBasis, LegalBasisUse
from core.models import AuditEvent, Notification
from org.models import StaffRole, Unit

from ..cases.helpers_records import api_client
from ..factories import StaffRoleFactory, UnitFactory
from .conftest import OSLO, World

pytestmark = pytest.mark.django_db

SIXTEEN = datetime.date(2010, 1, 15)
REASON = "Ungdommen forteller om vold fra stefar i helgen; meldt barnevernet samme dag."


@pytest.fixture
def barnevern(world: World) -> Unit:
    return UnitFactory(
        name="Barnevernstjenesten i bydel Bjerke", district=world.people.unit.district, kind=Unit.Kind.BARNEVERN
    )


def _basis() -> LegalBasis:
    return LegalBasis.objects.get(code="barnevernsloven-13-2")


def _body(unit: Unit, **extra: Any) -> dict[str, Any]:
    return {
        "basis": _basis().pk,
        "categories": ["identity_contact", "family"],
        "unit": unit.pk,
        "reason": REASON,
    } | extra


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _uses_url(pk: int) -> str:
    return f"/api/v1/youths/{pk}/legal-basis-uses/"


def test_an_outsider_gets_404_and_nothing_is_shared(world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    client = api_client(world.people.outsider)
    assert client.get(_uses_url(youth.pk)).status_code == 404
    assert _post(client, _uses_url(youth.pk), _body(barnevern)).status_code == 404
    assert _post(client, _uses_url(999999), _body(barnevern)).status_code == 404
    assert not LegalBasisUse.objects.exists()


def test_someone_who_sees_the_youth_without_a_role_in_force_gets_403(world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    former = StaffRoleFactory(
        unit=world.people.police_unit, role=StaffRole.Role.POLICE_CONTACT, ends_on=datetime.date(2026, 1, 31)
    ).user
    assign_perm("cases.view_youth", former, youth)  # a team grant not yet taken away
    client = api_client(former)
    assert client.get(_uses_url(youth.pk)).status_code == 200
    assert _post(client, _uses_url(youth.pk), _body(barnevern)).status_code == 403
    assert not LegalBasisUse.objects.exists()


def test_a_use_is_recorded_audited_and_the_leader_told(world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    client = api_client(world.people.follower)

    response = _post(client, _uses_url(youth.pk), _body(barnevern, until="2026-03-05T16:00:00+01:00"))

    assert response.status_code == 201, response.content
    use = LegalBasisUse.objects.get()
    assert response.json()["id"] == use.pk
    assert response.json()["basis"]["law_reference"] == _basis().law_reference
    assert (use.actor, use.youth, use.unit, use.categories) == (
        world.people.follower,
        youth,
        barnevern,
        ["family", "identity_contact"],
    )
    assert use.until == datetime.datetime(2026, 3, 5, 16, 0, tzinfo=OSLO)
    event = AuditEvent.objects.get(action="consent.legal_basis_used")
    assert (event.actor, event.youth_id, event.detail["reason"]) == (world.people.follower, youth.pk, REASON)
    assert Notification.objects.filter(kind="legal_basis_used", recipient=world.people.leader).exists()

    [row] = client.get(_uses_url(youth.pk)).json()
    assert (row["id"], row["reason"], row["in_force"]) == (use.pk, REASON, True)


def test_a_broken_rule_is_a_400_on_its_field_and_nothing_is_shared(world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    client = api_client(world.people.follower)
    for body, field in (
        (_body(barnevern, reason="Vold hjemme."), "reason"),  # too short to say why it cannot wait
        (_body(world.school), "unit"),  # a service the basis does not allow
        (_body(barnevern, categories=["rumours"]), "categories"),  # no such category
        (_body(barnevern, basis=999999), "basis"),  # not in the catalogue
        (_body(barnevern) | {"unit": 999999}, "unit"),
        (_body(barnevern, categories=[]), "categories"),
    ):
        response = _post(client, _uses_url(youth.pk), body)
        assert response.status_code == 400, body
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert field in error["fields"], (body, error)
    assert not LegalBasisUse.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.legal_basis_used").exists()


def test_the_reason_is_for_those_who_record_consents_and_the_receiving_service(world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    assert _post(api_client(world.people.follower), _uses_url(youth.pk), _body(barnevern)).status_code == 201
    assign_perm("cases.view_youth", world.school_contact, youth)  # a member of the youth's team

    [row] = api_client(world.school_contact).get(_uses_url(youth.pk)).json()

    assert row["reason"] is None
    assert row["categories"] == ["family", "identity_contact"]


def test_the_catalogue_lists_the_bases_in_use(world: World) -> None:
    response = api_client(world.people.follower).get("/api/v1/legal-bases/")
    assert response.status_code == 200
    assert _basis().pk in {basis["id"] for basis in response.json()}


def test_the_leader_reviews_the_uses_and_the_review_is_audited(world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    assert _post(api_client(world.people.follower), _uses_url(youth.pk), _body(barnevern)).status_code == 201
    use = LegalBasisUse.objects.get()

    response = api_client(world.people.leader).get("/api/v1/legal-basis-uses/")

    assert response.status_code == 200
    review = response.json()
    assert (review["page"], review["pages"], review["count"]) == (1, 1, 1)
    [row] = review["results"]
    assert (row["id"], row["reason"], row["youth"], row["youth_name"]) == (use.pk, REASON, youth.pk, youth.display_name)
    seen = AuditEvent.objects.get(action="consent.legal_basis_reviewed")
    assert (seen.actor, seen.detail) == (world.people.leader, {"page": 1, "uses": [use.pk], "youths": [youth.pk]})


def test_a_non_leader_gets_403_on_the_review(world: World) -> None:
    for person in (world.people.follower, world.people.teammate, world.people.outsider, world.people.police):
        assert api_client(person).get("/api/v1/legal-basis-uses/").status_code == 403, person
    assert not AuditEvent.objects.filter(action="consent.legal_basis_reviewed").exists()
