"""The concern-report API: KS Fiks import (201, or 400 with the schema's messages and nothing
saved), the v2 export through the access policy (404 outsider, 403 without the right), audited,
and the list of the caller's reports in a constant number of queries."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from consent.models import Disclosure
from core.models import AuditEvent
from referrals.concerns import ksfiks
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport

from ..cases.factories import followed_youth
from ..conftest import People, sign_in
from ..factories import PASSWORD
from .ksfiks_helpers import Barnevern, api_client, build_barnevern, example, receive, report_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Rules are asserted on the English source messages, whatever the catalogue holds (pages and
    API answers are in bokmål through the middleware whatever is active here)."""
    with translation.override("en"):
        yield


IMPORT = "/api/v1/concern-reports/import/"
LIST = "/api/v1/concern-reports/"


def export_url(report: ConcernReport | int) -> str:
    return f"/api/v1/concern-reports/{report if isinstance(report, int) else report.pk}/ks-fiks/"


@pytest.fixture
def world(people: People) -> Barnevern:
    return build_barnevern(people)


def post(client: Client, body: Any, *, query: str = "", content_type: str = "application/json") -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(IMPORT + query, data, content_type=content_type)


# --- Import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["offentlig", "privat"])
def test_the_official_examples_import_through_the_api(world: Barnevern, variant: str) -> None:
    response = post(api_client(world.caseworker), example(variant))

    assert response.status_code == 201, response.content
    body = response.json()
    report = ConcernReport.objects.get(pk=body["id"])
    assert report.unit == world.unit
    assert report.channel == ConcernReport.Channel.KS_FIKS
    assert body["reporter_kind"] == ("public" if variant == "offentlig" else "private")
    assert (body["children"], body["registered_youths"]) == (2, 0)
    assert body["guardians"] == (1 if variant == "offentlig" else 0)
    assert response["Location"] == export_url(report)


def test_a_signed_in_caseworker_imports_with_a_browser_session(world: Barnevern, client: Client) -> None:
    sign_in(client, world.caseworker)
    response = post(client, example("privat"))
    assert response.status_code == 201


def test_the_receiving_unit_can_be_named(world: Barnevern) -> None:
    response = post(api_client(world.leader), example("offentlig"), query=f"?unit={world.unit.pk}")
    assert response.status_code == 201
    assert ConcernReport.objects.get().unit == world.unit


@pytest.mark.parametrize("unit", ["other", "999999999", "abc", "99999999999999999999999"])
def test_a_unit_the_caller_does_not_work_in_is_a_400(world: Barnevern, unit: str) -> None:
    value = str(world.other_unit.pk) if unit == "other" else unit
    response = post(api_client(world.caseworker), example("offentlig"), query=f"?unit={value}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["unit"]
    assert ConcernReport.objects.count() == 0


def test_a_caseworker_in_two_barnevern_services_names_one(world: Barnevern) -> None:
    from org.models import StaffRole

    from ..factories import StaffRoleFactory

    StaffRoleFactory(user=world.caseworker, unit=world.other_unit, role=StaffRole.Role.CASEWORKER)
    client = api_client(world.caseworker)
    assert post(client, example("offentlig")).status_code == 400
    assert post(client, example("offentlig"), query=f"?unit={world.other_unit.pk}").status_code == 201
    assert ConcernReport.objects.get().unit == world.other_unit


@pytest.mark.parametrize("who", ["follower", "leader", "police", "outsider"])
def test_staff_outside_barnevern_may_not_import(world: Barnevern, who: str) -> None:
    response = post(api_client(getattr(world.people, who)), example("offentlig"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert ConcernReport.objects.count() == 0


def _broken(change: str) -> Any:
    document = example("offentlig")
    if change == "missing field":
        del document["offentligMelder"]["rolle"]
    elif change == "bad email":
        document["offentligMelder"]["epost"] = "x"
    elif change == "wrong type":
        document["foresatte"][0]["orientert"] = "ja"
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing field", "offentligMelder: 'rolle' is a required property"),
        ("bad email", "offentligMelder.epost: 'x' does not match '^[A-Za-zæøåÆØÅ0-9-_]+"),
        ("wrong type", "foresatte[0].orientert: 'ja' is not of type 'boolean'"),
    ],
)
def test_an_invalid_document_is_a_400_listing_the_schema_messages_and_saves_nothing(
    world: Barnevern, change: str, message: str
) -> None:
    before = report_rows()
    response = post(api_client(world.caseworker), _broken(change))

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert any(m.startswith(message) for m in body["error"]["fields"]["document"]), body
    assert message in body["error"]["message"] or message[:40] in body["error"]["message"]
    assert body["request_id"]
    assert report_rows() == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("melding=hei", "text/plain"), ("", "application/json")],
)
def test_a_body_that_is_not_json_is_a_structured_400(world: Barnevern, body: str, content_type: str) -> None:
    response = post(api_client(world.caseworker), body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["document"] == ["Dokumentet er ikke gyldig JSON."]
    assert ConcernReport.objects.count() == 0


def test_a_rule_of_the_service_is_a_400_with_its_field(world: Barnevern) -> None:
    document = example("offentlig")
    document["offentligMelder"]["virksomhet"]["navn"] = ""
    response = post(api_client(world.caseworker), document)
    assert response.status_code == 400
    assert "reporter_organisation" in response.json()["error"]["fields"]
    assert report_rows()["ConcernReport"] == 0


def test_an_imported_child_is_linked_to_a_youth_the_caseworker_follows(world: Barnevern) -> None:
    youth = followed_youth(
        world.people.unit, family=world.caseworker, national_id="28071364498", birth_date=datetime.date(2013, 7, 28)
    )
    response = post(api_client(world.caseworker), example("offentlig"))
    assert response.json()["registered_youths"] == 1
    assert ConcernReport.objects.get().children.filter(youth=youth).exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_the_import_takes_only_post(world: Barnevern, method: str) -> None:
    response = getattr(api_client(world.caseworker), method)(IMPORT)
    assert response.status_code == 405


# --- Export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reporter_kind", ConcernReport.ReporterKind.values)
def test_the_export_is_a_valid_v2_attachment_and_is_audited(world: Barnevern, reporter_kind: str) -> None:
    report = receive(world, reporter_kind=reporter_kind)
    response = api_client(world.caseworker).get(export_url(report))

    assert response.status_code == 200
    variant: ksfiks.Variant = "offentlig" if reporter_kind == "public" else "privat"
    assert response["Content-Disposition"] == f'attachment; filename="bekymringsmelding-{report.pk}-{variant}.v2.json"'
    assert ksfiks.schema_messages(variant, response.json()) == []
    event = AuditEvent.objects.get(action="concern_report.exported")
    assert (event.object_id, event.actor) == (str(report.pk), world.caseworker)
    assert event.detail["format"] == f"ks_fiks_{variant}_v2"


def test_a_report_about_violence_is_exported_to_barnevern_systems(world: Barnevern) -> None:
    report = receive(world, kind=ConcernReport.Kind.VIOLENCE)
    response = api_client(world.leader).get(export_url(report))
    assert response.status_code == 200
    assert [g["orientert"] for g in response.json()["foresatte"]] == [False]


def test_an_outsider_gets_404_and_nothing_is_audited(world: Barnevern) -> None:
    report = receive(world)
    for user in (world.people.outsider, world.people.follower, world.people.police, world.other_caseworker):
        response = api_client(user).get(export_url(report))
        assert response.status_code == 404, user
        assert response.json()["error"]["code"] == "not_found"
    assert api_client(world.caseworker).get(export_url(999999)).status_code == 404
    assert not AuditEvent.objects.filter(action="concern_report.exported").exists()


def test_the_contact_person_of_another_service_sees_the_report_but_may_not_export_it(world: Barnevern) -> None:
    report = receive(world)
    report = concern_services.concern_report_open_investigation(actor=world.caseworker, report=report)
    concern_services.concern_report_conclude(
        actor=world.caseworker,
        report=report,
        measures=True,
        conclusion="Hjelpetiltak.",
        contact_person=world.other_caseworker,
        measures_started_on=timezone.localdate(),
    )
    response = api_client(world.other_caseworker).get(export_url(report))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_the_export_of_a_registered_youth_is_logged_as_a_disclosure(world: Barnevern) -> None:
    youth = followed_youth(
        world.people.unit, family=world.caseworker, national_id="28071364498", birth_date=datetime.date(2013, 7, 28)
    )
    report = receive(world)
    report.children.filter(national_id="28071364498").update(youth=youth)
    response = api_client(world.caseworker).get(export_url(report))
    assert response.status_code == 200
    # The report is the caseworker's own service's barnevern information: shown, and logged.
    assert response.json()["offentligBarn"][0]["fnr"] == "28071364498"
    assert "X-Laget-Withheld" not in response
    assert Disclosure.objects.filter(youth=youth, channel=Disclosure.Channel.EXPORT).exists()


# --- List --------------------------------------------------------------------------------------


def test_the_list_shows_the_reports_of_the_callers_service_with_their_deadlines(world: Barnevern) -> None:
    mine = receive(world)
    violence = receive(world, kind=ConcernReport.Kind.VIOLENCE)
    theirs = concern_services.concern_report_receive(
        actor=world.other_caseworker,
        unit=world.other_unit,
        channel=ConcernReport.Channel.LETTER,
        reporter_kind=ConcernReport.ReporterKind.PRIVATE,
        reporter={"name": "Anne Annen"},
        children=[{"name": "Kari"}],
        guardians=[],
        kind=ConcernReport.Kind.ORDINARY,
        concern="Bekymring.",
    )
    body = api_client(world.caseworker).get(LIST).json()
    assert [r["id"] for r in body["results"]] == [violence.pk, mine.pk]
    first = body["results"][0]
    assert first["kind"] == "violence"
    assert first["guardians_may_be_told"] is False
    assert first["children_count"] == 2
    assert first["deadlines"][0]["key"] == "review"
    assert first["deadlines"][0]["status"] == "open"
    assert [r["id"] for r in api_client(world.other_caseworker).get(LIST).json()["results"]] == [theirs.pk]


@pytest.mark.parametrize("who", ["outsider", "follower", "police"])
def test_people_outside_the_service_get_an_empty_list(world: Barnevern, who: str) -> None:
    receive(world)
    response = api_client(getattr(world.people, who)).get(LIST)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_list_filters_by_state_and_unit(world: Barnevern) -> None:
    report = receive(world)
    client = api_client(world.caseworker)
    assert client.get(LIST + "?state=received").json()["count"] == 1
    assert client.get(LIST + "?state=investigating").json()["count"] == 0
    assert client.get(LIST + "?state=nonsense").json()["count"] == 0
    assert client.get(LIST + f"?unit={world.other_unit.pk}").json()["count"] == 0
    assert client.get(LIST + f"?unit={report.unit_id}").json()["count"] == 1
    assert client.get(LIST + "?unit=x").json()["count"] == 0


def test_the_list_takes_the_same_queries_however_many_reports(
    world: Barnevern, django_assert_max_num_queries: Any
) -> None:
    client = api_client(world.caseworker)
    receive(world)
    client.get(LIST)  # warm: token, session and content types
    for _ in range(6):
        receive(world, kind=ConcernReport.Kind.VIOLENCE)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.json()["count"] == 7


# --- Authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [IMPORT, LIST, export_url(1)])
def test_anonymous_callers_get_401(client: Client, path: str) -> None:
    response = client.post(path, "{}", content_type="application/json") if path == IMPORT else client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_password_only_session_does_not_open_the_api(world: Barnevern, client: Client) -> None:
    client.post("/logg-inn/", {"username": world.caseworker.email, "password": PASSWORD})
    assert post(client, example("offentlig")).status_code in (401, 403)
    assert ConcernReport.objects.count() == 0


def test_the_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {
        "/api/v1/concern-reports/",
        "/api/v1/concern-reports/import/",
        "/api/v1/concern-reports/{id}/ks-fiks/",
    } <= set(paths)


# --- Issue 11, defect 9: what was not taken, the limits, the original -------------------------


def test_the_import_answer_names_the_fields_not_taken_into_the_report_and_the_original(
    world: Barnevern, client: Client
) -> None:
    document = example("privat")
    document["foresatte"] = [{"personnavn": "Guri Hansen", "orientert": False}]
    body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    response = post(sign_in(client, world.caseworker), body)

    assert response.status_code == 201, response.content
    answer = response.json()
    assert set(answer["unmapped"]) == {"kommunenavn", "bydelsnummer", "bydelsnavn", "foresatte"}
    assert answer["original"] == f"/api/v1/concern-reports/{answer['id']}/ks-fiks/original/"
    original = client.get(answer["original"])
    assert original.status_code == 200
    assert original.content == body
    assert AuditEvent.objects.filter(
        action="concern_report.ksfiks_original_viewed", object_id=str(answer["id"])
    ).exists()


def test_a_2_mb_text_is_a_400_naming_its_path_and_limit_and_nothing_is_saved(world: Barnevern, client: Client) -> None:
    document = example("offentlig")
    document["melding"]["melding"] = "x" * 2_000_000
    before = report_rows()
    response = post(sign_in(client, world.caseworker), document)

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert body["error"]["fields"]["document"] == ["melding.melding: høyst 20000 tegn (det har 2000000)."]
    assert report_rows() == before


def test_the_original_is_404_for_an_outsider_and_for_a_report_that_did_not_come_through_ks_fiks(
    world: Barnevern, client: Client
) -> None:
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=example("offentlig"))
    url = f"/api/v1/concern-reports/{report.pk}/ks-fiks/original/"
    for user in (world.people.outsider, world.people.follower, world.people.police, world.other_caseworker):
        response = sign_in(Client(), user).get(url)
        assert response.status_code == 404, user
    assert not AuditEvent.objects.filter(action="concern_report.ksfiks_original_viewed").exists()
    by_phone = receive(world)
    assert (
        sign_in(client, world.caseworker).get(f"/api/v1/concern-reports/{by_phone.pk}/ks-fiks/original/").status_code
        == 404
    )
    assert client.get(url).status_code == 200


def test_the_import_description_states_the_limits(client: Client) -> None:
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    description = paths["/api/v1/concern-reports/import/"]["post"]["description"]
    assert "melding.melding" in description
    assert "20000" in description
    assert "2097152" in description
    assert "/api/v1/concern-reports/{id}/ks-fiks/original/" in paths
