"""The leader's view of who turns 18 (issue 14, point 5): the unit's list (leaders and
coordinators, 404 to outsiders, 403 to the unit's other staff), the short lists on the leader's
and follower's home pages, the 12-month window, the checklist's progress with overdue points
first, and a fixed number of queries whatever the number of youths."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Youth
from core import audit
from core.dates import add_months, today_in_oslo
from core.models import AuditEvent
from reports import turning_18
from teams.models import TransitionPoint
from teams.transition import services as transition_services

from ..cases.helpers_youths import coordinator_of, staff, youth_in
from ..conftest import People
from ..teams.factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db
P = TransitionPoint


def born_for_birthday(birthday: datetime.date) -> datetime.date:
    """The birth date of someone whose 18th birthday is `birthday` (never 29 February)."""
    return birthday.replace(year=birthday.year - 18)


def born_months_before_18(months: int) -> datetime.date:
    return born_for_birthday(add_months(today_in_oslo(), months))


def _url(unit: Any) -> str:
    return reverse("reports:unit_turning_18", args=[unit.pk])


def _listed(client: Client, unit: Any) -> list[Youth]:
    response = client.get(_url(unit))
    assert response.status_code == 200
    return [row.youth for row in response.context["listing"].rows]


@pytest.fixture
def today() -> datetime.date:
    return today_in_oslo()


# --- The window -----------------------------------------------------------------------------


def test_the_window_runs_from_the_birthday_today_to_exactly_12_months_ahead(
    as_user: Any, people: People, today: datetime.date
) -> None:
    last = add_months(today, 12)
    inside = {
        "today": youth_in(people.unit, lead=people.follower, birth_date=born_for_birthday(today)),
        "last day": youth_in(people.unit, lead=people.follower, birth_date=born_for_birthday(last)),
    }
    outside = {
        "yesterday (already 18)": born_for_birthday(today - datetime.timedelta(days=1)),
        "a day after 12 months": born_for_birthday(last + datetime.timedelta(days=1)),
    }
    for birth_date in outside.values():
        youth_in(people.unit, lead=people.follower, birth_date=birth_date)
    assert set(_listed(as_user(people.leader), people.unit)) == set(inside.values())
    # The home pages read the window from youths already loaded; they agree with the SQL range.
    home = as_user(people.leader).get("/").context["home"]
    assert {row.youth for row in home.unit_overviews[0].turning_18} == set(inside.values())
    assert {row.youth for row in as_user(people.follower).get("/").context["home"].my_turning_18} == set(
        inside.values()
    )


def test_a_youth_born_on_29_february_is_listed_until_1_march_of_the_18th_year(people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, birth_date=datetime.date(2008, 2, 29))
    assert youth.eighteenth_birthday == datetime.date(2026, 3, 1)
    for day, listed in (
        (datetime.date(2025, 2, 28), False),
        (datetime.date(2025, 3, 1), True),
        (datetime.date(2026, 3, 1), True),
        (datetime.date(2026, 3, 2), False),
    ):
        rows = turning_18.turning_18_for_unit(user=people.leader, unit=people.unit, today=day)
        assert ([r.youth for r in rows] == [youth]) is listed, day
        assert turning_18.turns_18_within(youth.eighteenth_birthday, day) is listed, day


def test_the_window_is_a_birth_date_range_that_uses_the_index(people: People, today: datetime.date) -> None:
    sql = str(Youth.objects.filter(turning_18.born_in_window_q(today)).query)
    assert '"cases_youth"."birth_date" >' in sql
    assert '"cases_youth"."birth_date" <=' in sql
    assert "youth_birth_date" in {index.name for index in Youth._meta.indexes}


# --- Progress and order ---------------------------------------------------------------------


def test_overdue_points_come_first_then_the_birthday(as_user: Any, people: People) -> None:
    calm_soon = youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(2))
    for point in (P.AFTERCARE, P.HOUSING, P.SCHOOL_WORK):
        transition_services.transition_point_not_applicable(
            actor=people.follower, youth=calm_soon, point=point, reason="Gjelder ikke."
        )
    for point in (P.NAV, P.HEALTH):
        transition_services.transition_point_settle(
            actor=people.follower, youth=calm_soon, point=point, how="Avtalt.", contact_name="Nina NAV"
        )
    transition_services.transition_point_not_applicable(
        actor=people.follower, youth=calm_soon, point=P.LEAD, reason="Følges ikke videre."
    )
    late = youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(5))  # aftercare
    later = youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(4))
    fresh = youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(11))
    rows = {row.youth: row for row in turning_18.turning_18_for_unit(user=people.leader, unit=people.unit)}
    assert list(rows) == [later, late, calm_soon, fresh]
    assert (rows[later].overdue, rows[late].overdue, rows[calm_soon].overdue, rows[fresh].overdue) == (1, 1, 0, 0)
    assert (rows[calm_soon].progress.settled, rows[calm_soon].progress.total) == (2, 3)
    assert (rows[fresh].progress.settled, rows[fresh].progress.total) == (0, 7)
    assert rows[fresh].next_alert == add_months(fresh.eighteenth_birthday, -6)
    assert rows[calm_soon].next_alert == add_months(calm_soon.eighteenth_birthday, -1)
    assert rows[later].lead == people.follower


def test_the_page_shows_progress_overdue_next_alert_and_links_to_the_plans_section(
    as_user: Any, people: People
) -> None:
    youth = youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(2))
    transition_services.transition_point_settle(actor=people.follower, youth=youth, point=P.HOUSING, how="Hos mor.")
    response = as_user(people.leader).get(_url(people.unit))
    page = response.content.decode()
    assert "1 av 7 avklart" in page
    assert "Forfalt: 5" in page
    assert f"/ungdommer/{youth.pk}/plan/#etter-18" in page
    assert "Alice Follower" in page
    assert '<th scope="col">' in page
    assert "<caption" in page
    assert "Hos mor" not in page  # counts only; the point's content stays on the plan


def test_the_page_read_is_audited_with_the_youths_shown(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(3))
    as_user(people.leader).get(_url(people.unit))
    event = AuditEvent.objects.get(action="transition.list_viewed")
    assert event.actor == people.leader
    assert event.object_id == str(people.unit.pk)
    assert event.detail["youths"] == [youth.pk]
    assert audit.action_label(event.action) == "Leste en enhets liste over ungdommer som fyller 18"


def test_a_long_list_is_paged(as_user: Any, people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turning_18, "PER_PAGE", 2)
    youths = [youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(m)) for m in (7, 8, 9)]
    client = as_user(people.leader)
    assert _listed(client, people.unit) == youths[:2]
    response = client.get(_url(people.unit), {"side": 2})
    assert [row.youth for row in response.context["listing"].rows] == youths[2:]
    assert "Side 2 av 2" in response.content.decode()


# --- Who sees what --------------------------------------------------------------------------


def test_the_leader_home_shows_progress_and_links_to_the_list(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(2))
    response = as_user(people.leader).get("/")
    [overview] = response.context["home"].unit_overviews
    assert [row.youth for row in overview.turning_18] == [youth]
    page = response.content.decode()
    assert _url(people.unit) in page
    assert "0 av 7 avklart" in page
    assert "Forfalt: 6" in page


def test_the_follower_sees_only_their_own_youths_turning_18(as_user: Any, people: People) -> None:
    mine = youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(3))
    youth_in(people.unit, lead=people.leader, birth_date=born_months_before_18(3))
    youth_in(people.other_unit, lead=people.outsider, birth_date=born_months_before_18(3))
    response = as_user(people.follower).get("/")
    assert [row.youth for row in response.context["home"].my_turning_18] == [mine]
    assert f"/ungdommer/{mine.pk}/plan/#etter-18" in response.content.decode()


def test_a_leader_of_another_unit_sees_none_of_the_units_youths(as_user: Any, people: People) -> None:
    youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(3))
    other_leader = staff(people.other_unit, "leader")
    client = as_user(other_leader)
    assert client.get(_url(people.unit)).status_code == 404
    [overview] = client.get("/").context["home"].unit_overviews
    assert overview.turning_18 == []
    assert _listed(client, people.other_unit) == []


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("police", 404), ("follower", 403), ("teammate", 403)])
def test_only_the_units_leaders_and_coordinators_open_the_list(
    as_user: Any, people: People, who: str, status: int
) -> None:
    assert as_user(getattr(people, who)).get(_url(people.unit)).status_code == status


def test_a_coordinator_of_the_unit_opens_the_list_from_the_home_page(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(3))
    client = as_user(coordinator_of(people.unit))
    assert _url(people.unit) in client.get("/").content.decode()
    assert _listed(client, people.unit) == [youth]


def test_a_youth_with_a_closed_follow_up_is_not_on_the_units_list(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(3))
    youth.followups.update(state="closed", closing_reason="moved", closing_summary="Flyttet.", ended_on=today_in_oslo())
    assert _listed(as_user(people.leader), people.unit) == []


# --- Queries --------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the first request after signing in does the session's own work
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(people: People, n: int) -> None:
    for i in range(n):
        youth = youth_in(people.unit, lead=people.follower, birth_date=born_months_before_18(1 + i % 11))
        if i % 2:
            transition_services.transition_point_settle(
                actor=people.follower, youth=youth, point=P.HOUSING, how="Avtalt."
            )


PAGE_BUDGET = 18  # 16 measured: session and sign-in, the unit and its rule, the youths, sharing, the checklists, audit
HOME_BUDGET = 30  # 24 measured for the leader, 20 for the follower


def test_the_list_costs_the_same_queries_for_2_and_8_youths(as_user: Any, people: People) -> None:
    client = as_user(people.leader)
    _add(people, 2)
    two = _queries(client, _url(people.unit))
    _add(people, 6)
    eight = _queries(client, _url(people.unit))
    assert len(_listed(client, people.unit)) == 8
    assert eight == two
    assert eight <= PAGE_BUDGET


@pytest.mark.parametrize("who", ["leader", "follower"])
def test_the_home_pages_turning_18_costs_the_same_for_2_and_8_youths(as_user: Any, people: People, who: str) -> None:
    client = as_user(getattr(people, who))
    _add(people, 2)
    two = _queries(client, "/")
    _add(people, 6)
    eight = _queries(client, "/")
    assert eight == two
    assert eight <= HOME_BUDGET
