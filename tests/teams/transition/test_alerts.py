"""Alerts before a youth turns 18 (issue 14, points 1 and 7): 12, 6, 3 and 1 month before the
birthday the lead follower, the coordinator and the leader are told once per step, a run after
downtime sends the step in force (a step missed is covered by the later one), the alert lists
what is still unsettled, the e-mail never names the youth, and the reads stay within a fixed
number of queries.

The youth of these tests is born on 20 August 2010 and turns 18 on 20 August 2028: the alerts
fall on 20 August 2027 (12 months), 20 February 2028 (6), 20 May 2028 (3) and 20 July 2028 (1)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import FollowUp, Youth
from core.dates import OSLO
from core.models import AuditEvent, Notification, User
from org.models import StaffRole
from teams import services as team_services
from teams import tasks
from teams.models import TeamMember, TransitionPoint
from teams.transition import alerts, services

from ...cases.factories import followed_youth
from ...conftest import People
from ...factories import StaffRoleFactory
from ..factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db

BORN = datetime.date(2010, 8, 20)
TWELVE, SIX, THREE, ONE = (
    datetime.date(2027, 8, 20),
    datetime.date(2028, 2, 20),
    datetime.date(2028, 5, 20),
    datetime.date(2028, 7, 20),
)
BIRTHDAY = datetime.date(2028, 8, 20)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def oslo(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def coordinator(people: People) -> User:
    return StaffRoleFactory(unit=people.unit, role=StaffRole.Role.COORDINATOR, user__full_name="Cora Coordinator").user


@pytest.fixture
def youth(people: People, coordinator: User) -> Youth:
    with time_machine.travel(oslo(datetime.date(2027, 8, 1)), tick=False):
        return youth_with_team(
            people.unit, lead=people.follower, birth_date=BORN, first_name="Søren", last_name="Øvrebø"
        )


def _run(day: datetime.date, hour: int = 9) -> int:
    with time_machine.travel(oslo(day, hour), tick=False):
        return alerts.turning_18_alerts_send().notifications


def _sent(youth: Youth) -> list[tuple[int, int]]:
    """(recipient, months) of every alert about the youth, in the order sent."""
    return [
        (n.recipient_id, int(n.key.split(":")[2]))
        for n in Notification.objects.filter(kind="turning_18", youth_id=youth.pk).order_by("id")
    ]


def _nb(label: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def test_beat_runs_the_alerts_and_the_steps_are_a_setting(people: People, youth: Youth) -> None:
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "teams.tasks.turning_18_alerts"]
    assert len(entries) == 1
    assert settings.LAGET_TURNING_18_ALERT_MONTHS == (12, 6, 3, 1)
    with time_machine.travel(oslo(THREE), tick=False):
        assert tasks.turning_18_alerts() == 3
        assert tasks.turning_18_alerts() == 0


def test_each_step_alerts_the_lead_the_coordinator_and_the_leader_exactly_once(
    people: People, youth: Youth, coordinator: User
) -> None:
    assert _run(TWELVE - datetime.timedelta(days=1)) == 0
    assert _run(TWELVE, 7) == 3
    assert _run(TWELVE, 8) == 0
    assert _run(TWELVE + datetime.timedelta(days=30)) == 0
    notes = list(Notification.objects.filter(kind="turning_18").order_by("recipient_id"))
    assert {n.recipient_id for n in notes} == {people.follower.pk, coordinator.pk, people.leader.pk}
    assert {n.key for n in notes} == {f"turning_18:{youth.pk}:12:2028-08-20"}
    for note in notes:
        assert note.url == f"/ungdommer/{youth.pk}/plan/#etter-18"
        assert note.youth_id == youth.pk
        assert "Søren Øvrebø" in note.title
        assert "20.8.2028" in note.body
    events = AuditEvent.objects.filter(action="transition.alert_sent", youth_id=youth.pk)
    assert events.count() == 3
    roles = {e.detail["recipient"]: e.detail["roles"] for e in events}
    assert roles == {people.follower.pk: ["lead"], coordinator.pk: ["coordinator"], people.leader.pk: ["leader"]}
    assert all(e.detail["months"] == 12 and e.detail["birthday"] == "2028-08-20" for e in events)


def test_moving_day_by_day_gives_exactly_four_alerts_to_each_recipient(
    people: People, youth: Youth, coordinator: User
) -> None:
    day = TWELVE - datetime.timedelta(days=2)
    while day <= BIRTHDAY + datetime.timedelta(days=2):
        _run(day)
        day += datetime.timedelta(days=1)
    sent = _sent(youth)
    assert Counter(recipient for recipient, _months in sent) == {
        people.follower.pk: 4,
        coordinator.pk: 4,
        people.leader.pk: 4,
    }
    assert [months for recipient, months in sent if recipient == people.leader.pk] == [12, 6, 3, 1]
    days = {
        int(n.key.split(":")[2]): n.created_at.astimezone(OSLO).date()
        for n in Notification.objects.filter(recipient=people.leader)
    }
    assert days == {12: TWELVE, 6: SIX, 3: THREE, 1: ONE}


def test_after_downtime_the_step_in_force_is_sent_and_the_missed_one_never(people: People, youth: Youth) -> None:
    assert _run(TWELVE) == 3
    # Nothing ran from before the 6-month day until after the 3-month day.
    assert _run(THREE + datetime.timedelta(days=4), 15) == 3
    assert {months for _recipient, months in _sent(youth)} == {12, 3}
    assert _run(THREE + datetime.timedelta(days=5)) == 0
    assert _run(SIX + datetime.timedelta(days=100)) == 0
    assert _run(ONE) == 3
    assert _run(ONE + datetime.timedelta(days=1)) == 0
    assert [months for recipient, months in _sent(youth) if recipient == people.follower.pk] == [12, 3, 1]


def test_a_closed_follow_up_and_a_youth_past_the_birthday_get_no_alert(people: People, youth: Youth) -> None:
    assert _run(BIRTHDAY) == 0
    assert _run(BIRTHDAY + datetime.timedelta(days=40)) == 0
    FollowUp.objects.filter(youth=youth).update(
        state=FollowUp.State.CLOSED,
        closing_reason=FollowUp.ClosingReason.MOVED,
        closing_summary="Flyttet til Bergen.",
        ended_on=datetime.date(2027, 8, 10),
    )
    assert _run(TWELVE) == 0
    assert _run(ONE) == 0
    assert not Notification.objects.exists()


def test_a_corrected_date_of_birth_alerts_again(people: People, youth: Youth) -> None:
    assert _run(THREE) == 3
    Youth.objects.filter(pk=youth.pk).update(birth_date=BORN + datetime.timedelta(days=1))
    assert _run(THREE + datetime.timedelta(days=1)) == 3
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"turning_18:{youth.pk}:3:2028-08-20", f"turning_18:{youth.pk}:3:2028-08-21"}


def test_inactive_people_and_people_without_e_mail_are_not_alerted_as_with_every_reminder(
    people: People, youth: Youth, coordinator: User
) -> None:
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    User.objects.filter(pk=people.leader.pk).update(email="")
    assert _run(TWELVE) == 1
    assert _sent(youth) == [(people.follower.pk, 12)]
    # Back in service: told the step in force, once.
    User.objects.filter(pk=coordinator.pk).update(is_active=True)
    assert _run(TWELVE + datetime.timedelta(days=1)) == 1
    assert _run(TWELVE + datetime.timedelta(days=2)) == 0


def test_without_a_team_the_follow_ups_follower_is_the_lead_and_one_person_is_told_once(
    people: People, coordinator: User
) -> None:
    StaffRoleFactory(unit=people.unit, role=StaffRole.Role.COORDINATOR, user=people.leader)
    with time_machine.travel(oslo(datetime.date(2027, 8, 1)), tick=False):
        youth = followed_youth(people.unit, lead=people.teammate, birth_date=BORN)
    assert _run(SIX) == 3
    events = AuditEvent.objects.filter(action="transition.alert_sent", youth_id=youth.pk)
    roles = {e.detail["recipient"]: e.detail["roles"] for e in events}
    assert roles == {
        people.teammate.pk: ["lead"],
        coordinator.pk: ["coordinator"],
        people.leader.pk: ["coordinator", "leader"],
    }
    # The team's lead is told once the team has one; while they cannot be told, the follower is.
    team_services.team_member_add(
        actor=people.leader,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.follower,
        unit=people.unit,
        role=TeamMember.Role.FOLLOWER,
        is_lead=True,
    )
    assert _run(THREE) == 3
    assert (people.follower.pk, 3) in _sent(youth)
    assert (people.teammate.pk, 3) not in _sent(youth)
    User.objects.filter(pk=people.follower.pk).update(is_active=False)
    assert _run(ONE) == 3
    assert (people.teammate.pk, 1) in _sent(youth)


def test_the_e_mail_does_not_name_the_youth(
    people: People, youth: Youth, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(oslo(SIX), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert alerts.turning_18_alerts_send().notifications == 3
    assert len(mail.outbox) == 3
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert f"/ungdommer/{youth.pk}/plan/#etter-18" in text
        for name in ("Søren", "Øvrebø", "20.8.2028"):
            assert name not in text


def test_the_alert_lists_the_unsettled_points_and_drops_a_settled_one(people: People, youth: Youth) -> None:
    housing = _nb(TransitionPoint.HOUSING.label)
    nav = _nb(TransitionPoint.NAV.label)
    assert _run(TWELVE) == 3
    note = Notification.objects.get(recipient=people.follower, key__contains=":12:")
    assert housing in note.body
    assert nav in note.body
    assert "0 av 7" in note.body
    with time_machine.travel(oslo(SIX - datetime.timedelta(days=3)), tick=False):
        services.transition_point_settle(
            actor=people.follower, youth=youth, point=TransitionPoint.HOUSING, how="Bor hos mor etter 18."
        )
    assert _run(SIX) == 3
    note = Notification.objects.get(recipient=people.leader, key__contains=":6:")
    assert housing not in note.body
    assert nav in note.body
    assert "1 av 7" in note.body
    assert "Bor hos mor" not in note.body
    # By the 6-month day the aftercare point is overdue, by the 3-month day five more.
    assert "1 punkt" in note.body
    assert _run(THREE) == 3
    note = Notification.objects.get(recipient=people.leader, key__contains=":3:")
    assert "5 punkter" in note.body


def _youths(people: People, count: int) -> list[Youth]:
    with time_machine.travel(oslo(datetime.date(2027, 8, 1)), tick=False):
        return [
            youth_with_team(people.unit, lead=people.follower, birth_date=BORN + datetime.timedelta(days=i))
            for i in range(count)
        ]


def _queries(today: datetime.date) -> tuple[int, int]:
    with time_machine.travel(oslo(today), tick=False), CaptureQueriesContext(connection) as reads:
        found = alerts.turning_18_alerts_due()
    with time_machine.travel(oslo(today), tick=False):
        alerts.turning_18_alerts_send()
    with time_machine.travel(oslo(today, 10), tick=False), CaptureQueriesContext(connection) as again:
        assert alerts.turning_18_alerts_send().notifications == 0
    assert len(found) > 0
    return len(reads), len(again)


def test_the_alerts_read_in_a_fixed_number_of_queries_for_two_or_six_youths(people: People, coordinator: User) -> None:
    _youths(people, 2)
    two = _queries(SIX + datetime.timedelta(days=8))
    Notification.objects.all().delete()
    _youths(people, 4)
    six = _queries(SIX + datetime.timedelta(days=8))
    assert two == six
    assert Notification.objects.filter(kind="turning_18").count() == 6 * 3
