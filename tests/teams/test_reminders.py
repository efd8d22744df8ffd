"""Reminders about meetings and action items, and the coordinators' weekly digest: each is made
exactly once however often, however late and however interrupted the task runs; a reminder
whose moment passed during an outage is sent when Laget is back; every reminder is recorded;
nothing that leaves Laget names the youth."""

from __future__ import annotations

import datetime
from email import message_from_bytes
from typing import Any

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction

from cases.models import Youth
from core.models import AuditEvent, Notification
from core.outbox import notification_deliver
from org.models import StaffRole
from teams import tasks
from teams.meetings import reminders
from teams.models import ActionItem, Meeting, MeetingParticipant

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, UserFactory
from .calendar_helpers import action_item, meeting, oslo

pytestmark = pytest.mark.django_db

MEETING_AT = oslo(2026, 3, 12, 14, 0)


@pytest.fixture
def youth(people: People) -> Youth:
    return followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berggrenseth")


@pytest.fixture
def team_meeting(people: People, youth: Youth) -> Meeting:
    with time_machine.travel(oslo(2026, 3, 1, 9, 0), tick=False):
        planned = meeting(
            people.unit,
            MEETING_AT,
            created_by=people.follower,
            youth=youth,
            staff=(people.follower, people.teammate),
            title="Lagmøte for Sara Berggrenseth",
            agenda="Sara Berggrenseth og skolen",
        )
        MeetingParticipant.objects.create(meeting=planned, kind=MeetingParticipant.Kind.YOUTH)
        MeetingParticipant.objects.create(
            meeting=planned, kind=MeetingParticipant.Kind.EXTERNAL, name="Trener Tor", email="tor@klubb.no"
        )
    return planned


@pytest.fixture
def coordinator(people: People) -> Any:
    return StaffRoleFactory(unit=people.unit, role=StaffRole.Role.COORDINATOR, user__full_name="Kari Koordinator").user


def _invitation(message: Any, method: str = "REQUEST") -> icalendar.Calendar:
    """The text/calendar part of a sent e-mail, parsed; its headers checked on the way."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    part = parts[0]
    assert part.get_param("method") == method
    assert part.get_filename() == "invitasjon.ics"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return icalendar.Calendar.from_ical(payload)


def test_the_beat_schedule_runs_the_reminders_and_the_settings_have_their_defaults() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks_scheduled = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert tasks_scheduled["teams.tasks.meeting_reminders"] == datetime.timedelta(minutes=15)
    assert tasks_scheduled["teams.tasks.meeting_changes"] == datetime.timedelta(minutes=15)
    assert tasks_scheduled["teams.tasks.action_item_reminders"] == datetime.timedelta(minutes=15)
    assert "teams.tasks.overdue_digest" in tasks_scheduled
    assert settings.LAGET_MEETING_REMINDER_HOURS == 24
    assert settings.LAGET_ACTION_ITEM_DUE_DAYS == 2


# --- Meetings ------------------------------------------------------------------------------


def test_a_meeting_is_reminded_once_to_its_staff_with_an_invitation_even_when_the_task_runs_twice(
    people: People, youth: Youth, team_meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        time_machine.travel(oslo(2026, 3, 11, 14, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.meeting_reminders.delay().get() == 2
        assert tasks.meeting_reminders.delay().get() == 0

    notifications = list(Notification.objects.filter(kind="meeting_reminder"))
    assert {n.recipient for n in notifications} == {people.follower, people.teammate}
    assert {n.key for n in notifications} == {f"meeting:{team_meeting.pk}:0:before"}
    for note in notifications:
        assert "14.00" in note.title
        assert "Berggrenseth" not in note.title + note.body
        assert note.url == f"/moter/{team_meeting.pk}/"
        assert note.youth_id == youth.pk
        assert note.emailed_at is not None
    # Each reminder is recorded in the audit trail too, as sent by the system.
    events = AuditEvent.objects.filter(action="meeting.reminder_sent")
    assert {e.detail["recipient"] for e in events} == {people.follower.pk, people.teammate.pk}
    assert all(e.actor_id is None and e.youth_id == youth.pk for e in events)

    # One e-mail per person; the youth, the guardians and external people get none.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.follower.email, people.teammate.email])
    for message in mail.outbox:
        text = message.message().as_string()
        assert "Berggrenseth" not in text
        assert "Sara" not in text
        cal = _invitation(message)
        assert str(cal["method"]) == "REQUEST"
        event = cal.walk("VEVENT")[0]
        assert str(event["uid"]) == f"{team_meeting.uid}@laget"
        assert int(str(event["sequence"])) == 0
        assert event.decoded("dtstart") == MEETING_AT
        assert event.decoded("dtstart").utcoffset() == datetime.timedelta(0)
        assert "Berggrenseth" not in cal.to_ical().decode()
        assert str(event["summary"]).endswith("(Laget)")
        attendees = event.get("attendee")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [f"mailto:{message.to[0]}"]  # only the person themselves


def test_a_meeting_more_than_a_day_ahead_is_not_reminded_yet(team_meeting: Meeting) -> None:
    with time_machine.travel(oslo(2026, 3, 11, 13, 50), tick=False):
        run = reminders.meeting_reminders_send()
    assert run.notifications == 0
    assert not Notification.objects.exists()


def test_after_downtime_a_meeting_not_yet_started_is_still_reminded_and_one_that_started_is_not(
    people: People, youth: Youth, team_meeting: Meeting
) -> None:
    later = meeting(
        people.unit, oslo(2026, 3, 12, 9, 0), created_by=people.follower, youth=youth, staff=(people.leader,)
    )
    # Beat, the worker and Redis were down from before 9.00 the day before until 10.00 on the day.
    with time_machine.travel(oslo(2026, 3, 12, 10, 0), tick=False):
        run = tasks.meeting_reminders.delay().get()
    assert run == 2
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"meeting:{team_meeting.pk}:0:before"}
    assert not Notification.objects.filter(key__startswith=f"meeting:{later.pk}:").exists()


def test_a_worker_that_dies_halfway_is_redelivered_and_sends_only_what_was_left(
    people: People, team_meeting: Meeting, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from core import notifications

    real_notify = notifications.notify
    calls = {"n": 0}

    def dies_on_the_second(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker lost")
        return real_notify(**kwargs)

    with time_machine.travel(oslo(2026, 3, 11, 20, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        monkeypatch.setattr(notifications, "notify", dies_on_the_second)
        with pytest.raises(SystemExit):
            reminders.meeting_reminders_send()
        assert Notification.objects.count() == 1  # the first reminder was committed before the crash
        monkeypatch.setattr(notifications, "notify", real_notify)
        # acks_late: the broker gives the task to a worker again, and again (beat's next run).
        assert tasks.meeting_reminders.delay().get() == 1
        assert tasks.meeting_reminders.delay().get() == 0
    assert Notification.objects.count() == 2
    assert AuditEvent.objects.filter(action="meeting.reminder_sent").count() == 2
    assert len(mail.outbox) == 2
    # The e-mail task redelivered after sending does not send again.
    note = Notification.objects.first()
    assert note is not None
    assert notification_deliver(notification_id=note.pk) is False
    assert len(mail.outbox) == 2


def test_a_moved_meeting_is_reminded_again_with_a_higher_sequence(
    people: People, team_meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(oslo(2026, 3, 11, 14, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        reminders.meeting_reminders_send()
    Meeting.objects.filter(pk=team_meeting.pk).update(
        starts_at=oslo(2026, 3, 12, 15, 0), ends_at=oslo(2026, 3, 12, 16, 0), sequence=1
    )
    mail.outbox.clear()
    with time_machine.travel(oslo(2026, 3, 11, 16, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        run = reminders.meeting_reminders_send()
    assert run.notifications == 2
    assert Notification.objects.filter(key=f"meeting:{team_meeting.pk}:1:before").count() == 2
    event = _invitation(mail.outbox[0]).walk("VEVENT")[0]
    assert int(str(event["sequence"])) == 1
    assert str(event["uid"]) == f"{team_meeting.uid}@laget"
    assert event.decoded("dtstart") == oslo(2026, 3, 12, 15, 0)


def test_cancelled_meetings_and_people_without_e_mail_or_no_longer_active_are_not_reminded(
    people: People, youth: Youth, team_meeting: Meeting
) -> None:
    people.teammate.is_active = False
    people.teammate.save()
    silent = UserFactory(email="")
    MeetingParticipant.objects.create(meeting=team_meeting, kind="staff", user=silent, unit=people.unit)
    meeting(
        people.unit,
        oslo(2026, 3, 12, 8, 0),
        created_by=people.follower,
        youth=youth,
        staff=(people.leader,),
        state=Meeting.State.CANCELLED,
    )
    with time_machine.travel(oslo(2026, 3, 11, 20, 0), tick=False):
        run = reminders.meeting_reminders_send()
    assert run.notifications == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [people.follower.pk]


def test_two_runs_at_once_remind_once(people: People, team_meeting: Meeting, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second run that finds the reminder already stored (it computed before the first one
    committed) does not store or audit it again: (recipient, key) is unique."""
    with time_machine.travel(oslo(2026, 3, 11, 20, 0), tick=False):
        reminders.meeting_reminders_send()
        # The second run's check for earlier reminders saw none (a race): it goes on to notify.
        monkeypatch.setattr(reminders, "_already", lambda keys: set())
        with transaction.atomic():
            run = reminders.meeting_reminders_send()
    assert run.notifications == 0
    assert Notification.objects.count() == 2
    assert AuditEvent.objects.filter(action="meeting.reminder_sent").count() == 2


def test_a_meeting_cancelled_after_its_invitation_went_out_is_cancelled_in_the_calendars_once(
    people: People, youth: Youth, team_meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    never_invited = meeting(people.unit, oslo(2026, 3, 20, 9, 0), created_by=people.follower, youth=youth)
    MeetingParticipant.objects.create(meeting=never_invited, kind="staff", user=people.leader, unit=people.unit)
    with time_machine.travel(oslo(2026, 3, 11, 14, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        reminders.meeting_reminders_send()
    Meeting.objects.filter(pk__in=[team_meeting.pk, never_invited.pk]).update(state=Meeting.State.CANCELLED, sequence=1)
    mail.outbox.clear()
    with time_machine.travel(oslo(2026, 3, 11, 18, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.meeting_changes.delay().get() == 2
        assert tasks.meeting_changes.delay().get() == 0
    notes = Notification.objects.filter(kind="meeting_cancelled")
    assert {n.recipient for n in notes} == {people.follower, people.teammate}
    assert {n.key for n in notes} == {f"meeting:{team_meeting.pk}:cancelled"}
    assert AuditEvent.objects.filter(action="meeting.change_sent").count() == 2
    assert len(mail.outbox) == 2
    cal = _invitation(mail.outbox[0], method="CANCEL")
    assert str(cal["method"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == f"{team_meeting.uid}@laget"
    assert int(str(event["sequence"])) == 1
    assert str(event["status"]) == "CANCELLED"
    assert "Berggrenseth" not in cal.to_ical().decode()


def test_a_meeting_moved_beyond_the_reminder_window_updates_the_invitation_once(
    people: People, team_meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(oslo(2026, 3, 11, 14, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        reminders.meeting_reminders_send()
    Meeting.objects.filter(pk=team_meeting.pk).update(
        starts_at=oslo(2026, 3, 19, 14, 0), ends_at=oslo(2026, 3, 19, 15, 0), sequence=1
    )
    mail.outbox.clear()
    with time_machine.travel(oslo(2026, 3, 11, 18, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reminders.meeting_changes_send().notifications == 2
        assert reminders.meeting_changes_send().notifications == 0
        assert reminders.meeting_reminders_send().notifications == 0  # not in the window yet
    assert Notification.objects.filter(key=f"meeting:{team_meeting.pk}:1:changed").count() == 2
    event = _invitation(mail.outbox[0]).walk("VEVENT")[0]
    assert int(str(event["sequence"])) == 1
    assert event.decoded("dtstart") == oslo(2026, 3, 19, 14, 0)
    # A day before the new time, the ordinary reminder comes with the same sequence.
    with time_machine.travel(oslo(2026, 3, 18, 15, 0), tick=False):
        assert reminders.meeting_reminders_send().notifications == 2
        assert reminders.meeting_changes_send().notifications == 0


def test_a_meeting_moved_within_the_window_gets_the_reminder_and_no_separate_update(
    people: People, team_meeting: Meeting
) -> None:
    with time_machine.travel(oslo(2026, 3, 11, 14, 30), tick=False):
        reminders.meeting_reminders_send()
    Meeting.objects.filter(pk=team_meeting.pk).update(
        starts_at=oslo(2026, 3, 12, 9, 0), ends_at=oslo(2026, 3, 12, 10, 0), sequence=1
    )
    with time_machine.travel(oslo(2026, 3, 11, 15, 0), tick=False):
        assert reminders.meeting_changes_send().notifications == 0
        assert reminders.meeting_reminders_send().notifications == 2
    assert not Notification.objects.filter(kind="meeting_changed").exists()


# --- Action items --------------------------------------------------------------------------


def test_an_action_item_due_in_two_days_is_reminded_once_to_its_owner(
    people: People, team_meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    item = action_item(team_meeting, datetime.date(2026, 3, 20), owner=people.teammate)
    action_item(team_meeting, datetime.date(2026, 3, 21), owner=people.follower)  # three days ahead
    with time_machine.travel(oslo(2026, 3, 18, 7, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.action_item_reminders.delay().get() == 1
        assert tasks.action_item_reminders.delay().get() == 0
    note = Notification.objects.get()
    assert note.recipient == people.teammate
    assert note.key == f"action_item:{item.pk}:due:2026-03-20"
    assert note.kind == "action_item_due"
    assert "Ringe skolen om fraværet" in note.body
    assert note.url == f"/moter/{team_meeting.pk}/"
    assert AuditEvent.objects.filter(action="action_item.reminder_sent", object_id=str(item.pk)).count() == 1
    assert [m.to for m in mail.outbox] == [[people.teammate.email]]
    assert "Ringe skolen" not in mail.outbox[0].body
    assert not mail.outbox[0].attachments


def test_after_downtime_an_item_past_its_due_date_is_told_overdue_once(people: People, team_meeting: Meeting) -> None:
    item = action_item(team_meeting, datetime.date(2026, 3, 20), owner=people.teammate)
    # Nothing ran between 17 and 23 March.
    with time_machine.travel(oslo(2026, 3, 23, 8, 0), tick=False):
        first = reminders.action_item_reminders_send()
        again = reminders.action_item_reminders_send()
    assert (first.due, first.overdue, first.notifications) == (0, 1, 1)
    assert again.notifications == 0
    note = Notification.objects.get()
    assert note.key == f"action_item:{item.pk}:overdue:2026-03-20"
    assert note.kind == "action_item_overdue"


def test_an_item_is_reminded_before_and_after_its_due_date_and_again_for_a_new_due_date(
    people: People, team_meeting: Meeting
) -> None:
    item = action_item(team_meeting, datetime.date(2026, 3, 20), owner=people.teammate)
    for day in (18, 19, 20, 21, 22):
        with time_machine.travel(oslo(2026, 3, day, 8, 0), tick=False):
            reminders.action_item_reminders_send()
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        f"action_item:{item.pk}:due:2026-03-20",
        f"action_item:{item.pk}:overdue:2026-03-20",
    ]
    ActionItem.objects.filter(pk=item.pk).update(due_on=datetime.date(2026, 3, 24))
    with time_machine.travel(oslo(2026, 3, 23, 8, 0), tick=False):
        reminders.action_item_reminders_send()
    assert Notification.objects.filter(key=f"action_item:{item.pk}:due:2026-03-24").exists()


def test_done_items_and_items_owned_outside_laget_get_no_owner_reminder(people: People, team_meeting: Meeting) -> None:
    action_item(
        team_meeting,
        datetime.date(2026, 3, 20),
        owner=people.teammate,
        status=ActionItem.Status.DONE,
        done_note="Ringte.",
        done_at=oslo(2026, 3, 19, 12, 0),
    )
    action_item(team_meeting, datetime.date(2026, 3, 20), owner_name="Sara selv")
    with time_machine.travel(oslo(2026, 3, 23, 8, 0), tick=False):
        run = reminders.action_item_reminders_send()
    assert run.notifications == 0
    assert not Notification.objects.exists()


# --- The weekly digest ---------------------------------------------------------------------


def test_the_coordinator_gets_one_digest_a_week_and_a_missed_monday_is_caught_up_on_tuesday(
    people: People, team_meeting: Meeting, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    action_item(team_meeting, datetime.date(2026, 3, 13), owner=people.teammate)
    action_item(team_meeting, datetime.date(2026, 3, 18), owner_name="Sara selv")
    action_item(team_meeting, datetime.date(2026, 3, 30), owner=people.follower)  # not overdue
    # Monday 23 March: nothing ran (Redis was down). Tuesday:
    with time_machine.travel(oslo(2026, 3, 24, 7, 20), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.overdue_digest.delay().get() == 1
    with time_machine.travel(oslo(2026, 3, 25, 7, 20), tick=False):
        assert tasks.overdue_digest.delay().get() == 0
    note = Notification.objects.get(kind="overdue_digest")
    assert note.recipient == coordinator
    assert note.key == f"digest:{people.unit.pk}:2026-W13"
    assert note.title.startswith("2 ")
    assert "13.3.2026" in note.body
    assert "18.3.2026" in note.body
    assert people.teammate.full_name in note.body
    assert "Sara" not in note.body
    assert "Berggrenseth" not in note.body
    assert "Ringe" not in note.body
    assert AuditEvent.objects.filter(action="action_item.digest_sent", detail__recipient=coordinator.pk).count() == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    # The next week brings the next digest.
    with time_machine.travel(oslo(2026, 3, 30, 7, 20), tick=False):
        assert reminders.overdue_digest_send().notifications == 1
    assert Notification.objects.filter(key=f"digest:{people.unit.pk}:2026-W14").count() == 1


def test_the_digest_goes_to_the_coordinators_of_the_unit_that_organised_the_meeting(
    people: People, youth: Youth, coordinator: Any
) -> None:
    elsewhere = StaffRoleFactory(unit=people.other_unit, role=StaffRole.Role.COORDINATOR).user
    other = meeting(people.other_unit, oslo(2026, 3, 2, 10, 0), created_by=people.outsider, youth=youth)
    action_item(other, datetime.date(2026, 3, 10), owner=people.outsider)
    with time_machine.travel(oslo(2026, 3, 16, 8, 0), tick=False):
        run = reminders.overdue_digest_send()
    assert run.notifications == 1
    assert Notification.objects.get().recipient == elsewhere
    assert not Notification.objects.filter(recipient=coordinator).exists()


def test_a_unit_without_overdue_items_gets_no_digest(people: People, team_meeting: Meeting, coordinator: Any) -> None:
    action_item(team_meeting, datetime.date(2026, 3, 20), owner=people.teammate)
    with time_machine.travel(oslo(2026, 3, 16, 8, 0), tick=False):
        assert reminders.overdue_digest_send().notifications == 0
    assert not Notification.objects.exists()
