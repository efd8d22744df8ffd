"""Each person's calendar: the page (their own meetings and open action items only), the secret
feed address (shown once, stored as a hash, revoked, replaced), and the iCalendar feed and
invitation (UID, SEQUENCE, times in UTC, never the youth's name; no session, no cookies)."""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client

from cases.models import Youth
from core.models import AuditEvent
from org.models import StaffRole
from teams.calendar import feed as calendar
from teams.calendar import services as calendar_services
from teams.models import ActionItem, CalendarFeed, Meeting, MeetingKind

from ..cases.factories import followed_youth
from ..conftest import People
from .calendar_helpers import action_item, meeting, oslo

pytestmark = pytest.mark.django_db

NOW = oslo(2026, 3, 10, 12, 0)
ADDRESS = re.compile(r'value="(http[^"]+/kalender/feed/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def youth(people: People) -> Youth:
    return followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berggrenseth")


@pytest.fixture
def meetings(people: People, youth: Youth) -> dict[str, Meeting]:
    """The follower's team meeting (with the police contact), an intake meeting, one held last
    week, one cancelled; and the outsider's own meeting in another district."""
    return {
        "team": meeting(
            people.unit,
            oslo(2026, 3, 12, 14, 0),
            created_by=people.follower,
            youth=youth,
            staff=(people.follower, people.police),
            title="Lagmøte Sara Berggrenseth",
            agenda="Om Sara Berggrenseth",
            video_link="https://meet.example/abc",
        ),
        "intake": meeting(
            people.unit,
            oslo(2026, 3, 20, 9, 0),
            created_by=people.leader,
            kind=MeetingKind.INTAKE,
            staff=(people.follower, people.leader),
        ),
        "held": meeting(
            people.unit,
            oslo(2026, 3, 3, 9, 0),
            created_by=people.follower,
            youth=youth,
            staff=(people.follower,),
            state=Meeting.State.HELD,
        ),
        "cancelled": meeting(
            people.unit,
            oslo(2026, 3, 25, 9, 0),
            created_by=people.follower,
            youth=youth,
            staff=(people.follower,),
            state=Meeting.State.CANCELLED,
        ),
        "elsewhere": meeting(
            people.other_unit,
            oslo(2026, 3, 13, 10, 0),
            created_by=people.outsider,
            youth=followed_youth(people.other_unit, lead=people.outsider, first_name="Olga", last_name="Utenforsen"),
            staff=(people.outsider,),
            place="Alna bydelshus",
        ),
    }


@pytest.fixture
def items(people: People, meetings: dict[str, Meeting]) -> dict[str, ActionItem]:
    return {
        "overdue": action_item(meetings["held"], datetime.date(2026, 3, 6), owner=people.follower, title="Søke NAV"),
        "soon": action_item(meetings["held"], datetime.date(2026, 3, 11), owner=people.follower, title="Ringe skolen"),
        "teammate": action_item(
            meetings["held"], datetime.date(2026, 3, 11), owner=people.teammate, title="Bobs oppgave"
        ),
        "outsider": action_item(
            meetings["elsewhere"], datetime.date(2026, 3, 11), owner=people.outsider, title="Olavs oppgave"
        ),
    }


def _make_address(client: Client) -> tuple[str, str]:
    response = client.post("/kalender/", {"action": "create"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the secret is not kept by any cache
    found = ADDRESS.search(response.content.decode())
    assert found is not None
    return found.group(1), found.group(2)


def _feed_path(token: str) -> str:
    return f"/kalender/feed/{token}.ics"


# --- The iCalendar texts ---------------------------------------------------------------------


def test_the_invitation_parses_with_uid_sequence_and_utc_times_and_names_no_youth(
    people: People, meetings: dict[str, Meeting]
) -> None:
    team = meetings["team"]
    Meeting.objects.filter(pk=team.pk).update(sequence=3)
    team.refresh_from_db()
    text = calendar.meeting_invitation(meeting=team, attendee=people.follower)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["method"]) == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == f"{team.uid}@laget"
    assert int(str(event["sequence"])) == 3
    assert event.decoded("dtstart") == oslo(2026, 3, 12, 14, 0)
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(0)
    assert event.decoded("dtend") == oslo(2026, 3, 12, 15, 0)
    assert event.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
    assert str(event["location"]) == "Bjerke bydelshus, møterom Ærfugl"
    assert f"/moter/{team.pk}/" in str(event["description"])
    assert "meet.example/abc" in str(event["description"])
    assert "organizer" in event
    assert "Berggrenseth" not in text
    assert "Sara" not in text
    assert str(event["summary"]) == calendar.meeting_summary(team)


# --- The page --------------------------------------------------------------------------------


def test_the_calendar_page_needs_sign_in(client: Client) -> None:
    response = client.get("/kalender/")
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


def test_the_page_shows_ones_own_coming_meetings_and_open_items_and_the_overdue_marked(
    as_user: Any, people: People, meetings: dict[str, Meeting], items: dict[str, ActionItem]
) -> None:
    response = as_user(people.follower).get("/kalender/")
    assert response.status_code == 200
    assert response.templates[0].name == "teams/calendar_page.html"
    html = response.content.decode()
    assert f'href="/moter/{meetings["team"].pk}/"' in html
    assert f'href="/moter/{meetings["intake"].pk}/"' in html
    assert f'href="/moter/{meetings["held"].pk}/"' in html  # the items' meeting
    assert "Sara Berggrenseth" in html  # the follower may open the youth
    assert "Søke NAV" in html
    assert "Ringe skolen" in html
    assert html.index("Søke NAV") < html.index("Ringe skolen")  # earliest due first
    assert "laget-row--over" in html
    # Nothing of anyone else's.
    assert "Bobs oppgave" not in html
    assert "Olavs oppgave" not in html
    assert "Utenforsen" not in html
    assert f"/moter/{meetings['elsewhere'].pk}/" not in html
    assert "Lagmøte Sara Berggrenseth" not in html  # the meeting's own title is the meeting page's
    event = AuditEvent.objects.get(action="calendar.viewed")
    assert event.actor == people.follower
    assert event.detail["youths"] == [meetings["team"].youth_id]


def test_an_outsider_sees_nothing_of_others_on_their_calendar(
    as_user: Any, people: People, meetings: dict[str, Meeting], items: dict[str, ActionItem]
) -> None:
    html = as_user(people.outsider).get("/kalender/").content.decode()
    assert "Olavs oppgave" in html
    assert "Utenforsen" in html
    for other in ("team", "intake", "held", "cancelled"):
        assert f"/moter/{meetings[other].pk}/" not in html
    assert "Berggrenseth" not in html
    assert "Søke NAV" not in html


def test_a_participant_who_may_not_open_the_youth_does_not_see_the_youths_name(
    as_user: Any, people: People, meetings: dict[str, Meeting]
) -> None:
    html = as_user(people.police).get("/kalender/").content.decode()
    assert f'href="/moter/{meetings["team"].pk}/"' in html
    assert "Berggrenseth" not in html
    assert AuditEvent.objects.get(action="calendar.viewed", actor=people.police).detail["youths"] == []


def test_a_person_without_a_role_in_force_gets_403(as_user: Any, people: People) -> None:
    client = as_user(people.teammate)
    StaffRole.objects.filter(user=people.teammate).update(ends_on=datetime.date(2026, 3, 1))
    assert client.get("/kalender/").status_code == 403
    assert client.post("/kalender/", {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_an_unknown_action_is_refused_with_a_message_and_changes_nothing(as_user: Any, people: People) -> None:
    response = as_user(people.follower).post("/kalender/", {"action": "steal"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_page_needs_a_constant_number_of_queries(
    as_user: Any,
    people: People,
    youth: Youth,
    meetings: dict[str, Meeting],
    items: dict[str, ActionItem],
    django_assert_max_num_queries: Any,
) -> None:
    client = as_user(people.follower)
    client.get("/kalender/")
    for n in range(8):
        more = meeting(
            people.unit, oslo(2026, 3, 14 + n, 9, 0), created_by=people.follower, youth=youth, staff=(people.follower,)
        )
        action_item(more, datetime.date(2026, 3, 15 + n), owner=people.follower)
    with django_assert_max_num_queries(20):
        response = client.get("/kalender/")
    assert response.content.decode().count('href="/moter/') >= 18


# --- The feed address ---------------------------------------------------------------------------


def test_a_secret_address_is_shown_once_and_only_its_hash_is_stored(as_user: Any, people: People) -> None:
    client = as_user(people.follower)
    address, token = _make_address(client)
    assert address.startswith("http")
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(user=people.follower)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    assert AuditEvent.objects.filter(action="calendar.feed_created", object_id=str(feed.pk)).exists()
    # Shown only once: the page afterwards does not carry it.
    assert token not in client.get("/kalender/").content.decode()


def test_the_feed_serves_ones_own_calendar_without_a_session_or_cookies(
    as_user: Any, people: People, meetings: dict[str, Meeting], items: dict[str, ActionItem]
) -> None:
    _address, token = _make_address(as_user(people.follower))
    calendar_program = Client()
    response = calendar_program.get(_feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert not response.cookies
    text = response.content.decode()
    assert "Berggrenseth" not in text
    assert "Sara" not in text
    assert "Lagmøte Sara" not in text
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["method"]) == "PUBLISH"
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    expected = {f"{meetings[k].uid}@laget" for k in ("team", "intake", "held", "cancelled")}
    assert set(events) == expected
    for event in events.values():
        assert event.decoded("dtstart").utcoffset() == datetime.timedelta(0)
        assert "sequence" in event
    assert str(events[f"{meetings['cancelled'].uid}@laget"]["status"]) == "CANCELLED"
    todos = {str(t["uid"]): t for t in cal.walk("VTODO")}
    assert set(todos) == {f"action-item-{items['overdue'].pk}@laget", f"action-item-{items['soon'].pk}@laget"}
    assert todos[f"action-item-{items['overdue'].pk}@laget"].decoded("due") == datetime.date(2026, 3, 6)
    assert "Søke NAV" not in text
    feed = CalendarFeed.objects.get(user=people.follower)
    assert feed.last_used_at == NOW
    # The address is no sign-in: the calendar program reaches nothing else.
    after = calendar_program.get("/kalender/")
    assert after.status_code == 302
    assert "/logg-inn/" in after["Location"]


def test_the_feed_answers_head_for_calendar_programs_that_ask_first(as_user: Any, people: People) -> None:
    _address, token = _make_address(as_user(people.follower))
    assert Client().head(_feed_path(token)).status_code == 200


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "a.b", "%00", "x" * 300])
def test_a_wrong_address_is_not_found_and_sets_no_cookie(people: People, token: str) -> None:
    response = Client().get(_feed_path(token))
    assert response.status_code == 404
    assert not response.cookies
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_revoked_address_is_not_found_and_a_new_one_works(
    as_user: Any, people: People, meetings: dict[str, Meeting]
) -> None:
    client = as_user(people.follower)
    _address, first = _make_address(client)
    response = client.post("/kalender/", {"action": "revoke"})
    assert response.status_code == 302
    assert Client().get(_feed_path(first)).status_code == 404
    feed = CalendarFeed.objects.get(user=people.follower)
    assert feed.revoked_at == NOW
    assert AuditEvent.objects.filter(action="calendar.feed_revoked", object_id=str(feed.pk)).exists()
    _address, second = _make_address(client)
    assert second != first
    assert Client().get(_feed_path(second)).status_code == 200
    assert Client().get(_feed_path(first)).status_code == 404


def test_making_a_new_address_revokes_the_old_one(as_user: Any, people: People) -> None:
    client = as_user(people.follower)
    _address, first = _make_address(client)
    _address, second = _make_address(client)
    assert Client().get(_feed_path(first)).status_code == 404
    assert Client().get(_feed_path(second)).status_code == 200
    assert CalendarFeed.objects.filter(user=people.follower, revoked_at__isnull=True).count() == 1
    assert CalendarFeed.objects.filter(user=people.follower).count() == 2


def test_revoking_without_an_address_says_so(as_user: Any, people: People) -> None:
    response = as_user(people.follower).post("/kalender/", {"action": "revoke"}, follow=True)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="calendar.feed_revoked").exists()


def test_one_persons_address_shows_only_their_own_calendar(
    as_user: Any, people: People, meetings: dict[str, Meeting], items: dict[str, ActionItem]
) -> None:
    _address, token = _make_address(as_user(people.outsider))
    text = Client().get(_feed_path(token)).content.decode()
    cal = icalendar.Calendar.from_ical(text)
    assert {str(e["uid"]) for e in cal.walk("VEVENT")} == {f"{meetings['elsewhere'].uid}@laget"}
    assert {str(t["uid"]) for t in cal.walk("VTODO")} == {f"action-item-{items['outsider'].pk}@laget"}
    assert "Utenforsen" not in text


def test_the_feed_stops_when_the_person_leaves(as_user: Any, people: People) -> None:
    _address, token = _make_address(as_user(people.teammate))
    StaffRole.objects.filter(user=people.teammate).update(ends_on=datetime.date(2026, 3, 9))
    assert Client().get(_feed_path(token)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_addresses_made_at_the_same_moment_leave_one_in_force(people: People) -> None:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def make() -> None:
        try:
            barrier.wait(timeout=10)
            calendar_services.calendar_feed_create(actor=people.follower)
        except BaseException as exc:  # noqa: BLE001 (the test reports whatever went wrong in the thread)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert CalendarFeed.objects.filter(user=people.follower).count() == 2
    assert CalendarFeed.objects.filter(user=people.follower, revoked_at__isnull=True).count() == 1
