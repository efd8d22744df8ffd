"""The list meeting with the police: youths (or anonymous cases) discussed, the decisions, and
the information from the police marked as such and shown only where the sharing policy allows
police matters (or the viewer's own service recorded it). Outsider 404, a member without the
right 403, bad input 400 with what was typed kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consent.models import Category, Disclosure
from core.models import AuditEvent
from referrals.intake import services
from teams.models import ListMeetingEntry

from ..conftest import People
from ..sharing import open_to
from .helpers import World, anonymous_case, build_world, named_youth

pytestmark = pytest.mark.django_db

POLICE_TEXT = "Pågrepet for ran ved Linderud senter 3. mars."


@pytest.fixture
def world(people: People) -> World:
    return build_world(people)


def _url(world: World) -> str:
    return f"/inntak/listemote/{world.listing.pk}/"


def _entry(world: World, youth: Any = None, **fields: Any) -> ListMeetingEntry:
    fields.setdefault("police_information", POLICE_TEXT)
    fields.setdefault("decision", "Koordinator tar kontakt med familien.")
    return services.list_entry_add(actor=world.coordinator, meeting=world.listing, youth=youth, **fields)


def test_an_entry_is_recorded_and_audited(world: World) -> None:
    youth = named_youth(world)

    entry = _entry(world, youth)

    assert (entry.youth, entry.police_information, entry.recorded_by) == (youth, POLICE_TEXT, world.coordinator)
    assert AuditEvent.objects.filter(action="list_meeting.entry_added", youth_id=youth.pk).exists()


def test_the_same_youth_is_not_listed_twice_and_an_empty_entry_is_refused(world: World) -> None:
    youth = named_youth(world)
    _entry(world, youth)

    with pytest.raises(ValidationError):
        _entry(world, youth)
    with pytest.raises(ValidationError):
        _entry(world, named_youth(world), police_information=" ", decision="")
    assert ListMeetingEntry.objects.count() == 1


def test_only_those_who_run_the_meeting_and_the_police_taking_part_record(world: World, people: People) -> None:
    case = anonymous_case(world)

    with pytest.raises(PermissionDenied):
        services.list_entry_add(actor=people.follower, meeting=world.listing, discussion=case, decision="x")
    entry = services.list_entry_add(
        actor=people.police, meeting=world.listing, discussion=case, police_information=POLICE_TEXT
    )
    assert entry.discussion == case


def test_police_information_is_withheld_without_consent_for_police_matters(world: World, as_user: Any) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    _entry(world, youth)

    body = as_user(world.coordinator).get(_url(world)).content.decode()

    assert "Sara Berg" in body
    assert POLICE_TEXT not in body
    assert "intake-withheld" in body
    assert "Koordinator tar kontakt" in body


def test_police_information_is_shown_marked_when_consent_allows_and_the_showing_is_logged(
    world: World, people: People, as_user: Any
) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    _entry(world, youth)
    open_to(youth, people.unit, [Category.POLICE], actor=world.coordinator)

    body = as_user(world.coordinator).get(_url(world)).content.decode()

    assert POLICE_TEXT in body
    assert "intake-police" in body
    assert Disclosure.objects.filter(
        user=world.coordinator, youth=youth, categories__contains=[Category.POLICE]
    ).exists()


def test_the_police_see_what_their_own_service_recorded(world: World, people: People, as_user: Any) -> None:
    case = anonymous_case(world, alias="Gutt A")
    services.list_entry_add(actor=people.police, meeting=world.listing, discussion=case, police_information=POLICE_TEXT)

    body = as_user(people.police).get(_url(world)).content.decode()

    assert "Gutt A" in body
    assert POLICE_TEXT in body


def test_an_outsider_gets_404_and_a_member_without_the_right_403(world: World, people: People, as_user: Any) -> None:
    outsider = as_user(people.outsider)
    assert outsider.get(_url(world)).status_code == 404
    assert outsider.post(_url(world), {"decision": "x"}).status_code == 404
    outsider.logout()

    follower = as_user(people.follower)
    assert follower.get(_url(world)).status_code == 200  # works in the district: may follow the list
    assert follower.post(_url(world), {"decision": "x"}).status_code == 403
    assert not ListMeetingEntry.objects.exists()


def test_an_intake_meeting_is_not_a_list_meeting(world: World, as_user: Any) -> None:
    assert as_user(world.coordinator).get(f"/inntak/listemote/{world.intake.pk}/").status_code == 404


def test_adding_through_the_page_and_bad_input_keeps_what_was_typed(world: World, as_user: Any) -> None:
    youth = named_youth(world)
    client = as_user(world.coordinator)

    bad = client.post(_url(world), {"police_information": "Skrevet, men ingen ungdom valgt"})
    assert bad.status_code == 400
    assert "Skrevet, men ingen ungdom valgt" in bad.content.decode()
    assert not ListMeetingEntry.objects.exists()

    good = client.post(_url(world), {"youth": youth.pk, "police_information": POLICE_TEXT, "decision": "Følges opp."})
    assert good.status_code == 302
    assert ListMeetingEntry.objects.get().youth == youth


def test_the_list_page_has_a_constant_number_of_queries(
    world: World, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(world.coordinator)
    _entry(world, named_youth(world))
    client.get(_url(world))
    with django_assert_max_num_queries(60) as few:
        client.get(_url(world))
    for _ in range(5):
        _entry(world, named_youth(world))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url(world))
