"""The home page per role: the follower's "My youths" (last contact, flags, tasks, load), the
leader's "My units" (load per follower, no contact for 14 days, turning 18), under a fixed
number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import FollowUp, FollowUpAssignment, JusticeStep, Offence, ReportingDate
from cases.rows import follower_loads
from reports.selectors import home_for_user

from ..cases.helpers_youths import START, contact, coordinator_of, youth_in
from ..conftest import People
from ..sharing import open_to

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> dict[Any, Any]:
    return {row.youth: row for row in response.context["home"].my_youths}


def test_follower_home_shows_last_contact_and_the_14_day_flag(as_user: Any, people: People) -> None:
    recent = youth_in(people.unit, lead=people.follower, first_name="Aksel")
    quiet = youth_in(people.unit, lead=people.follower, first_name="Birk")
    never = youth_in(people.unit, lead=people.follower, first_name="Cato")
    contact(recent, people.follower, days_ago=3)
    contact(quiet, people.follower, days_ago=14)
    response = as_user(people.follower).get("/")
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[recent].days_since_contact == 3
    assert rows[recent].no_contact is False
    assert rows[quiet].days_since_contact == 14
    assert rows[quiet].no_contact is True
    assert rows[never].days_since_contact is None
    assert rows[never].no_contact is True
    # The longest without contact first.
    assert next(row.youth for row in response.context["home"].my_youths) == never
    page = response.content.decode()
    assert f"/ungdommer/{quiet.pk}/" in page
    assert page.count("laget-flag-text") >= 2


def test_the_no_contact_limit_is_a_setting(as_user: Any, people: People, settings: Any) -> None:
    settings.LAGET_NO_CONTACT_DAYS = 7
    youth = youth_in(people.unit, lead=people.follower)
    contact(youth, people.follower, days_ago=8)
    assert _rows(as_user(people.follower).get("/"))[youth].no_contact is True


def test_a_family_follower_sees_the_youths_too(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate)
    assert youth in _rows(as_user(people.teammate).get("/"))


def _police_records(youth: Any, people: People, *, unit: Any) -> datetime.datetime:
    """Four offences this year and a reporting duty due in two days, recorded in `unit`."""
    today = timezone.localdate()
    for day in range(4):
        Offence.objects.create(
            youth=youth,
            committed_on=datetime.date(today.year, 1, 1 + day),
            kind="theft",
            registered_by=people.police,
            unit=unit,
        )
    step = JusticeStep.objects.create(
        youth=youth, kind=JusticeStep.Kind.REPORTING_DUTY, starts_on=START, registered_by=people.police, unit=unit
    )
    due = timezone.now() + datetime.timedelta(days=2)
    ReportingDate.objects.create(step=step, due_at=due, place="Manglerud politistasjon")
    ReportingDate.objects.create(step=step, due_at=due + datetime.timedelta(days=30))
    return due


def test_follower_home_hides_police_flags_without_consent(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    _police_records(youth, people, unit=people.police_unit)
    row = _rows(as_user(people.follower).get("/"))[youth]
    assert row.repeated_crime is False
    assert row.next_reporting is None


def test_follower_home_flags_repeated_crime_and_reporting_duty(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    open_to(youth, people.unit, ["police"], actor=people.leader)
    due = _police_records(youth, people, unit=people.police_unit)
    row = _rows(as_user(people.follower).get("/"))[youth]
    assert row.repeated_crime is True
    assert row.next_reporting is not None
    assert row.next_reporting.due_at == due


def test_follower_home_lists_open_tasks_by_due_date(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    today = timezone.localdate()
    later = contact(youth, people.teammate, days_ago=1, task="Møte med NAV", task_due_on=today + datetime.timedelta(5))
    sooner = contact(youth, people.follower, days_ago=2, task="Ringe mor", task_due_on=today - datetime.timedelta(1))
    contact(youth, people.follower, days_ago=3, task="Ferdig", task_done_at=timezone.now())
    contact(youth, people.follower, days_ago=4, task="Slettet", deleted_at=timezone.now(), delete_reason="Feil")
    other = youth_in(people.unit, lead=people.leader)
    contact(other, people.leader, task="Ikke min")
    response = as_user(people.follower).get("/")
    assert response.context["home"].my_tasks == [sooner, later]
    assert "Ringe mor" in response.content.decode()


def test_follower_home_shows_their_load(as_user: Any, people: People) -> None:
    for _ in range(3):
        youth_in(people.unit, lead=people.follower)
    load = as_user(people.follower).get("/").context["home"].my_load
    assert (load.load, load.limit) == (3, 5)


def test_follower_loads_agree_with_the_service(people: People) -> None:
    from cases.services import follower_load

    youth_in(people.unit, lead=people.follower)
    youth_in(people.unit, lead=people.follower, state=FollowUp.State.PAUSED)
    closed = youth_in(people.unit, lead=people.follower).followups.get()
    FollowUp.objects.filter(pk=closed.pk).update(
        state="closed", closing_reason="moved", closing_summary="Flyttet.", ended_on=START
    )
    ended = youth_in(people.unit, lead=people.follower).followups.get()
    FollowUpAssignment.objects.filter(followup=ended).update(ends_on=START)
    assert follower_loads(user_ids=[people.follower.pk]) == {people.follower.pk: follower_load(user=people.follower)}
    assert follower_load(user=people.follower) == 2


def test_leader_home_shows_load_no_contact_and_turning_18(as_user: Any, people: People) -> None:
    today = timezone.localdate()
    youths = [youth_in(people.unit, lead=people.follower) for _ in range(6)]  # one over the limit
    for youth in youths[1:]:
        contact(youth, people.follower, days_ago=1)
    soon_18 = youths[1]
    soon_18.birth_date = today.replace(year=today.year - 18) + datetime.timedelta(days=60)
    soon_18.save()
    response = as_user(people.leader).get("/")
    assert response.status_code == 200
    home = response.context["home"]
    [overview] = home.unit_overviews
    assert overview.unit == people.unit
    loads = {f.user: f for f in overview.followers}
    assert loads[people.follower].load == 6
    assert loads[people.follower].over_capacity is True
    assert [row.youth for row in overview.no_contact] == [youths[0]]
    assert [row.youth for row in overview.turning_18] == [soon_18]
    assert overview.youth_count == 6
    page = response.content.decode()
    assert "laget-row--over" in page
    assert "Mine enheter" in page


def test_leader_home_leaves_out_other_units(as_user: Any, people: People) -> None:
    youth_in(people.other_unit)
    [overview] = as_user(people.leader).get("/").context["home"].unit_overviews
    assert overview.youth_count == 0


def test_coordinator_home_keeps_the_intake_section_with_loads(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    youth_in(people.unit, lead=people.follower)
    home = as_user(coordinator).get("/").context["home"]
    assert home.is_coordinator
    assert home.may_register
    assert [(role.user, load.load) for role, load in home.follower_capacity] == [(people.follower, 1)]


def _home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def _add_youths(people: People, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        youth = youth_in(
            people.unit,
            lead=people.follower,
            family_follower=people.teammate,
            birth_date=today.replace(year=today.year - 18) + datetime.timedelta(days=30 + i),
        )
        contact(youth, people.follower, days_ago=20, task="Følge opp", task_due_on=today)
        Offence.objects.create(youth=youth, committed_on=today, kind="theft", registered_by=people.police)


@pytest.mark.parametrize("who", ["follower", "leader"])
def test_home_has_a_fixed_query_count(
    as_user: Any, people: People, who: str, django_assert_max_num_queries: Any
) -> None:
    client = as_user(getattr(people, who))
    _add_youths(people, 3)
    baseline = _home_queries(client)
    _add_youths(people, 12)
    with django_assert_max_num_queries(baseline):
        response = client.get("/")
    home = response.context["home"]
    assert len(home.my_youths if who == "follower" else home.unit_overviews[0].no_contact) == 15


def test_home_for_a_person_without_roles(people: People) -> None:
    from ..factories import UserFactory

    home = home_for_user(user=UserFactory())
    assert home.roles == []
    assert home.my_youths == []
    assert not home.is_follower


def test_home_lists_my_next_meetings_and_my_open_action_items_overdue_first(as_user: Any, people: People) -> None:
    from teams.meetings import services as meeting_services

    from ..teams.factories_meetings import team_meeting, youth_with_team

    youth = youth_with_team(people.unit, lead=people.follower)
    soon = team_meeting(people.follower, youth, people.unit, days=3)
    team_meeting(people.follower, youth, people.unit, days=30)  # beyond the two weeks shown
    today = timezone.localdate()
    meeting_services.action_item_add(
        actor=people.follower, meeting=soon, title="Ringe skolen", owner=people.follower, due_on=today
    )
    item = meeting_services.action_item_add(
        actor=people.follower, meeting=soon, title="Søke fritidskort", owner=people.follower, due_on=today
    )
    type(item).objects.filter(pk=item.pk).update(due_on=today - datetime.timedelta(days=2))

    response = as_user(people.follower).get("/")

    home = response.context["home"]
    assert home.next_meetings == [soon]
    assert [i.title for i in home.my_action_items] == ["Søke fritidskort", "Ringe skolen"]
    page = response.content.decode()
    assert "Mine neste møter" in page
    assert "Over fristen" in page
    assert f"/moter/{soon.pk}/" in page


def test_an_outsider_sees_no_meetings_of_others_on_the_home_page(as_user: Any, people: People) -> None:
    from ..teams.factories_meetings import team_meeting, youth_with_team

    youth = youth_with_team(people.unit, lead=people.follower)
    meeting = team_meeting(people.follower, youth, people.unit, days=3)
    home = as_user(people.outsider).get("/").context["home"]
    assert home.next_meetings == []
    assert home.my_action_items == []
    assert meeting.pk
