"""The anonymous-discussion API (/api/v1/discussions/): the wiring of the same selectors and
services as the pages. An outsider gets 404, a meeting member without the right 403; details
that may identify the youth are a 409 with the warnings, confirmed by the flag and the warnings'
keys (a warning not among them is not confirmed); an identity number is a 400 on its field; the
read is audited; once named, the content is shown only to a service that may see who the youth
is. The rules themselves are tested in test_discussion.py."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cases.models import Guardian, Guardianship, Youth
from consent.discussions import services
from consent.models import ConsentVersion, Disclosure, DiscussionCase, DiscussionNote
from core.models import AuditEvent, User
from teams.models import TeamMember
from teams.services import team_member_add

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import YouthFactory, api_key
from .conftest import World
from .test_discussion import SIXTEEN, SUMMARY, VALID_ID, create

pytestmark = pytest.mark.django_db

LIST = "/api/v1/discussions/"


@pytest.fixture(name="crowd")
def _crowd(people: People) -> list[Youth]:
    """Five registered 15–17-year-olds in Bjerke (fixed names, so none is a word of the texts):
    enough that age band and district identify no one."""
    names = ["Aurora Vestheim", "Brage Kolstad", "Cecilie Myrvang", "Didrik Fossum", "Embla Rudstad"]
    return [
        YouthFactory(
            first_name=name.split()[0],
            last_name=name.split()[1],
            birth_date=SIXTEEN + datetime.timedelta(days=i),
            district=people.unit.district,
        )
        for i, name in enumerate(names)
    ]


@pytest.fixture(name="youth")
def _youth(people: People) -> Youth:
    """Alice's youth in Bjerke, 16, with two guardians with parental responsibility."""
    youth = followed_youth(
        people.unit, lead=people.follower, first_name="Theodor", last_name="Grønvold", birth_date=SIXTEEN
    )
    for first, relation in (("Randi", "mother"), ("Ketil", "father")):
        guardian = Guardian.objects.create(first_name=first, last_name="Grønvold")
        Guardianship.objects.create(youth=youth, guardian=guardian, relation=relation)
    return youth


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_key(user)}"})


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _case_body(people: People, **more: Any) -> dict[str, Any]:
    district = people.unit.district
    assert district is not None
    return {
        "unit": people.unit.pk,
        "alias": "Gutt A",
        "age_band": "15_17",
        "district": district.pk,
        "summary": SUMMARY,
    } | more


# --- Access ------------------------------------------------------------------------------------


def test_an_outsider_gets_404_on_every_case_endpoint_and_does_not_see_it_listed(
    people: People, crowd: list[Youth], youth: Youth
) -> None:
    case = create(people)
    client = api(people.outsider)

    assert client.get(f"{LIST}{case.pk}/").status_code == 404
    assert post(client, f"{LIST}{case.pk}/notes/", {"text": "Hei"}).status_code == 404
    assert post(client, f"{LIST}{case.pk}/convert/", {"youth": youth.pk}).status_code == 404
    assert post(client, f"{LIST}{case.pk}/close/", {"reason": "no_consent"}).status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert listing.json()["results"] == []
    case.refresh_from_db()
    assert case.state == "open"
    assert not DiscussionNote.objects.exists()


def test_a_meeting_member_without_the_right_gets_403_on_naming_and_closing(
    people: People, crowd: list[Youth], youth: Youth
) -> None:
    case = create(people)
    client = api(people.police)

    detail = client.get(f"{LIST}{case.pk}/")
    assert detail.status_code == 200
    assert detail.json()["actions"] == ["add_note"]
    refused = post(client, f"{LIST}{case.pk}/convert/", {"youth": youth.pk})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert post(client, f"{LIST}{case.pk}/close/", {"reason": "no_consent"}).status_code == 403
    case.refresh_from_db()
    assert case.state == "open"


def test_a_person_without_a_working_role_gets_403_on_bringing_a_case(people: People, crowd: list[Youth]) -> None:
    response = post(api(people.admin), LIST, _case_body(people))

    assert response.status_code == 403
    assert not DiscussionCase.objects.exists()


def test_a_unit_the_person_does_not_work_in_is_a_400_on_the_unit(people: People, crowd: list[Youth]) -> None:
    response = post(api(people.outsider), LIST, _case_body(people))

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["unit"]
    assert not DiscussionCase.objects.exists()


# --- Bringing a case: warnings are a 409, confirmed by the flag -------------------------------


def test_warnings_are_a_409_with_the_findings_and_the_flag_confirms_exactly_those(
    people: People, crowd: list[Youth]
) -> None:
    client = api(people.follower)
    body = _case_body(people, summary=f"{SUMMARY} Mor kan nås på 912 34 567.")

    warned = post(client, LIST, body)
    assert warned.status_code == 409, warned.content
    error = warned.json()["error"]
    assert error["code"] == "unconfirmed_warnings"
    assert [(w["key"], w["kind"]) for w in error["warnings"]] == [("phone:912 34 567", "phone")]
    assert "912 34 567" in error["warnings"][0]["message"]
    assert "request_id" in warned.json()
    # The flag without the keys confirms nothing; old keys do not confirm a new warning.
    assert post(client, LIST, body | {"confirm_warnings": True}).status_code == 409
    other = body | {"summary": f"{body['summary']} Han bor i Trondheimsveien 100."}
    again = post(client, LIST, other | {"confirm_warnings": True, "warnings": ["phone:912 34 567"]})
    assert again.status_code == 409
    assert "address" in {w["kind"] for w in again.json()["error"]["warnings"]}
    assert not DiscussionCase.objects.exists()

    made = post(client, LIST, body | {"confirm_warnings": True, "warnings": ["phone:912 34 567"]})

    assert made.status_code == 201, made.content
    data = made.json()
    assert (data["alias"], data["state"], data["content_shown"]) == ("Gutt A", "open", True)
    assert [w["key"] for w in data["confirmed_warnings"]] == ["phone:912 34 567"]
    assert data["actions"] == ["add_note", "convert", "close"]
    case = DiscussionCase.objects.get()
    assert case.confirmed_warnings == ["phone:912 34 567"]
    assert AuditEvent.objects.filter(action="discussion.created", object_id=str(case.pk)).exists()


def test_an_identity_number_is_a_400_on_its_field_and_cannot_be_confirmed(people: People, crowd: list[Youth]) -> None:
    body = _case_body(people, summary=f"{SUMMARY} {VALID_ID}", confirm_warnings=True, warnings=[f"age:{VALID_ID}"])

    response = post(api(people.follower), LIST, body)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["summary"]
    assert not DiscussionCase.objects.exists()


def test_an_empty_body_is_a_400_naming_the_fields(people: People) -> None:
    response = post(api(people.follower), LIST, {})

    assert response.status_code == 400
    assert {"unit", "alias", "age_band", "district", "summary"} <= set(response.json()["error"]["fields"])


# --- Reading -----------------------------------------------------------------------------------


def test_the_list_shows_the_cases_without_their_summary_in_a_fixed_number_of_queries(
    people: People, crowd: list[Youth], django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        create(people, alias=f"Gutt {n}")
    closed = create(people, alias="Jente X")
    services.discussion_case_close(actor=people.follower, case=closed, reason="no_consent")
    client = api(people.police)
    client.get(LIST)  # the key's first use is not what is counted

    with django_assert_max_num_queries(12):
        response = client.get(LIST)

    rows = response.json()["results"]
    assert [row["alias"] for row in rows] == ["Gutt 2", "Gutt 1", "Gutt 0"]
    assert "summary" not in rows[0]
    assert rows[0]["district"]["name"] == "Bjerke"
    assert [row["alias"] for row in client.get(LIST, {"state": "closed"}).json()["results"]] == ["Jente X"]


def test_the_case_with_its_notes_is_read_and_the_read_is_audited(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    services.discussion_note_add(actor=people.police, case=case, text="Politiet deler bekymringen.")

    response = api(people.follower).get(f"{LIST}{case.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert (data["summary"], [n["text"] for n in data["notes"]]) == (SUMMARY, ["Politiet deler bekymringen."])
    assert AuditEvent.objects.filter(action="discussion.viewed", actor=people.follower, object_id=str(case.pk)).exists()


def test_a_named_case_shows_its_content_only_to_a_service_that_may_see_who_the_youth_is(
    people: People, world: World, crowd: list[Youth], youth: Youth, record: Callable[..., ConsentVersion]
) -> None:
    case = create(people)
    record(youth)  # identity and health, to the school
    for user, unit, role in (
        (world.school_contact, world.school, TeamMember.Role.CONTACT_TEACHER),
        (world.outreach_worker, world.outreach, TeamMember.Role.OUTREACH_WORKER),
    ):
        team_member_add(actor=people.follower, youth=youth, kind=TeamMember.Kind.STAFF, user=user, unit=unit, role=role)
    named = post(api(people.follower), f"{LIST}{case.pk}/convert/", {"youth": youth.pk})
    assert named.status_code == 200, named.content
    assert (named.json()["state"], named.json()["youth"], named.json()["actions"]) == ("converted", youth.pk, [])

    hidden = api(world.outreach_worker).get(f"{LIST}{case.pk}/")
    assert hidden.status_code == 200
    assert hidden.json()["content_shown"] is False
    assert (hidden.json()["summary"], hidden.json()["notes"], hidden.json()["confirmed_warnings"]) == (None, None, None)

    shown = api(world.school_contact).get(f"{LIST}{case.pk}/")
    assert (shown.json()["content_shown"], shown.json()["summary"]) == (True, SUMMARY)
    assert Disclosure.objects.filter(youth=youth, user=world.school_contact, channel="api").exists()
    assert api(people.police).get(f"{LIST}{case.pk}/").status_code == 404


# --- Notes, naming and closing -----------------------------------------------------------------


def test_a_note_with_a_warning_is_a_409_and_saved_once_confirmed(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    client = api(people.police)
    text = "Faren kan nås på 912 34 567."

    warned = post(client, f"{LIST}{case.pk}/notes/", {"text": text})
    assert warned.status_code == 409
    keys = [w["key"] for w in warned.json()["error"]["warnings"]]
    assert not DiscussionNote.objects.exists()

    saved = post(client, f"{LIST}{case.pk}/notes/", {"text": text, "confirm_warnings": True, "warnings": keys})

    assert saved.status_code == 201, saved.content
    note = DiscussionNote.objects.get()
    assert (note.text, note.author, note.confirmed_warnings) == (text, people.police, keys)


def test_naming_without_consent_is_a_400_on_the_youth_and_a_youth_not_seen_cannot_be_chosen(
    people: People, crowd: list[Youth], youth: Youth
) -> None:
    case = create(people)
    client = api(people.follower)

    refused = post(client, f"{LIST}{case.pk}/convert/", {"youth": youth.pk})
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["youth"]
    assert "Theodor" in refused.json()["error"]["fields"]["youth"][0]  # the service's message, in bokmål
    stranger = post(client, f"{LIST}{case.pk}/convert/", {"youth": 999999})
    assert stranger.status_code == 400
    assert list(stranger.json()["error"]["fields"]) == ["youth"]
    case.refresh_from_db()
    assert case.state == "open"


def test_a_closed_case_takes_no_more_notes(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    client = api(people.follower)

    closed = post(client, f"{LIST}{case.pk}/close/", {"reason": "no_consent"})
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["closing_reason"]) == ("closed", "no_consent")
    assert AuditEvent.objects.filter(action="discussion.closed", object_id=str(case.pk)).exists()

    late = post(client, f"{LIST}{case.pk}/notes/", {"text": "For sent."})
    assert late.status_code == 400
    assert late.json()["error"]["code"] == "invalid"
    assert post(client, f"{LIST}{case.pk}/close/", {"reason": "bored"}).status_code == 400
    assert not DiscussionNote.objects.exists()
