"""The consent API (/api/v1/youths/<pk>/consents/, /api/v1/consents/<pk>/…): the same access as
the consent pages (an outsider gets 404 everywhere; a team member of another service sees what
each consent covers but not who answered, and gets 403 on the history and every change), the
same services (their rules come back as 400 in the one error format, in bokmål), the reads
audited as the pages audit them, and the signed form uploaded as multipart as the page does."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases.models import Youth
from consent.models import Consent, ConsentVersion
from core.models import AuditEvent
from teams import services as team_services
from teams.models import TeamMember

from ..cases.helpers_records import api_client
from .conftest import GIVEN, World, responsible

pytestmark = pytest.mark.django_db

BORN_16 = datetime.date(2009, 9, 1)  # 16 on 2 March 2026 (the frozen clock of these tests)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client: Client, url: str, body: Any) -> Any:
    return client.generic("POST", url, json.dumps(body), content_type="application/json")


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"]
    return body["error"]


def _body(world: World, youth: Youth, **changes: Any) -> dict[str, Any]:
    return {
        "purpose": "Samarbeid med skolen om oppmøte",
        "categories": ["school"],
        "units": [world.school.pk],
        "form": "oral",
        "valid_from": "2026-03-02",
        "valid_to": "2026-12-31",
        "youth_answer": GIVEN,
        "guardian_answers": [{"guardian": g.pk, "answer": GIVEN} for g in responsible(youth)],
    } | changes


def _school_member(world: World, youth: Youth) -> None:
    """The school's contact joins the youth's team: sees the youth, records no consents."""
    team_services.team_member_add(
        actor=world.people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=world.people.follower,
        unit=world.people.unit,
        role=TeamMember.Role.FOLLOWER,
    )
    team_services.team_member_add(
        actor=world.people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=world.school_contact,
        unit=world.school,
        role=TeamMember.Role.CONTACT_TEACHER,
    )


def test_an_outsider_gets_404_on_every_consent_endpoint(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN_16)
    consent = record(youth).consent
    client = api_client(world.people.outsider)

    calls = [
        ("GET", f"/api/v1/youths/{youth.pk}/consents/", None),
        ("POST", f"/api/v1/youths/{youth.pk}/consents/", _body(world, youth)),
        ("GET", f"/api/v1/consents/{consent.pk}/", None),
        ("POST", f"/api/v1/consents/{consent.pk}/revise/", _body(world, youth)),
        ("POST", f"/api/v1/consents/{consent.pk}/withdraw/", {"party": "youth", "reason": "Nei"}),
        ("GET", f"/api/v1/consents/{consent.pk}/versions/1/document/", None),
    ]
    for method, url, body in calls:
        response = client.generic(method, url, json.dumps(body) if body else "", content_type="application/json")
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert Consent.objects.count() == 1
    assert ConsentVersion.objects.count() == 1


def test_a_team_member_sees_the_scope_but_not_who_answered_and_may_not_change(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(BORN_16)
    consent = record(youth, youth_view="").consent
    _school_member(world, youth)
    client = api_client(world.school_contact)

    response = client.get(f"/api/v1/youths/{youth.pk}/consents/")
    assert response.status_code == 200, response.content
    (row,) = response.json()
    assert row["current"]["categories"] == ["health", "identity_contact"]
    assert row["current"]["answers"] is None
    assert row["state"] == "in_force"
    for method, url, body in [
        ("GET", f"/api/v1/consents/{consent.pk}/", None),
        ("POST", f"/api/v1/youths/{youth.pk}/consents/", _body(world, youth)),
        ("POST", f"/api/v1/consents/{consent.pk}/revise/", _body(world, youth)),
        ("POST", f"/api/v1/consents/{consent.pk}/withdraw/", {"party": "youth", "reason": "Nei"}),
    ]:
        response = client.generic(method, url, json.dumps(body) if body else "", content_type="application/json")
        assert response.status_code == 403, url
    assert ConsentVersion.objects.count() == 1


def test_the_follower_records_revises_and_withdraws_and_each_is_audited(world: World) -> None:
    youth = world.youth(BORN_16)
    client = api_client(world.people.follower)

    response = _post(client, f"/api/v1/youths/{youth.pk}/consents/", _body(world, youth))
    assert response.status_code == 201, response.content
    consent = response.json()
    assert consent["state"] == "in_force"
    assert {a["party"] for a in consent["current"]["answers"]} == {"youth", "guardian"}
    response = _post(
        client, f"/api/v1/consents/{consent['id']}/revise/", _body(world, youth, categories=["school", "health"])
    )
    assert response.status_code == 200, response.content
    assert [v["number"] for v in response.json()["versions"]] == [2, 1]
    response = _post(
        client, f"/api/v1/consents/{consent['id']}/withdraw/", {"party": "youth", "reason": "Ombestemte seg."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"

    actions = list(
        AuditEvent.objects.filter(youth_id=youth.pk, action__startswith="consent.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["consent.recorded", "consent.revised", "consent.withdrawn"]


def test_the_reads_are_audited_as_on_the_pages(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN_16)
    consent = record(youth).consent
    client = api_client(world.people.follower)

    assert client.get(f"/api/v1/youths/{youth.pk}/consents/").status_code == 200
    detail = client.get(f"/api/v1/consents/{consent.pk}/")

    assert detail.status_code == 200
    assert [v["event"] for v in detail.json()["versions"]] == ["recorded"]
    assert (
        AuditEvent.objects.filter(
            action="youth.consents_viewed", youth_id=youth.pk, actor=world.people.follower
        ).count()
        == 2
    )


def test_broken_rules_are_400_in_the_error_format(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN_16)
    client = api_client(world.people.follower)
    url = f"/api/v1/youths/{youth.pk}/consents/"

    assert "valid_to" in _error(_post(client, url, _body(world, youth, valid_to="2026-01-01")))["fields"]
    assert "categories" in _error(_post(client, url, _body(world, youth, categories=[])))["fields"]
    assert "units" in _error(_post(client, url, _body(world, youth, units=[999999])))["fields"]
    # 16 years old: the youth's own answer is needed as well as the guardians'.
    assert "15" in _error(_post(client, url, _body(world, youth, youth_answer=None)))["message"]
    # A written consent needs its signed form.
    assert "document" in _error(_post(client, url, _body(world, youth, form="written")))["fields"]
    withdrawn = record(youth).consent
    _post(client, f"/api/v1/consents/{withdrawn.pk}/withdraw/", {"party": "youth", "reason": "Nei takk."})
    error = _error(_post(client, f"/api/v1/consents/{withdrawn.pk}/revise/", _body(world, youth)))
    assert "trukket tilbake" in error["message"]
    assert (
        "reason"
        in _error(_post(client, f"/api/v1/consents/{withdrawn.pk}/withdraw/", {"party": "youth", "reason": ""}))[
            "fields"
        ]
    )
    assert Consent.objects.filter(youth=youth).count() == 1


def test_a_written_consent_is_uploaded_as_multipart_and_downloaded(world: World) -> None:
    youth = world.youth(BORN_16)
    client = api_client(world.people.follower)
    guardians = responsible(youth)
    data: dict[str, Any] = {
        "purpose": "Samarbeid med skolen om oppmøte",
        "categories": ["school", "health"],
        "units": [str(world.school.pk)],
        "form": "written",
        "valid_from": "2026-03-02",
        "valid_to": "2026-12-31",
        "youth_answer": GIVEN,
        "document": SimpleUploadedFile("skjema.pdf", PDF, "application/pdf"),
    }
    for i, guardian in enumerate(guardians):
        data[f"guardian_answers[{i}]guardian"] = str(guardian.pk)
        data[f"guardian_answers[{i}]answer"] = GIVEN

    response = client.post(f"/api/v1/youths/{youth.pk}/consents/", data)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["current"]["has_document"] is True
    assert body["current"]["categories"] == ["health", "school"]
    assert len(body["current"]["answers"]) == 3
    download = client.get(f"/api/v1/consents/{body['id']}/versions/1/document/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="consent.document_downloaded", youth_id=youth.pk).exists()
