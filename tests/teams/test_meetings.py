"""Meetings: planning (the team invited, series up to 26 meetings, the district's intake
interval), changes raising the calendar SEQUENCE, presence, action items with one owner and a
note when done, carried onto the next agenda until done, ratings by the youth and guardians
who took part; who sees and who may do what; the pages' wiring (outsider 404, a member
without the right 403, bad input 400 with what was typed kept, constant queries)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from cases.models import Youth
from core import access
from core.models import AuditEvent
from org.models import District, StaffRole
from teams import services
from teams.meetings import selectors as meeting_selectors
from teams.meetings import services as meeting_services
from teams.models import ActionItem, Meeting, MeetingKind, MeetingParticipant, TeamMember

from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory
from .factories_meetings import at, district_meeting, team_meeting, youth_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The rules are asserted on the English source messages, whatever the catalogue holds;
    tests of Norwegian output switch to nb themselves."""
    with translation.override("en"):
        yield


PKind = MeetingParticipant.Kind


@pytest.fixture
def youth(people: People) -> Youth:
    # The teammate is the youth's family follower: a meeting about the youth is theirs to see
    # because they follow the youth, not because they work in the organising unit.
    return youth_with_team(
        people.unit, lead=people.follower, family=people.teammate, first_name="Søren", last_name="Øvrebø"
    )


@pytest.fixture
def meeting(people: People, youth: Youth) -> Meeting:
    return team_meeting(people.follower, youth, people.unit)


def _item(actor: Any, meeting: Meeting, title: str = "Ringe skolen", **more: Any) -> ActionItem:
    more.setdefault("owner", actor)
    return meeting_services.action_item_add(
        actor=actor, meeting=meeting, title=title, due_on=datetime.date.today() + datetime.timedelta(days=14), **more
    )


def _present(actor: Any, meeting: Meeting, *kinds: str) -> None:
    ids = [p.pk for p in meeting.participants.all() if p.kind in kinds]
    meeting_services.participants_set_present(actor=actor, meeting=meeting, present=ids)


# --- Planning ------------------------------------------------------------------------------


def test_a_youth_meeting_invites_the_team_and_gets_empty_minutes(people: People, meeting: Meeting) -> None:
    kinds = sorted(meeting.participants.values_list("kind", flat=True))

    assert kinds == ["guardian", "staff", "youth"]
    assert meeting.minutes.revision == 0
    assert meeting.youth is not None
    assert meeting.district == meeting.youth.district
    event = AuditEvent.objects.get(action="meeting.planned")
    assert (event.actor, event.youth_id) == (people.follower, meeting.youth_id)


def test_the_planner_is_invited_even_when_not_in_the_team(people: People, youth: Youth) -> None:
    meeting = team_meeting(people.leader, youth, people.unit)

    staff = set(meeting.participants.filter(kind=PKind.STAFF).values_list("user", flat=True))
    assert staff == {people.follower.pk, people.leader.pk}


def test_an_outsider_may_not_plan_a_meeting_about_the_youth(people: People, youth: Youth) -> None:
    with pytest.raises(PermissionDenied):
        team_meeting(people.outsider, youth, people.other_unit)
    assert not Meeting.objects.exists()


def test_a_follower_may_not_plan_an_intake_meeting(people: People) -> None:
    with pytest.raises(PermissionDenied):
        district_meeting(people.follower, people.unit)


def test_a_meeting_needs_a_place_or_a_video_link_and_an_end_after_its_start(people: People, youth: Youth) -> None:
    with pytest.raises(ValidationError) as caught:
        meeting_services.meeting_plan(
            actor=people.follower,
            kind=MeetingKind.TEAM,
            unit=people.unit,
            youth=youth,
            starts_at=at(3, 11),
            ends_at=at(3, 10),
        )
    assert set(caught.value.message_dict) == {"ends_at", "place"}
    assert not Meeting.objects.exists()


def test_an_intake_series_repeats_at_the_districts_interval(people: People) -> None:
    District.objects.filter(pk=people.district.pk).update(intake_interval_weeks=2)
    people.unit.refresh_from_db()

    first = district_meeting(people.leader, people.unit, until=at(7).date() + datetime.timedelta(weeks=6))

    assert first.series is not None
    starts = list(first.series.meetings.order_by("starts_at").values_list("starts_at", flat=True))
    assert first.series.interval_weeks == 2
    assert len(starts) == 4
    local = [timezone.localtime(s) for s in starts]
    assert {t.time() for t in local} == {datetime.time(10, 0)}  # the same time of day, summer or winter
    assert [(b.date() - a.date()).days for a, b in itertools.pairwise(local)] == [14, 14, 14]
    assert all(m.minutes.revision == 0 for m in first.series.meetings.all())


def test_a_series_stops_at_26_meetings(people: People, youth: Youth) -> None:
    first = team_meeting(people.follower, youth, people.unit, repeat_weeks=1, until=at(400).date())

    assert first.series is not None
    assert first.series.meetings.count() == 26


def test_changing_time_or_place_raises_the_calendar_sequence(people: People, meeting: Meeting) -> None:
    changed = meeting_services.meeting_change(actor=people.follower, meeting=meeting, place="Rådhuset")
    assert changed.sequence == 1
    same = meeting_services.meeting_change(actor=people.follower, meeting=changed, agenda="Skole")
    assert same.sequence == 1
    assert AuditEvent.objects.filter(action="meeting.changed").count() == 2


def test_a_teammate_may_not_change_or_cancel_the_meeting(people: People, meeting: Meeting) -> None:
    with pytest.raises(PermissionDenied):
        meeting_services.meeting_cancel(actor=people.teammate, meeting=meeting)
    cancelled = meeting_services.meeting_cancel(actor=people.leader, meeting=meeting, reason="Sykdom")
    assert (cancelled.state, cancelled.sequence) == (Meeting.State.CANCELLED, 1)


# --- Action items and the agenda -----------------------------------------------------------


def test_open_action_items_are_carried_onto_the_next_agenda_until_done(
    people: People, youth: Youth, meeting: Meeting
) -> None:
    first = _item(people.follower, meeting, "Ringe skolen")
    second = _item(people.follower, meeting, "Søke fritidsklubb", owner=None, owner_name="Åse Øvrebø")
    later = team_meeting(people.follower, youth, people.unit, days=21)
    other_youth = youth_with_team(people.unit, lead=people.follower, guardian=False)
    unrelated = team_meeting(people.follower, other_youth, people.unit, days=21)

    assert meeting_selectors.action_items_carried(meeting=later) == [first, second]
    assert meeting_selectors.action_items_carried(meeting=meeting) == []
    assert meeting_selectors.action_items_carried(meeting=unrelated) == []

    meeting_services.action_item_set_status(
        actor=people.follower, item=first, status=ActionItem.Status.DONE, done_note="Snakket med rektor."
    )
    assert meeting_selectors.action_items_carried(meeting=later) == [second]


def test_intake_action_items_carry_over_within_the_district(people: People) -> None:
    first = district_meeting(people.leader, people.unit)
    item = _item(people.leader, first, "Kartlegge venteliste")
    nxt = district_meeting(people.leader, people.unit, days=35)
    listing = district_meeting(people.leader, people.unit, kind=MeetingKind.LIST, days=35)

    assert meeting_selectors.action_items_carried(meeting=nxt) == [item]
    assert meeting_selectors.action_items_carried(meeting=listing) == []


def test_an_action_item_has_exactly_one_owner(people: People, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="one owner"):
        _item(people.follower, meeting, owner=people.follower, owner_name="Åse")
    with pytest.raises(ValidationError, match="who owns"):
        _item(people.follower, meeting, owner=None)
    assert not ActionItem.objects.exists()


def test_done_needs_a_note_and_is_audited(people: People, meeting: Meeting) -> None:
    item = _item(people.follower, meeting)

    with pytest.raises(ValidationError, match="what was done"):
        meeting_services.action_item_set_status(actor=people.follower, item=item, status=ActionItem.Status.DONE)
    done = meeting_services.action_item_set_status(
        actor=people.follower, item=item, status=ActionItem.Status.DONE, done_note="Gjort."
    )

    assert (done.status, done.done_by, done.done_note) == (ActionItem.Status.DONE, people.follower, "Gjort.")
    assert done.youth == meeting.youth
    assert AuditEvent.objects.filter(action="action_item.status_changed", youth_id=meeting.youth_id).exists()


# --- Presence and ratings ------------------------------------------------------------------


def test_only_the_youth_and_guardians_who_took_part_rate_the_meeting(people: People, meeting: Meeting) -> None:
    youth_p = meeting.participants.get(kind=PKind.YOUTH)
    staff_p = meeting.participants.get(kind=PKind.STAFF)

    with pytest.raises(ValidationError, match="took part"):
        meeting_services.meeting_rate(actor=people.follower, participant=youth_p, rating=4)
    _present(people.follower, meeting, PKind.YOUTH, PKind.STAFF)
    with pytest.raises(ValidationError, match="youth and guardians"):
        meeting_services.meeting_rate(actor=people.follower, participant=staff_p, rating=4)
    with pytest.raises(ValidationError):
        meeting_services.meeting_rate(actor=people.follower, participant=youth_p, rating=6)
    rated = meeting_services.meeting_rate(actor=people.follower, participant=youth_p, rating=4, comment="Nyttig")

    assert (rated.rating, rated.rating_recorded_by) == (4, people.follower)
    assert AuditEvent.objects.filter(action="meeting.rated").count() == 1


def test_a_cancelled_meeting_takes_no_ratings(people: People, meeting: Meeting) -> None:
    _present(people.follower, meeting, PKind.YOUTH)
    meeting_services.meeting_cancel(actor=people.leader, meeting=meeting, reason="Sykdom")
    with pytest.raises(ValidationError, match="cancelled"):
        meeting_services.meeting_rate(
            actor=people.follower, participant=meeting.participants.get(kind=PKind.YOUTH), rating=5
        )
    assert meeting.participants.get(kind=PKind.YOUTH).rating is None


def test_someone_who_rated_cannot_be_marked_absent(people: People, meeting: Meeting) -> None:
    _present(people.follower, meeting, PKind.YOUTH)
    meeting_services.meeting_rate(
        actor=people.follower, participant=meeting.participants.get(kind=PKind.YOUTH), rating=5
    )

    with pytest.raises(ValidationError, match="rated"):
        _present(people.follower, meeting, PKind.STAFF)


# --- Access --------------------------------------------------------------------------------


def test_who_sees_and_who_may_edit_or_approve(people: People, youth: Youth, meeting: Meeting) -> None:
    assert access.can(people.follower, meeting, "approve")  # the creator, holding lead responsibility
    assert access.can(people.teammate, meeting)  # the youth's family follower
    assert access.can(people.teammate, meeting, "edit")
    assert not access.can(people.teammate, meeting, "approve")
    assert access.can(people.leader, meeting, "approve")
    assert not access.visible(people.outsider, Meeting.objects.all()).exists()
    assert not access.visible(people.police, Meeting.objects.all()).exists()
    assert not access.visible(people.admin, Meeting.objects.all()).exists()  # an administrator role


def test_a_team_member_from_another_service_sees_the_meeting_and_the_lead_approves(
    people: People, youth: Youth
) -> None:
    services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    meeting = team_meeting(people.leader, youth, people.unit)

    assert access.can(people.police, meeting, "edit")  # invited with the team
    assert not access.can(people.police, meeting, "approve")
    assert access.can(people.follower, meeting, "approve")  # lead responsibility, not the creator


# --- Pages ---------------------------------------------------------------------------------


def _get(client: Client, url: str) -> Any:
    return client.get(url)


def test_an_outsider_gets_404_on_every_meeting_page(people: People, as_user: Any, meeting: Meeting) -> None:
    client = as_user(people.outsider)
    for name in ("detail", "change", "cancel", "minutes", "minutes_approve", "minutes_versions", "minutes_pdf"):
        assert client.get(f"/moter/{meeting.pk}/" + _suffix(name)).status_code == 404, name
    assert client.post(f"/moter/{meeting.pk}/", {"action": "presence"}).status_code == 404


def _suffix(name: str) -> str:
    return {
        "detail": "",
        "change": "endre/",
        "cancel": "avlys/",
        "minutes": "referat/",
        "minutes_approve": "referat/godkjenn/",
        "minutes_versions": "referat/versjoner/",
        "minutes_pdf": "referat/pdf/",
    }[name]


@pytest.fixture
def caseworker(people: People, youth: Youth, meeting: Meeting) -> Any:
    """A staff member of the unit who joined the youth's team after the meeting was planned (so
    not invited): sees the meeting through the youth, without a right to edit it."""
    user = StaffRoleFactory(unit=people.unit, role=StaffRole.Role.CASEWORKER, user__full_name="Cato Caseworker").user
    TOTPDeviceFactory(user=user)
    services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=user,
        unit=people.unit,
        role=TeamMember.Role.BARNEVERN_CASEWORKER,
    )
    return user


def test_a_member_without_the_right_gets_403(people: People, as_user: Any, meeting: Meeting, caseworker: Any) -> None:
    client = as_user(caseworker)
    assert client.get(f"/moter/{meeting.pk}/").status_code == 200
    assert client.get(f"/moter/{meeting.pk}/referat/versjoner/").status_code == 200
    for name in ("change", "cancel", "minutes", "minutes_approve"):
        assert client.get(f"/moter/{meeting.pk}/" + _suffix(name)).status_code == 403, name
    assert client.post(f"/moter/{meeting.pk}/", {"action": "presence"}).status_code == 403
    assert not MeetingParticipant.objects.filter(meeting=meeting, present__isnull=False).exists()


def test_a_teammate_may_edit_but_gets_403_on_approve_change_and_cancel(
    people: People, as_user: Any, meeting: Meeting
) -> None:
    client = as_user(people.teammate)
    assert client.get(f"/moter/{meeting.pk}/referat/").status_code == 200
    for name in ("change", "cancel", "minutes_approve"):
        assert client.get(f"/moter/{meeting.pk}/" + _suffix(name)).status_code == 403, name
        assert client.post(f"/moter/{meeting.pk}/" + _suffix(name), {}).status_code == 403, name


def test_the_meeting_page_shows_the_carried_over_items_and_is_audited(
    people: People, youth: Youth, meeting: Meeting, as_user: Any
) -> None:
    _item(people.follower, meeting, "Søke fritidsklubb")
    later = team_meeting(people.follower, youth, people.unit, days=21)

    response = as_user(people.follower).get(f"/moter/{later.pk}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Søke fritidsklubb" in content
    assert AuditEvent.objects.filter(action="meeting.viewed", object_id=str(later.pk), youth_id=youth.pk).exists()


def test_planning_on_the_page_and_bad_input_kept_with_400(people: People, youth: Youth, as_user: Any) -> None:
    client = as_user(people.follower)
    assert client.get(f"/moter/ny/?ungdom={youth.pk}").status_code == 200
    data = {
        "kind": "team",
        "youth": youth.pk,
        "unit": people.unit.pk,
        "day": at(5).date().isoformat(),
        "starts": "14:00",
        "ends": "13:00",
        "place": "",
        "agenda": "Skolegang og fritid – ønsker fra Søren",
    }

    response = client.post("/moter/ny/", data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "Skolegang og fritid – ønsker fra Søren" in content
    assert not Meeting.objects.exists()

    response = client.post("/moter/ny/", {**data, "ends": "15:00", "place": "Bydelshuset"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/moter/{meeting.pk}/"
    assert meeting.participants.count() == 3


def test_adding_an_action_item_on_the_page(people: People, meeting: Meeting, as_user: Any) -> None:
    client = as_user(people.follower)
    url = f"/moter/{meeting.pk}/"
    bad = client.post(url, {"action": "action_item", "item-title": "Møte med NAV", "item-due_on": ""})
    assert bad.status_code == 400
    assert "Møte med NAV" in bad.content.decode()

    good = client.post(
        url,
        {
            "action": "action_item",
            "item-title": "Møte med NAV",
            "item-owner_name": "Åse Øvrebø",
            "item-due_on": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert good.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner_name, item.youth_id) == ("Åse Øvrebø", meeting.youth_id)

    status = client.post(url, {"action": "item_status", "item": item.pk, f"status-{item.pk}-status": "done"})
    assert status.status_code == 400
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN


def test_presence_and_rating_on_the_page(people: People, meeting: Meeting, as_user: Any) -> None:
    client = as_user(people.follower)
    youth_p = meeting.participants.get(kind=PKind.YOUTH)
    assert client.post(f"/moter/{meeting.pk}/", {"action": "presence", "present": [youth_p.pk]}).status_code == 302
    response = client.post(
        f"/moter/{meeting.pk}/",
        {"action": "rating", "rating-participant": youth_p.pk, "rating-rating": "5", "rating-comment": "Bra"},
    )
    assert response.status_code == 302
    youth_p.refresh_from_db()
    assert (youth_p.present, youth_p.rating) == (True, 5)


def test_my_meetings_list_in_constant_queries(
    people: People, youth: Youth, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    for days in (3, 10, 17):
        team_meeting(people.follower, youth, people.unit, days=days)
    district_meeting(people.leader, people.unit, days=4)
    client = as_user(people.follower)

    with django_assert_max_num_queries(12):
        response = client.get("/moter/")
    assert response.status_code == 200
    assert response.content.decode().count("/moter/") >= 4
    for days in (24, 31, 38):
        team_meeting(people.follower, youth, people.unit, days=days)
    with django_assert_max_num_queries(12):
        assert client.get("/moter/").status_code == 200
    assert client.get("/moter/?vis=tidligere").status_code == 200


def test_meetings_for_youth_lists_only_what_the_person_sees(people: People, youth: Youth, meeting: Meeting) -> None:
    assert meeting_selectors.meetings_for_youth(user=people.follower, youth=youth) == [meeting]
    assert meeting_selectors.meetings_for_youth(user=people.outsider, youth=youth) == []


def test_the_youth_page_block_lists_the_meetings_and_offers_planning(
    people: People, youth: Youth, meeting: Meeting, rf: Any
) -> None:
    from django.template.loader import render_to_string

    block = meeting_selectors.youth_meetings_block(user=people.follower, youth=youth)
    html = render_to_string("teams/partials/meeting_list_for_youth.html", block)

    assert block["may_plan_meeting"] is True
    assert f"/moter/{meeting.pk}/" in html
    assert f"/moter/ny/?ungdom={youth.pk}" in html
    # The teammate follows the family of this youth (and may plan); someone outside may not.
    assert meeting_selectors.youth_meetings_block(user=people.outsider, youth=youth)["may_plan_meeting"] is False


def test_an_items_owner_without_edit_moves_it_on_on_the_page_as_in_the_api(
    people: People, meeting: Meeting, youth: Youth, as_user: Any
) -> None:
    """The police contact joins the team after the meeting was planned: not a participant, not in
    the organising unit, so not an editor of the meeting; but the owner of an item from it. The
    service lets an item's owner move it on, and the page and the API both ask the service."""
    services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    first, second = (
        _item(people.follower, meeting, owner=people.police),
        _item(people.follower, meeting, "Snakke med treneren", owner=people.police),
    )
    assert not access.can(people.police, meeting, "edit")

    page = as_user(people.police).post(
        f"/moter/{meeting.pk}/",
        {"action": "item_status", "item": first.pk, f"status-{first.pk}-status": "in_progress"},
    )
    api = as_user(people.police).post(
        f"/api/v1/action-items/{second.pk}/status/", {"status": "in_progress"}, content_type="application/json"
    )

    assert (page.status_code, api.status_code) == (302, 200)
    assert set(ActionItem.objects.values_list("status", flat=True)) == {ActionItem.Status.IN_PROGRESS}
    # Anything else on the page still needs the meeting's edit right.
    refused = as_user(people.police).post(f"/moter/{meeting.pk}/", {"action": "presence", "present": []})
    assert refused.status_code == 403
