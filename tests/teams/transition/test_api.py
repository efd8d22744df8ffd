"""The transition checklist's API (/api/v1/youths/<pk>/transition/…, issue 14): the same
selectors, services and policy as the checklist's pages. An outsider gets 404 everywhere; whoever
sees the youth but may not change the plan gets 403; a team member whose service may not see a
point's category sees it only as withheld, with nothing of its content, and may not change it;
bad input is a 400 with field keys in the one error format (in Norwegian for a Norwegian
caller), with nothing saved; every read is audited and logged as a disclosure on the API channel."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from guardian.shortcuts import assign_perm

from cases.models import Youth
from consent import services as consent_services
from consent.models import Disclosure
from core.dates import add_months, today_in_oslo
from core.models import AuditEvent, User
from org.models import StaffRole, Unit
from teams import services as team_services
from teams.models import TeamMember, TransitionItem, TransitionPoint
from teams.transition import services

from ...cases.helpers_records import api_client
from ...conftest import People
from ...factories import StaffRoleFactory, UnitFactory
from ...sharing import open_to
from ..factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db
P = TransitionPoint
WRITES = ("settle", "not-applicable", "reopen")


def born_months_before_18(months: int) -> datetime.date:
    """A birth date so the youth turns 18 `months` months from today."""
    return add_months(add_months(today_in_oslo(), months), -18 * 12)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(
        people.unit, lead=people.follower, birth_date=born_months_before_18(5), first_name="Sunniva", last_name="Dahl"
    )


@pytest.fixture
def barnevern(people: People) -> Unit:
    return UnitFactory(name="Barneverntjenesten Bjerke", district=people.district, kind=Unit.Kind.BARNEVERN)


@pytest.fixture
def caseworker(barnevern: Unit) -> User:
    user = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Barnevern").user
    assert isinstance(user, User)
    return user


def call(client: Client, url: str, body: Any = None, **headers: Any) -> Any:
    return client.generic("POST", url, json.dumps(body or {}), content_type="application/json", **headers)


def base(youth: Youth) -> str:
    return f"/api/v1/youths/{youth.pk}/transition/"


def points(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["point"]: p for p in data["points"]}


def _police_in_team(people: People, youth: Youth) -> None:
    """The police contact joins the team (sees the youth, may change the plan), with no consent."""
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )


# --- Reading -----------------------------------------------------------------------------


def test_the_checklist_as_the_follower_sees_it_audited_and_logged(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.AFTERCARE, how="Snakket med Sunniva", aftercare_answer="wants"
    )
    services.transition_point_settle(
        actor=people.follower,
        youth=youth,
        point=P.LEAD,
        how="Avtalt",
        lead_outcome="handed_over",
        unit=barnevern,
        lead_user=caseworker,
    )
    services.transition_point_not_applicable(actor=people.follower, youth=youth, point=P.HEALTH, reason="Ikke behov")
    response = api_client(people.follower).get(base(youth))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["youth"] == youth.pk
    assert data["birthday"] == youth.eighteenth_birthday.isoformat()
    assert data["due"] is True
    assert data["after_birthday"] is False
    assert data["may_change"] is True
    assert data["withheld"] == 0
    assert data["progress"] == {
        "settled": 2,
        "total": 6,
        "overdue": 0,
        "next_alert": add_months(youth.eighteenth_birthday, -3).isoformat(),
        "step": 6,
    }
    shown = points(data)
    assert list(shown) == list(P.values)
    aftercare = shown["aftercare"]
    assert aftercare["state"] == "settled"
    assert aftercare["how"] == "Snakket med Sunniva"
    assert aftercare["aftercare_answer"] == "wants"
    assert aftercare["settled_by_name"] == "Alice Follower"
    assert aftercare["settled_at"] is not None
    assert aftercare["actions"] == ["settle", "not_applicable", "reopen"]
    lead = shown["lead"]
    assert lead["lead_outcome"] == "handed_over"
    assert lead["unit"] == {"id": barnevern.pk, "name": "Barneverntjenesten Bjerke"}
    assert lead["lead_user"] == {"id": caseworker.pk, "name": "Kari Barnevern"}
    assert lead["lead_until"] == youth.birth_date.replace(year=youth.birth_date.year + 25).isoformat()
    assert shown["health"]["state"] == "not_applicable"
    assert shown["health"]["how"] == "Ikke behov"
    housing = shown["housing"]
    assert housing["state"] == "open"
    assert housing["how"] is None
    assert housing["actions"] == ["settle", "not_applicable"]
    assert shown["consent"]["consent"] is None
    assert shown["consent"]["actions"] == ["not_applicable"]
    event = AuditEvent.objects.filter(action="transition.viewed", youth_id=youth.pk).latest("id")
    assert event.detail["channel"] == "api"
    assert Disclosure.objects.filter(youth=youth, user=people.follower, channel="api").exists()


def test_the_youths_own_consent_settles_the_consent_point_with_a_link(people: People, youth: Youth) -> None:
    version = consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid etter 18",
        categories=["identity_contact"],
        units=[people.unit],
        form="oral",
        valid_from=youth.eighteenth_birthday,
        valid_to=add_months(youth.eighteenth_birthday, 12),
        youth_answer="given",
    )
    consent = points(api_client(people.follower).get(base(youth)).json())["consent"]
    assert consent["state"] == "settled"
    assert consent["consent"] == {"id": version.consent_id, "url": f"/api/v1/consents/{version.consent_id}/"}
    assert consent["actions"] == []


def test_a_point_withheld_by_the_sharing_policy_shows_no_content(people: People, youth: Youth) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.HOUSING, how="Bor hos mormor på Veitvet etter 18"
    )
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.SCHOOL_WORK, how="Vg2 elektro på Kuben"
    )
    _police_in_team(people, youth)
    open_to(youth, people.police_unit, ["identity_contact"], actor=people.follower)
    response = api_client(people.police).get(base(youth))
    assert response.status_code == 200, response.content
    data = response.json()
    text = response.content.decode()
    assert "mormor" not in text
    assert "Kuben" not in text
    assert "Alice Follower" not in text
    shown = points(data)
    housing = shown["housing"]
    assert housing["withheld"] is True
    assert housing["actions"] == []
    assert {key for key, value in housing.items() if value is not None} == {"point", "name", "withheld", "actions"}
    assert {name for name, p in shown.items() if p["withheld"]} == {"aftercare", "health", "housing", "school_work"}
    assert shown["nav"]["withheld"] is False
    assert data["withheld"] == 4
    assert data["progress"]["settled"] == 2  # counted, not named
    event = AuditEvent.objects.filter(action="transition.viewed", actor=people.police).latest("id")
    assert sorted(event.detail["shown"]) == ["consent", "lead", "nav"]
    # Nor may the member change a point it may not see, though it may change the plan.
    for body in ({"how": "Noe annet"}, {"how": ""}, {"unit": "Bjerke"}):  # refused before anything sent is read
        response = call(api_client(people.police), base(youth) + "housing/settle/", body)
        assert response.status_code == 403, (body, response.content)
    response = call(api_client(people.police), base(youth) + "housing/not-applicable/", {"reason": "Noe"})
    assert response.status_code == 403
    assert TransitionItem.objects.get(youth=youth, point=P.HOUSING).how == "Bor hos mormor på Veitvet etter 18"
    response = call(api_client(people.police), base(youth) + "nav/settle/", {"how": "Møte", "contact_name": "Per"})
    assert response.status_code == 200, response.content


# --- Refusals ------------------------------------------------------------------------------


def test_an_outsider_gets_404_everywhere(people: People, youth: Youth) -> None:
    services.transition_point_settle(actor=people.follower, youth=youth, point=P.HOUSING, how="Bor hjemme")
    client = api_client(people.outsider)
    assert client.get(base(youth)).status_code == 404
    for action in WRITES:
        for point in ("housing", "school_work", "no-such-point"):
            response = call(client, base(youth) + f"{point}/{action}/", {"how": "x", "reason": "x"})
            assert response.status_code == 404, (action, point, response.content)
            assert response.json()["error"]["code"] == "not_found"
    assert api_client(people.follower).get("/api/v1/youths/999999999/transition/").status_code == 404
    assert list(TransitionItem.objects.values_list("point", "state")) == [("housing", "settled")]
    assert not Disclosure.objects.filter(user=people.outsider).exists()


def test_someone_who_sees_the_youth_but_may_not_change_the_plan_reads_it_and_gets_403(
    people: People, youth: Youth
) -> None:
    services.transition_point_settle(actor=people.follower, youth=youth, point=P.HOUSING, how="Bor hjemme")
    assign_perm("cases.view_youth", people.police, youth)
    client = api_client(people.police)
    response = client.get(base(youth))
    assert response.status_code == 200
    assert response.json()["may_change"] is False
    assert all(p["actions"] == [] for p in response.json()["points"])
    for action in WRITES:
        response = call(client, base(youth) + f"housing/{action}/", {"how": "x", "reason": "x"})
        assert response.status_code == 403, (action, response.content)
    assert list(TransitionItem.objects.values_list("point", "state", "how")) == [("housing", "settled", "Bor hjemme")]


def test_an_unknown_point_is_not_found_as_on_the_page(people: People, youth: Youth) -> None:
    for action in WRITES:
        response = call(api_client(people.follower), base(youth) + f"pocket_money/{action}/", {"how": "x"})
        assert response.status_code == 404
    assert not TransitionItem.objects.exists()


# --- Writing -----------------------------------------------------------------------------


def test_settle_not_applicable_and_reopen_through_the_services(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    client = api_client(people.follower)
    response = call(client, base(youth) + "aftercare/settle/", {"how": "Samtale 3. mars", "aftercare_answer": "wants"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["point"], data["state"], data["aftercare_answer"]) == ("aftercare", "settled", "wants")
    assert data["settled_by_name"] == "Alice Follower"
    item = TransitionItem.objects.get(youth=youth, point=P.AFTERCARE)
    assert (item.settled_by, item.how) == (people.follower, "Samtale 3. mars")

    body = {"how": "Møte med NAV Bjerke", "contact_name": "Nina NAV", "unit": barnevern.pk}
    response = call(client, base(youth) + "nav/settle/", body)
    assert response.status_code == 200, response.content
    assert response.json()["contact_name"] == "Nina NAV"
    assert response.json()["unit"] == {"id": barnevern.pk, "name": barnevern.name}

    body = {"how": "Avtalt i møte", "lead_outcome": "handed_over", "unit": barnevern.pk, "lead_user": caseworker.pk}
    response = call(client, base(youth) + "lead/settle/", body)
    assert response.status_code == 200, response.content
    lead = response.json()
    assert lead["lead_user"] == {"id": caseworker.pk, "name": "Kari Barnevern"}
    assert lead["lead_until"] == youth.birth_date.replace(year=youth.birth_date.year + 25).isoformat()

    response = call(client, base(youth) + "health/not-applicable/", {"reason": "Ingen behov for helsetjenester"})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["how"]) == ("not_applicable", "Ingen behov for helsetjenester")

    response = call(client, base(youth) + "aftercare/reopen/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "open"
    assert response.json()["how"] is None
    response = call(client, base(youth) + "housing/reopen/")  # open already: nothing to reopen
    assert response.status_code == 400, response.content
    assert "ingenting å åpne igjen" in str(response.json())

    actions = AuditEvent.objects.filter(youth_id=youth.pk, action__startswith="transition.").order_by("id")
    assert [e.action for e in actions] == [
        "transition.settled",
        "transition.settled",
        "transition.settled",
        "transition.not_applicable",
        "transition.reopened",
    ]
    assert TransitionItem.objects.get(youth=youth, point=P.AFTERCARE).state == "open"


BAD_INPUT: list[tuple[str, dict[str, Any], set[str]]] = [
    ("aftercare/settle/", {"how": "Snakket"}, {"aftercare_answer"}),
    ("aftercare/settle/", {"aftercare_answer": "maybe"}, {"aftercare_answer"}),
    ("housing/settle/", {}, {"how"}),
    ("housing/settle/", {"how": "   "}, {"how"}),
    ("housing/settle/", {"how": "x" * 2001}, {"how"}),
    ("nav/settle/", {"how": "Møte"}, {"contact_name"}),
    ("nav/settle/", {"how": "Møte", "contact_name": "x" * 201}, {"contact_name"}),
    ("nav/settle/", {"how": "Møte", "contact_name": "Nina", "unit": 2**40}, {"unit"}),
    ("nav/settle/", {"how": "Møte", "contact_name": "Nina", "unit": "Bjerke"}, {"unit"}),
    ("lead/settle/", {"how": "Avtalt"}, {"lead_outcome"}),
    ("lead/settle/", {"how": "Avtalt", "lead_outcome": "handed_over"}, {"unit"}),
    ("lead/settle/", {"how": "Avtalt", "lead_outcome": "continues", "unit": "UNIT"}, {"unit"}),
    ("lead/settle/", {"how": "Avtalt", "lead_outcome": "handed_over", "unit": "BV", "lead_user": 2**40}, {"lead_user"}),
    ("lead/settle/", {"how": "Avtalt", "lead_outcome": "handed_over", "unit": "BV", "lead_user": "OUT"}, {"lead_user"}),
    (
        "lead/settle/",
        {"how": "Avtalt", "lead_outcome": "handed_over", "unit": "BV", "lead_user": "TEAM"},
        {"lead_user"},
    ),
    ("consent/settle/", {"how": "Ja"}, {"point"}),
    ("health/not-applicable/", {"reason": ""}, {"reason"}),
    ("health/not-applicable/", {"reason": "x" * 2001}, {"reason"}),
]


def _resolve(body: dict[str, Any], people: People, barnevern: Unit) -> dict[str, Any]:
    ids = {"UNIT": people.unit.pk, "BV": barnevern.pk, "OUT": people.outsider.pk, "TEAM": people.teammate.pk}
    return {key: ids.get(value, value) if isinstance(value, str) else value for key, value in body.items()}


def test_bad_input_is_a_400_with_the_field_and_nothing_saved(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    client = api_client(people.follower)
    for path, body, fields in BAD_INPUT:
        response = call(client, base(youth) + path, _resolve(body, people, barnevern))
        assert response.status_code == 400, (path, body, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert set(error["fields"]) == fields, (path, body, error)
    assert not TransitionItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="transition.", youth_id=youth.pk).exists()


def test_a_refusal_is_in_norwegian_for_a_norwegian_caller(people: People, youth: Youth) -> None:
    client = api_client(people.follower)
    nb = {"HTTP_ACCEPT_LANGUAGE": "nb"}
    error = call(client, base(youth) + "aftercare/settle/", {}, **nb).json()["error"]
    assert error["message"] == "Skriv hvordan det ble avklart. Velg ungdommens svar om ettervern."
    assert error["fields"]["how"] == ["Skriv hvordan det ble avklart."]
    assert error["fields"]["aftercare_answer"] == ["Velg ungdommens svar om ettervern."]
    error = call(client, base(youth) + "nav/settle/", {"how": "Møte", "unit": 2**40}, **nb).json()["error"]
    assert error["fields"]["unit"] == ["Velg en tjeneste i ungdommens bydel, eller en tjeneste for hele byen."]
    error = call(client, base(youth) + "health/not-applicable/", {"reason": " "}, **nb).json()["error"]
    assert error["fields"]["reason"] == ["Skriv hvorfor punktet ikke gjelder."]
    error = call(client, base(youth) + "lead/settle/", {"how": "Avtalt", "lead_user": 2**40}, **nb).json()["error"]
    assert error["fields"]["lead_user"] == ["Velg en person med en rolle i tjenesten."]
    assert not TransitionItem.objects.exists()


def test_an_absurd_payload_is_refused_before_it_is_read(people: People, youth: Youth, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = call(api_client(people.follower), base(youth) + "housing/settle/", {"how": "x" * 20_000})
    assert response.status_code == 413
    assert "error" in response.json()
    assert not TransitionItem.objects.exists()


def test_the_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    spec = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = spec["paths"]
    assert paths["/api/v1/youths/{id}/transition/"]["get"]["operationId"] == "youths_transition_retrieve"
    for action in ("settle", "not-applicable", "reopen"):
        post = paths[f"/api/v1/youths/{{id}}/transition/{{point}}/{action}/"]["post"]
        point = next(p for p in post["parameters"] if p["name"] == "point")
        assert set(point["schema"]["enum"]) == set(P.values)
    settle = spec["components"]["schemas"]["TransitionSettleRequest"]["properties"]
    assert settle["how"]["maxLength"] == 2000
