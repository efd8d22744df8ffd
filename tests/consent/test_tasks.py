"""The consent reminders as Celery beat runs them: scheduled every working day, and each task
reaches the youth's lead follower once, however often it runs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from cases.models import FollowUpAssignment, Youth
from consent import services, tasks
from consent.models import ConsentVersion
from core.models import Notification, User
from org.models import StaffRole

from ..factories import StaffRoleFactory
from .conftest import OSLO, TODAY, World

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
    with time_machine.travel(datetime.datetime(2025, 9, 1, 12, 0, tzinfo=OSLO), tick=False):
        version = record(youth, valid_from=datetime.date(2025, 9, 1))  # given by the guardians and the youth at 17
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15

    assert tasks.consents_lapsed_at_18.delay().get() == 1
    assert tasks.consents_lapsed_at_18.delay().get() == 0

    [sent] = Notification.objects.filter(kind="consent_lapsed_18")
    assert (sent.recipient, sent.youth_id) == (world.people.follower, youth.pk)


# --- before the 18th birthday, whoever answers for the youth, and the link ------------------


def test_the_lapse_task_warns_the_follower_once_within_30_days_before_the_18th_birthday(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 3, 20))  # 18 in 18 days
    version = record(youth)  # the guardians' and the youth's consent, running past the birthday
    record(world.youth(datetime.date(2008, 4, 15)))  # 18 in 44 days: not yet
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15

    assert tasks.consents_lapsed_at_18.delay().get() == 1
    assert tasks.consents_lapsed_at_18.delay().get() == 0

    [sent] = Notification.objects.filter(kind="consent_lapsing_18")
    assert (sent.recipient, sent.youth_id, sent.key) == (
        world.people.follower,
        youth.pk,
        f"consent_lapsing_18:{version.consent_id}",
    )
    assert "20.03.2026" in sent.title
    assert "own consent" in sent.body
    assert sent.url == f"/samtykke/{youth.pk}/"


def test_no_warning_before_18_for_a_consent_that_ends_before_the_birthday(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 3, 20))
    record(youth, valid_to=datetime.date(2026, 3, 15))
    assert services.consents_lapsing_at_18_notify(today=TODAY) == 0


def test_the_warning_before_18_and_the_notice_after_are_each_sent_once(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 3, 20))
    record(youth)
    assert services.consents_lapsing_at_18_notify(today=TODAY) == 1
    assert services.consents_lapse_at_18(today=TODAY) == 0
    assert services.consents_lapsing_at_18_notify(today=datetime.date(2026, 3, 19)) == 0
    assert services.consents_lapse_at_18(today=datetime.date(2026, 3, 20)) == 1
    assert sorted(Notification.objects.values_list("kind", flat=True)) == ["consent_lapsed_18", "consent_lapsing_18"]


def _without_lead(youth: Youth) -> None:
    FollowUpAssignment.objects.filter(followup__youth=youth, role="lead").update(ends_on=TODAY)


def test_without_a_lead_follower_the_units_coordinators_and_leaders_are_reminded_once(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    coordinator = StaffRoleFactory(unit=world.people.unit, role=StaffRole.Role.COORDINATOR).user
    StaffRoleFactory(unit=world.people.other_unit, role=StaffRole.Role.COORDINATOR)  # another unit
    youth = world.youth(datetime.date(2010, 1, 15))
    record(youth, valid_to=TODAY + datetime.timedelta(days=20))
    _without_lead(youth)

    assert tasks.consents_expiring.delay().get() == 2
    assert tasks.consents_expiring.delay().get() == 0

    sent = Notification.objects.filter(kind="consent_expiring")
    assert {n.recipient for n in sent} == {coordinator, world.people.leader}
    assert {n.url for n in sent} == {f"/samtykke/{youth.pk}/"}


def test_a_lead_follower_no_longer_active_does_not_swallow_the_reminder(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 3, 20))
    record(youth)
    User.objects.filter(pk=world.people.follower.pk).update(is_active=False)

    assert services.consents_lapsing_at_18_notify(today=TODAY) == 1
    [sent] = Notification.objects.filter(kind="consent_lapsing_18")
    assert sent.recipient == world.people.leader


def test_the_expiry_reminder_links_to_the_youths_consents(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(datetime.date(2010, 1, 15))
    record(youth, valid_to=TODAY + datetime.timedelta(days=10))
    services.consents_expiring_notify(today=TODAY)
    [sent] = Notification.objects.filter(kind="consent_expiring")
    assert sent.url == reverse("consent:consent_list", args=[youth.pk])
