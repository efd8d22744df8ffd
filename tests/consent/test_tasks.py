"""The consent reminders as Celery beat runs them: scheduled every working day, and each task
reaches the youth's lead follower once, however often it runs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from celery.schedules import crontab
from django.conf import settings

from consent import tasks
from consent.models import ConsentVersion
from core.models import Notification

from .conftest import TODAY, World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("task", ["consent.tasks.consents_lapsed_at_18", "consent.tasks.consents_expiring"])
def test_each_consent_reminder_is_on_the_beat_schedule_every_day(task: str) -> None:
    [entry] = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == task]
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_week == set(range(7))
    assert 7 in schedule.hour  # before the working day starts


def test_the_expiry_task_reaches_the_follower_once(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(datetime.date(2010, 1, 15))
    version = record(youth, valid_to=TODAY + datetime.timedelta(days=20))
    record(world.youth(datetime.date(2010, 1, 15)), valid_to=TODAY + datetime.timedelta(days=60))

    assert tasks.consents_expiring.delay().get() == 1
    assert tasks.consents_expiring.delay().get() == 0

    [sent] = Notification.objects.filter(kind="consent_expiring")
    assert (sent.recipient, sent.youth_id, sent.key) == (
        world.people.follower,
        youth.pk,
        f"consent_expiring:{version.pk}",
    )


def test_the_lapse_task_reaches_the_follower_once_after_the_18th_birthday(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 2, 20))  # turned 18 ten days ago
    version = record(youth, valid_from=datetime.date(2025, 9, 1))  # given by the guardians and the youth at 17
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15

    assert tasks.consents_lapsed_at_18.delay().get() == 1
    assert tasks.consents_lapsed_at_18.delay().get() == 0

    [sent] = Notification.objects.filter(kind="consent_lapsed_18")
    assert (sent.recipient, sent.youth_id) == (world.people.follower, youth.pk)
