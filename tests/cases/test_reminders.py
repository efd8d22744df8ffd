"""Reminders: reporting duty (meldeplikt), no contact for 14 days, outcome measures due, and
expired drafts. Each is made once, however often and however late the task runs."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from cases import reminders, tasks
from cases.models import ContactDraft, JusticeStep, OutcomeMeasure, ReportingDate
from core.models import AuditEvent, Notification

from ..conftest import People
from .helpers_records import contact_at, followup_for, oslo

pytestmark = pytest.mark.django_db


def _reporting_date(people: People, followup, due: datetime.datetime, place: str = "Grønland") -> ReportingDate:
    step = JusticeStep.objects.create(
        youth=followup.youth,
        kind=JusticeStep.Kind.REPORTING_DUTY,
        starts_on=datetime.date(2026, 3, 1),
        registered_by=people.follower,
    )
    return ReportingDate.objects.create(step=step, due_at=due, place=place)


@pytest.fixture
def followup(people: People):
    return followup_for(people.unit, lead=people.follower, family=people.teammate)


def test_beat_runs_every_reminder() -> None:
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "cases.tasks.reporting_reminders",
        "cases.tasks.no_contact_check",
        "cases.tasks.outcome_reminders",
        "cases.tasks.drafts_expire",
    } <= tasks_scheduled
    schedule = settings.CELERY_BEAT_SCHEDULE["cases-reporting-reminders"]["schedule"]
    assert schedule == datetime.timedelta(minutes=15)


# --- Reporting duty ----------------------------------------------------------------------


def test_a_reporting_date_is_reminded_once_to_both_followers_even_when_the_task_runs_twice(
    people: People,
    followup,
    django_capture_on_commit_callbacks,
) -> None:
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        date = _reporting_date(people, followup, oslo(2026, 3, 11, 14, 0))
    with (
        time_machine.travel(oslo(2026, 3, 10, 14, 15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.reporting_reminders.delay().get() == 2
        assert tasks.reporting_reminders.delay().get() == 0
    notifications = Notification.objects.filter(kind="reporting_duty").order_by("recipient_id")
    assert {n.recipient for n in notifications} == {people.follower, people.teammate}
    assert {n.key for n in notifications} == {f"reporting:{date.pk}"}
    note = notifications[0]
    assert note.youth_id == followup.youth_id
    assert note.url == f"/ungdommer/{followup.youth_id}/"
    assert "14.00" in note.title
    assert str(followup.youth) in note.title
    date.refresh_from_db()
    assert date.reminded_at == oslo(2026, 3, 10, 14, 15)
    # The e-mail goes out once per person, however often the task ran.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.follower.email, people.teammate.email])
    # E-mail leaves the municipality: it names nobody, and links to Laget behind sign-in.
    for message in mail.outbox:
        assert followup.youth.last_name not in str(message.subject) + str(message.body)
        assert message.subject == "Laget: du har en ny påminnelse"
        assert f"/ungdommer/{followup.youth_id}/" in message.body
    assert not AuditEvent.objects.filter(action__startswith="reminder").exists()


def test_a_reporting_date_far_ahead_is_not_reminded_yet(people: People, followup) -> None:
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        date = _reporting_date(people, followup, oslo(2026, 3, 12, 14, 0))
    with time_machine.travel(oslo(2026, 3, 10, 14, 15), tick=False):
        run = reminders.reporting_reminders_send()
    assert run.notifications == 0
    assert not Notification.objects.exists()
    date.refresh_from_db()
    assert date.reminded_at is None


def test_after_downtime_a_date_not_yet_passed_is_still_reminded(people: People, followup) -> None:
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        date = _reporting_date(people, followup, oslo(2026, 3, 11, 14, 0))
    # The workers were down from before 14.00 the day before until 10.00 on the day.
    with time_machine.travel(oslo(2026, 3, 11, 10, 0), tick=False):
        run = reminders.reporting_reminders_send()
    assert (run.reminded, run.missed, run.notifications) == (1, 0, 2)
    assert set(Notification.objects.values_list("kind", flat=True)) == {"reporting_duty"}
    assert all("14.00" in n.title for n in Notification.objects.all())
    date.refresh_from_db()
    assert date.reminded_at is not None


def test_after_downtime_past_the_date_the_followers_are_told_the_reminder_was_missed_once(
    people: People,
    followup,
) -> None:
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        _reporting_date(people, followup, oslo(2026, 3, 11, 14, 0))
    with time_machine.travel(oslo(2026, 3, 11, 16, 0), tick=False):
        run = reminders.reporting_reminders_send()
        again = reminders.reporting_reminders_send()
    assert (run.reminded, run.missed, run.notifications) == (0, 1, 2)
    assert again.notifications == 0
    assert set(Notification.objects.values_list("kind", flat=True)) == {"reporting_duty_missed"}
    assert Notification.objects.count() == 2


def test_a_date_registered_after_it_passed_is_not_reminded(people: People, followup) -> None:
    with time_machine.travel(oslo(2026, 3, 11, 16, 0), tick=False):
        date = _reporting_date(people, followup, oslo(2026, 3, 11, 14, 0))
        run = reminders.reporting_reminders_send()
    assert run.notifications == 0
    assert run.skipped == 1
    date.refresh_from_db()
    assert date.reminded_at is not None  # handled: not looked at again


def test_without_followers_the_units_leaders_are_reminded(people: People) -> None:
    followup = followup_for(people.unit, state="intake")
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        _reporting_date(people, followup, oslo(2026, 3, 11, 14, 0))
    with time_machine.travel(oslo(2026, 3, 10, 15, 0), tick=False):
        reminders.reporting_reminders_send()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [people.leader.pk]


@pytest.fixture
def committed_reporting_date(transactional_db: None, people: People) -> ReportingDate:
    followup = followup_for(people.unit, lead=people.follower, family=people.teammate)
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        date = _reporting_date(people, followup, oslo(2026, 3, 11, 14, 0))
    return date


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_remind_once(committed_reporting_date: ReportingDate) -> None:
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(reminders.reporting_reminders_send(now=oslo(2026, 3, 10, 14, 15)).notifications)
        except BaseException as exc:  # noqa: BLE001 (reported to the test below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(results) == [0, 2]
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_date_being_reminded_elsewhere_is_skipped_not_waited_for(committed_reporting_date: ReportingDate) -> None:
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic():
                ReportingDate.objects.select_for_update().get(pk=committed_reporting_date.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        assert reminders.reporting_reminders_send(now=oslo(2026, 3, 10, 14, 15)).notifications == 0
    finally:
        release.set()
        holder.join(timeout=30)
    assert reminders.reporting_reminders_send(now=oslo(2026, 3, 10, 14, 30)).notifications == 2


# --- No contact --------------------------------------------------------------------------


def _no_contact_keys() -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind="no_contact").values_list("recipient_id", "key"))


def test_fourteen_days_without_contact_is_told_to_follower_and_leader_once_per_silence(
    people: People,
    followup,
) -> None:
    youth = followup.youth
    contact_at(followup, people.follower, oslo(2026, 2, 1, 18, 0))
    with time_machine.travel(oslo(2026, 2, 14, 7, 0), tick=False):
        assert tasks.no_contact_check.delay().get() == 0  # 13 days
    with time_machine.travel(oslo(2026, 2, 15, 7, 0), tick=False):
        assert tasks.no_contact_check.delay().get() == 2
        assert tasks.no_contact_check.delay().get() == 0
    first_silence = f"no_contact:{youth.pk}:2026-02-01"
    assert _no_contact_keys() == sorted([(people.follower.pk, first_silence), (people.leader.pk, first_silence)])
    with time_machine.travel(oslo(2026, 2, 25, 7, 0), tick=False):
        assert reminders.no_contact_notify().notifications == 0  # the same silence
    # A new contact, then a new silence of 14 days: told again.
    contact_at(followup, people.teammate, oslo(2026, 2, 26, 12, 0))
    with time_machine.travel(oslo(2026, 3, 11, 7, 0), tick=False):
        assert reminders.no_contact_notify().notifications == 0
    with time_machine.travel(oslo(2026, 3, 12, 7, 0), tick=False):
        assert reminders.no_contact_notify().notifications == 2
    second_silence = f"no_contact:{youth.pk}:2026-02-26"
    assert {key for _, key in _no_contact_keys()} == {first_silence, second_silence}
    # The family follower is not told; the follower and the leader are.
    assert {recipient for recipient, _ in _no_contact_keys()} == {people.follower.pk, people.leader.pk}


def test_no_contact_counts_from_the_start_when_there_is_none(people: People) -> None:
    followup = followup_for(people.unit, lead=people.follower, started_on=datetime.date(2026, 3, 1))
    with time_machine.travel(oslo(2026, 3, 14, 7, 0), tick=False):
        assert reminders.no_contact_notify().notifications == 0
    with time_machine.travel(oslo(2026, 3, 15, 7, 0), tick=False):
        assert reminders.no_contact_notify().notifications == 2
    assert {key for _, key in _no_contact_keys()} == {f"no_contact:{followup.youth_id}:2026-03-01"}


def test_deleted_contacts_and_paused_follow_ups(people: People) -> None:
    active = followup_for(people.unit, lead=people.follower)
    paused = followup_for(people.unit, lead=people.follower, state="paused")
    contact_at(
        active, people.follower, oslo(2026, 3, 10, 12, 0), deleted_at=oslo(2026, 3, 10, 13, 0), delete_reason="x"
    )
    with time_machine.travel(oslo(2026, 3, 12, 7, 0), tick=False):
        reminders.no_contact_notify()
    youths = set(Notification.objects.values_list("youth_id", flat=True))
    assert youths == {active.youth_id}
    assert paused.youth_id not in youths


# --- Outcome measures --------------------------------------------------------------------


def test_an_outcome_measure_is_due_three_months_after_the_start(people: People, followup) -> None:
    # Started 5 January 2026 without a start measure: due 5 April.
    with time_machine.travel(oslo(2026, 4, 4, 7, 0), tick=False):
        assert tasks.outcome_reminders.delay().get() == 0
    with time_machine.travel(oslo(2026, 4, 5, 7, 0), tick=False):
        assert tasks.outcome_reminders.delay().get() == 1
        assert tasks.outcome_reminders.delay().get() == 0
    note = Notification.objects.get(kind="outcome_due")
    assert note.recipient == people.follower
    assert note.key == f"outcome:{followup.pk}:2026-04-05"
    assert note.url == f"/ungdommer/{followup.youth_id}/maling/ny/"


def test_outcome_measures_are_due_from_the_start_measure_and_met_by_a_recent_one(people: People, followup) -> None:
    OutcomeMeasure.objects.create(
        followup=followup,
        measured_on=datetime.date(2026, 1, 31),
        phase="start",
        substance_use="none",
        occupation="school",
        recorded_by=people.follower,
    )
    with time_machine.travel(oslo(2026, 4, 29, 7, 0), tick=False):
        assert reminders.outcome_reminders_send().notifications == 0
    with time_machine.travel(oslo(2026, 4, 30, 7, 0), tick=False):  # 31 January + 3 months
        assert reminders.outcome_reminders_send().notifications == 1
    OutcomeMeasure.objects.create(
        followup=followup,
        measured_on=datetime.date(2026, 5, 4),
        phase="quarterly",
        substance_use="none",
        occupation="school",
        recorded_by=people.follower,
    )
    with time_machine.travel(oslo(2026, 7, 30, 7, 0), tick=False):
        assert reminders.outcome_reminders_send().notifications == 0  # measured 4 May: not met for 31 July
    with time_machine.travel(oslo(2026, 7, 31, 7, 0), tick=False):
        assert reminders.outcome_reminders_send().notifications == 1
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        f"outcome:{followup.pk}:2026-04-30",
        f"outcome:{followup.pk}:2026-07-31",
    ]


def test_a_measure_shortly_before_the_due_date_counts(people: People, followup) -> None:
    OutcomeMeasure.objects.create(
        followup=followup,
        measured_on=datetime.date(2026, 3, 20),
        phase="quarterly",
        substance_use="none",
        occupation="school",
        recorded_by=people.follower,
    )
    with time_machine.travel(oslo(2026, 4, 6, 7, 0), tick=False):
        assert reminders.outcome_reminders_send().notifications == 0


@pytest.mark.parametrize(
    ("base", "today", "due"),
    [
        (datetime.date(2026, 1, 5), datetime.date(2026, 4, 4), None),
        (datetime.date(2026, 1, 5), datetime.date(2026, 4, 5), datetime.date(2026, 4, 5)),
        (datetime.date(2026, 1, 5), datetime.date(2026, 10, 1), datetime.date(2026, 7, 5)),
        (datetime.date(2025, 11, 30), datetime.date(2026, 2, 28), datetime.date(2026, 2, 28)),
        (datetime.date(2025, 11, 30), datetime.date(2026, 2, 27), None),
    ],
)
def test_outcome_due_dates(base: datetime.date, today: datetime.date, due: datetime.date | None) -> None:
    assert reminders.outcome_due_on(base=base, today=today, interval=3) == due


# --- Drafts ------------------------------------------------------------------------------


def test_drafts_expire_after_seven_days(people: People) -> None:
    import uuid

    with time_machine.travel(oslo(2026, 3, 1, 12, 0), tick=False):
        old = ContactDraft.objects.create(owner=people.follower, key=uuid.uuid4(), data={"text": "Gammelt"})
    with time_machine.travel(oslo(2026, 3, 3, 12, 0), tick=False):
        recent = ContactDraft.objects.create(owner=people.follower, key=uuid.uuid4(), data={"text": "Nytt"})
    with time_machine.travel(oslo(2026, 3, 9, 12, 0), tick=False):
        assert tasks.drafts_expire.delay().get() == 1
        assert tasks.drafts_expire.delay().get() == 0
    assert list(ContactDraft.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ContactDraft.objects.filter(pk=old.pk).exists()


# --- The notifications page --------------------------------------------------------------


def _note(recipient, key: str, *, read: bool = False, at: datetime.datetime | None = None) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind="no_contact",
        key=key,
        title=f"Varsel {key}",
        url="/ungdommer/1/",
        created_at=at or oslo(2026, 3, 10, 7, 0),
        read_at=oslo(2026, 3, 10, 8, 0) if read else None,
    )


def test_the_notifications_page_needs_sign_in(client) -> None:
    response = client.get("/varsler/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


def test_the_notifications_page_shows_ones_own_unread_first(as_user, people: People) -> None:
    read_newest = _note(people.follower, "a", read=True, at=oslo(2026, 3, 12, 7, 0))
    unread_old = _note(people.follower, "b", at=oslo(2026, 3, 1, 7, 0))
    unread_new = _note(people.follower, "c", at=oslo(2026, 3, 5, 7, 0))
    _note(people.leader, "d")
    response = as_user(people.follower).get("/varsler/")
    assert response.status_code == 200
    assert "core/notification_list.html" in [t.name for t in response.templates]
    assert list(response.context["page"]) == [unread_new, unread_old, read_newest]
    assert response.context["unread"] == 2
    assert "Varsel d" not in response.content.decode()


def test_a_notification_is_marked_as_read_with_htmx_and_without(as_user, people: People) -> None:
    first, second = _note(people.follower, "a"), _note(people.follower, "b")
    others = _note(people.leader, "c")
    client = as_user(people.follower)
    response = client.post("/varsler/", {"id": first.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["unread"] == 1
    first.refresh_from_db()
    assert first.read_at is not None
    # Someone else's notification cannot be touched.
    assert client.post("/varsler/", {"id": others.pk}).status_code == 302
    others.refresh_from_db()
    assert others.read_at is None
    assert client.post("/varsler/", {"id": "abc"}).status_code == 400
    assert client.post("/varsler/", {"all": "1"}).status_code == 302
    second.refresh_from_db()
    assert second.read_at is not None
