"""Reminding the lead to review a youth's plan (issue 13, point 4): two weeks before and once when
overdue, exactly once per key however often beat runs, catch-up after downtime from the data and
the clock, a new date reminded again, and nothing in the notification that names the youth."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from cases.models import FollowUp, Youth
from core.dates import OSLO
from core.models import AuditEvent, Notification
from teams import tasks
from teams.models import Plan, PlanArea
from teams.plans import reminders, services

from ...conftest import People
from ..factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def oslo(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def youth(people: People) -> Iterator[Youth]:
    with time_machine.travel(oslo(2026, 1, 5, 10, 0), tick=False):
        yield youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")


@pytest.fixture
def plan(people: People, youth: Youth) -> Plan:
    """A plan made on 5 January 2026 with one goal: its review falls on 5 April 2026."""
    with time_machine.travel(oslo(2026, 1, 5, 10, 0), tick=False):
        plan = services.plan_get_or_create(actor=people.follower, youth=youth)
        services.plan_goal_add(
            actor=people.follower, plan=plan, area=PlanArea.objects.get(code="school"), in_own_words="Møte opp"
        )
    plan.refresh_from_db()
    assert plan.next_review_on == datetime.date(2026, 4, 5)
    return plan


def _run(at: datetime.datetime, capture: Any) -> int:
    with time_machine.travel(at, tick=False), capture(execute=True):
        return int(tasks.plan_review_reminders.delay().get())


def test_beat_runs_the_plan_review_reminders_and_the_settings_have_their_defaults() -> None:
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "teams.tasks.plan_review_reminders" in tasks_scheduled
    assert settings.LAGET_PLAN_REVIEW_MONTHS == 3
    assert settings.LAGET_PLAN_REVIEW_REMINDER_DAYS == 14


def test_the_lead_is_reminded_two_weeks_before_and_once_overdue_exactly_once_each(
    people: People, youth: Youth, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    assert _run(oslo(2026, 3, 21, 9, 0), django_capture_on_commit_callbacks) == 0  # 15 days before
    assert _run(oslo(2026, 3, 22, 9, 0), django_capture_on_commit_callbacks) == 1  # 14 days before
    assert _run(oslo(2026, 3, 22, 10, 0), django_capture_on_commit_callbacks) == 0
    assert _run(oslo(2026, 4, 5, 9, 0), django_capture_on_commit_callbacks) == 0  # due today: told already
    assert _run(oslo(2026, 4, 6, 9, 0), django_capture_on_commit_callbacks) == 1  # overdue
    assert _run(oslo(2026, 4, 20, 9, 0), django_capture_on_commit_callbacks) == 0
    notes = list(Notification.objects.filter(recipient=people.follower).order_by("created_at"))
    assert [n.kind for n in notes] == ["plan_review_due", "plan_review_overdue"]
    assert [n.key for n in notes] == [
        f"plan_review:{plan.pk}:due:2026-04-05",
        f"plan_review:{plan.pk}:overdue:2026-04-05",
    ]
    for note in notes:
        assert "5.4.2026" in note.title
        assert "Søren" not in note.title + note.body
        assert "Øvrebø" not in note.title + note.body
        assert note.url == f"/ungdommer/{youth.pk}/plan/"
        assert note.youth_id == youth.pk
    assert AuditEvent.objects.filter(action="plan.review_reminder_sent", youth_id=youth.pk).count() == 2


def test_a_run_after_downtime_catches_up_with_the_overdue_reminder_only(
    people: People, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    assert _run(oslo(2026, 4, 9, 9, 0), django_capture_on_commit_callbacks) == 1
    assert list(Notification.objects.values_list("kind", flat=True)) == ["plan_review_overdue"]


def test_a_new_review_date_is_reminded_again_and_a_closed_follow_up_is_not(
    people: People, youth: Youth, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    assert _run(oslo(2026, 3, 25, 9, 0), django_capture_on_commit_callbacks) == 1
    with time_machine.travel(oslo(2026, 3, 26, 9, 0), tick=False):
        services.plan_review_set(actor=people.follower, plan=plan, next_review_on=datetime.date(2026, 4, 2))
    assert _run(oslo(2026, 3, 26, 10, 0), django_capture_on_commit_callbacks) == 1
    FollowUp.objects.filter(youth=youth).update(
        state=FollowUp.State.CLOSED,
        closing_reason=FollowUp.ClosingReason.MOVED,
        closing_summary="Flyttet til Bergen.",
        ended_on=datetime.date(2026, 3, 27),
    )
    assert _run(oslo(2026, 4, 10, 9, 0), django_capture_on_commit_callbacks) == 0
    assert reminders.plans_due_for_review(today=datetime.date(2026, 4, 10)) == []
