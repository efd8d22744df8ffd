"""The intake API (/api/v1/intake/…): the wiring of the same selectors and services as the
intake pages. An outsider gets 404 on another district's queue and meetings, a member without
the right 403; the queue masks a named youth as its page does (neither the name nor the youth's
id when the sharing policy does not open who the youth is); a broken rule is a 400 on its field;
reads are audited. The rules themselves are tested in test_intake.py and test_list_meeting.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cases.models import FollowUpAssignment
from consent.models import Category, Disclosure
from core.models import AuditEvent, User
from org.models import StaffRole, Unit
from referrals.models import IntakeCandidate, IntakeDecision
from teams.meetings.services import meeting_cancel
from teams.models import ListMeetingEntry, MinutesRevision

from ..conftest import People
from ..factories import StaffRoleFactory, UnitFactory, api_key
from ..sharing import open_to
from .helpers import World, anonymous_case, build_world, candidate, consent_for, named_youth

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/intake/queue/"
PROPOSE = "/api/v1/intake/candidates/"


@pytest.fixture
def world(people: People) -> World:
    return build_world(people)


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_key(user)}"})


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def decision_url(world: World, made: IntakeCandidate) -> str:
    return f"/api/v1/intake/meetings/{world.intake.pk}/candidates/{made.pk}/decision/"


def entries_url(world: World) -> str:
    return f"/api/v1/intake/list-meetings/{world.listing.pk}/entries/"


def school_contact(world: World) -> User:
    """Staff of a school in the district: sees the district's queue, and nothing the youths'
    consents open (they open identity to the follow-up unit, barnevern and the police)."""
    school = UnitFactory(name="Furuset skole", district=world.district, kind=Unit.Kind.SCHOOL)
    user: User = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT).user
    return user


# --- Access --------------------------------------------------------------------------------------


def test_an_outsider_gets_404_on_another_districts_queue_and_meetings(world: World, people: People) -> None:
    youth = named_youth(world)
    made = candidate(world, youth=youth)
    client = api(people.outsider)

    assert client.get(QUEUE, {"district": world.district.pk}).status_code == 404
    own = client.get(QUEUE)
    assert own.status_code == 200
    assert [queue["district"]["name"] for queue in own.json()] == ["Alna"]
    assert post(client, decision_url(world, made), {"outcome": "waiting_list"}).status_code == 404
    assert client.get(entries_url(world)).status_code == 404
    assert post(client, entries_url(world), {"youth": youth.pk, "decision": "x"}).status_code == 404
    made.refresh_from_db()
    assert made.outcome == ""
    assert not ListMeetingEntry.objects.exists()


def test_a_member_without_the_right_gets_403(world: World, people: People) -> None:
    youth = named_youth(world)
    made = candidate(world, youth=youth)
    client = api(people.follower)  # sees the district's meetings, but neither runs them nor decides

    assert post(client, decision_url(world, made), {"outcome": "waiting_list"}).status_code == 403
    assert post(client, entries_url(world), {"youth": youth.pk, "decision": "x"}).status_code == 403
    assert api(people.admin).get(QUEUE).status_code == 403  # administration is not case work
    assert post(api(people.admin), PROPOSE, {}).status_code == 403
    made.refresh_from_db()
    assert made.outcome == ""
    assert not ListMeetingEntry.objects.exists()


# --- The queue -----------------------------------------------------------------------------------


def test_the_queue_names_a_youth_only_to_a_service_the_consent_opens_identity_to(world: World) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    named = candidate(world, youth=youth)
    anonymous = candidate(world, discussion=anonymous_case(world, alias="Jente B"))
    outsider_of_consent = school_contact(world)

    seen = api(world.coordinator).get(QUEUE, {"district": world.district.pk})
    masked = api(outsider_of_consent).get(QUEUE, {"district": world.district.pk})

    assert seen.status_code == masked.status_code == 200
    [queue] = seen.json()
    assert queue["may_decide"] is True
    rows = {row["id"]: row for row in queue["new"]}
    assert (rows[named.pk]["title"], rows[named.pk]["youth"], rows[named.pk]["name_withheld"]) == (
        "Sara Berg",
        youth.pk,
        False,
    )
    assert (rows[anonymous.pk]["title"], rows[anonymous.pk]["anonymous"]) == ("Jente B", True)
    assert [meeting["id"] for meeting in queue["meetings"]] == [world.intake.pk, world.listing.pk]

    [queue] = masked.json()
    assert queue["may_decide"] is False
    row = next(row for row in queue["new"] if row["id"] == named.pk)
    assert (row["youth"], row["name_withheld"], row["anonymous"]) == (None, True, False)
    assert "Sara" not in json.dumps(masked.json())
    assert AuditEvent.objects.filter(action="intake.queue_viewed", actor=outsider_of_consent).exists()
    # The police (taking part in the district's meetings) see the name through the consent, not
    # as the proposing service: a disclosure, logged as made through the API.
    [queue] = api(world.people.police).get(QUEUE, {"district": world.district.pk}).json()
    assert next(row for row in queue["new"] if row["id"] == named.pk)["title"] == "Sara Berg"
    assert Disclosure.objects.filter(user=world.people.police, youth=youth, channel="api").exists()


# --- Proposing -----------------------------------------------------------------------------------


def test_a_youth_is_proposed_once_and_only_with_consent(world: World, people: People) -> None:
    client = api(world.coordinator)
    youth = named_youth(world)
    body = {"district": world.district.pk, "youth": youth.pk, "unit": people.unit.pk, "reason": "Mye fravær."}

    made = post(client, PROPOSE, body)
    again = post(client, PROPOSE, body)
    without_consent = post(client, PROPOSE, body | {"youth": named_youth(world, consent=False).pk})

    assert made.status_code == 201, made.content
    assert (made.json()["youth"], made.json()["urgency"], made.json()["outcome"]) == (youth.pk, "normal", "")
    assert AuditEvent.objects.filter(action="intake.proposed", youth_id=youth.pk).exists()
    assert again.status_code == without_consent.status_code == 400
    assert list(again.json()["error"]["fields"]) == list(without_consent.json()["error"]["fields"]) == ["youth"]
    assert IntakeCandidate.objects.count() == 1


def test_a_proposal_is_a_named_youth_or_an_anonymous_case_and_never_both(world: World, people: People) -> None:
    client = api(world.caseworker)
    case = anonymous_case(world)
    body = {"district": world.district.pk, "unit": world.barnevern.pk, "reason": "Bekymring."}

    neither = post(client, PROPOSE, body)
    both = post(client, PROPOSE, body | {"discussion": case.pk, "youth": named_youth(world).pk})
    made = post(client, PROPOSE, body | {"discussion": case.pk, "urgency": "urgent"})

    assert (neither.status_code, list(neither.json()["error"]["fields"])) == (400, ["youth"])
    assert both.status_code == 400
    assert made.status_code == 201, made.content
    assert (made.json()["discussion"], made.json()["youth"], made.json()["urgency"]) == (case.pk, None, "urgent")


# --- Deciding ------------------------------------------------------------------------------------


def test_taken_in_in_the_meeting_opens_the_follow_up_with_the_follower(world: World, people: People) -> None:
    youth = named_youth(world)
    made = candidate(world, youth=youth)

    response = post(
        api(world.coordinator), decision_url(world, made), {"outcome": "taken_in", "follower": people.follower.pk}
    )

    assert response.status_code == 201, response.content
    assert (response.json()["outcome"], response.json()["meeting"]) == ("taken_in", world.intake.pk)
    made.refresh_from_db()
    assert made.outcome == "taken_in"
    assert FollowUpAssignment.objects.filter(followup__youth=youth, user=people.follower, role="lead").exists()


def test_a_broken_decision_rule_is_a_400_on_its_field_and_nothing_is_decided(world: World, people: People) -> None:
    made = candidate(world, youth=named_youth(world))
    client = api(world.coordinator)

    unnamed = post(client, decision_url(world, made), {"outcome": "other_service", "referred_to": " "})
    stranger = post(client, decision_url(world, made), {"outcome": "taken_in", "follower": people.outsider.pk})

    assert (unnamed.status_code, list(unnamed.json()["error"]["fields"])) == (400, ["referred_to"])
    assert (stranger.status_code, list(stranger.json()["error"]["fields"])) == (400, ["follower"])
    assert not IntakeDecision.objects.exists()


def test_a_candidate_the_meeting_does_not_go_through_is_a_404(world: World) -> None:
    declined = candidate(world, youth=named_youth(world), outcome="declined")  # decided before, elsewhere

    response = post(api(world.coordinator), decision_url(world, declined), {"outcome": "waiting_list"})

    assert response.status_code == 404
    assert not IntakeDecision.objects.exists()


# --- List meetings -------------------------------------------------------------------------------


def test_police_information_on_the_list_is_shown_only_where_the_sharing_policy_opens_it(
    world: World, people: People
) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    police_text = "Pågrepet for ran ved Linderud senter 3. mars."
    client = api(world.coordinator)

    added = post(client, entries_url(world), {"youth": youth.pk, "police_information": police_text})
    assert added.status_code == 201, added.content

    [row] = client.get(entries_url(world)).json()
    assert (row["title"], row["youth"], row["police_information"], row["police_withheld"]) == (
        "Sara Berg",
        youth.pk,
        "",
        True,
    )
    open_to(youth, people.unit, [Category.POLICE], actor=world.coordinator)
    [row] = client.get(entries_url(world)).json()
    assert (row["police_information"], row["police_withheld"]) == (police_text, False)
    assert AuditEvent.objects.filter(action="list_meeting.viewed", actor=world.coordinator).count() == 2


def test_an_entry_that_says_nothing_is_a_400_on_the_decision(world: World) -> None:
    response = post(api(world.coordinator), entries_url(world), {"youth": named_youth(world).pk, "decision": "  "})

    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["decision"])
    assert not ListMeetingEntry.objects.exists()


def test_the_queue_is_read_in_a_number_of_queries_that_does_not_grow_with_it(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = api(world.coordinator)
    for n in range(2):
        candidate(world, youth=named_youth(world))
        candidate(world, discussion=anonymous_case(world, alias=f"Gutt {n}"))
    client.get(QUEUE)  # the key's first use is not what is counted

    with django_assert_max_num_queries(40) as few:
        assert client.get(QUEUE).status_code == 200
    for n in range(3):
        candidate(world, youth=named_youth(world), urgency="urgent")
        candidate(world, discussion=anonymous_case(world, alias=f"Jente {n}"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)

    assert len(response.json()[0]["new"]) == 10


# --- The shared screen and the minutes ------------------------------------------------------------


def card_url(world: World, made: IntakeCandidate) -> str:
    return f"/api/v1/intake/meetings/{world.intake.pk}/candidates/{made.pk}/"


def draft_url(world: World) -> str:
    return f"/api/v1/intake/meetings/{world.intake.pk}/minutes/draft/"


def test_the_card_and_the_minutes_draft_are_404_to_an_outsider_and_403_to_one_who_does_not_run_the_meeting(
    world: World, people: People
) -> None:
    made = candidate(world, youth=named_youth(world))
    for user, status in ((people.outsider, 404), (people.follower, 403)):
        client = api(user)
        assert client.get(card_url(world, made)).status_code == status, user
        assert client.get(f"/api/v1/intake/meetings/{world.intake.pk}/candidates/").status_code == status, user
        assert post(client, draft_url(world), {}).status_code == status, user
    assert not AuditEvent.objects.filter(action__in=["intake.candidate_shown", "intake.summary_shown"]).exists()
    assert not AuditEvent.objects.filter(action="intake.minutes_drafted").exists()


def test_a_candidate_the_meeting_does_not_go_through_has_no_card(world: World) -> None:
    declined = candidate(world, youth=named_youth(world), outcome="declined")  # decided before, elsewhere

    assert api(world.coordinator).get(card_url(world, declined)).status_code == 404
    assert not AuditEvent.objects.filter(action="intake.candidate_shown").exists()


def test_the_card_shows_what_every_person_present_may_see_audited_and_logged_on_the_api(
    world: World, people: People
) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    made = candidate(world, youth=youth)

    response = api(world.coordinator).get(card_url(world, made))

    assert response.status_code == 200
    card = response.json()
    assert (card["title"], card["named"], card["youth"]) == ("Sara Berg", True, youth.pk)
    # The consent opens identity only: police matters are withheld from the screen, and said so.
    assert card["police_shown"] is False
    assert card["repeated_crime_years"] == []
    assert card["withheld"]
    event = AuditEvent.objects.get(action="intake.candidate_shown", object_id=str(made.pk))
    assert event.detail["channel"] == Disclosure.Channel.API
    shown_to = set(
        Disclosure.objects.filter(youth=youth, channel=Disclosure.Channel.API).values_list("user_id", flat=True)
    )
    assert shown_to == {world.coordinator.pk, people.police.pk}


def test_the_card_withholds_the_name_and_the_youths_id_when_one_person_present_may_not_see_it(
    world: World,
) -> None:
    youth = named_youth(world, consent=False, first_name="Sara", last_name="Berg")
    consent_for(world, youth, units=[world.people.unit], categories=[Category.IDENTITY_CONTACT])
    made = candidate(world, youth=youth)

    card = api(world.coordinator).get(card_url(world, made)).json()

    assert card["named"] is False
    assert card["youth"] is None
    assert "Sara" not in json.dumps(card)
    assert not Disclosure.objects.filter(youth=youth).exists()


def test_the_meetings_candidates_are_named_as_on_the_screen_and_the_read_audited(world: World) -> None:
    made = candidate(world, discussion=anonymous_case(world, alias="Gutt A"))

    response = api(world.coordinator).get(f"/api/v1/intake/meetings/{world.intake.pk}/candidates/")

    assert response.status_code == 200
    assert response.json() == [{"id": made.pk, "title": "Gutt A", "anonymous": True, "decision": None}]
    assert AuditEvent.objects.filter(action="intake.summary_shown", object_id=str(world.intake.pk)).exists()


def test_the_minutes_are_drafted_through_the_api_as_on_the_page(world: World) -> None:
    made = candidate(world, discussion=anonymous_case(world, alias="Gutt A"))
    assert post(api(world.coordinator), decision_url(world, made), {"outcome": "waiting_list"}).status_code == 201

    response = post(api(world.coordinator), draft_url(world), {})

    assert response.status_code == 201, response.content
    assert response.json()["revision"] == 1
    assert response.json()["state"] == "draft"
    assert AuditEvent.objects.filter(action="intake.minutes_drafted", object_id=str(world.intake.pk)).exists()
    assert "Gutt A" in MinutesRevision.objects.get(minutes__meeting=world.intake, number=1).decisions


def test_the_minutes_of_a_cancelled_meeting_are_a_400_in_the_error_format(world: World) -> None:
    meeting_cancel(actor=world.coordinator, meeting=world.intake, reason="Ingen kandidater.")

    response = post(api(world.coordinator), draft_url(world), {})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not AuditEvent.objects.filter(action="intake.minutes_drafted").exists()
