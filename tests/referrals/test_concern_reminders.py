"""Concern report reminders (referrals.concerns.reminders), the deadline lists and the handover
gaps (referrals.concerns.selectors): the right people, on the right day, once."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core.models import AuditEvent, Notification
from referrals.concerns import reminders as concern_reminders
from referrals.concerns import selectors as concern_selectors
from referrals.concerns.services import (
    concern_report_assign,
    concern_report_conclude,
    concern_report_extend_investigation,
    concern_report_feedback_sent,
    concern_report_open_investigation,
)
from referrals.models import ConcernReport, ConcernReportEvent

from .test_concern_services import Barnevern, make_barnevern, receive


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Rules are asserted on the English source messages, whatever the catalogue holds (pages and
    API answers are in bokmål through the middleware whatever is active here)."""
    with translation.override("en"):
        yield


OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date


@pytest.fixture
def bv(db: None) -> Barnevern:
    return make_barnevern()


def received_on(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=OSLO)


def notes(user: Any, kind: str = "concern_deadline") -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk").values_list("key", flat=True))


def assigned(bv: Barnevern, day: datetime.date, **overrides: Any) -> ConcernReport:
    report = receive(bv.caseworker, bv.unit, received_at=received_on(day), **overrides)
    return concern_report_assign(actor=bv.caseworker, report=report, caseworker=bv.caseworker)


# --- Review ------------------------------------------------------------------------------------


def test_the_caseworker_is_warned_on_day_five_once(bv: Barnevern) -> None:
    report = assigned(bv, D(2026, 3, 4))  # Wednesday: day 5 is Monday 9 March
    assert concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 8)).notifications == 0
    run = concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 9))
    assert run.notifications == 1
    assert notes(bv.caseworker) == [f"concern_report:{report.pk}:review:2026-03-11:warning"]
    assert notes(bv.leader) == []
    # Running again (twice the same day, or the next day) sends nothing more.
    assert concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 9)).notifications == 0
    assert concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 10)).notifications == 0
    assert AuditEvent.objects.filter(action="concern_report.reminder_sent", object_id=str(report.pk)).count() == 1


def test_an_unassigned_report_warns_the_units_leaders(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit, received_at=received_on(D(2026, 3, 4)))
    concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 9))
    assert notes(bv.leader) == [f"concern_report:{report.pk}:review:2026-03-11:warning"]
    assert notes(bv.outsider) == []


def test_an_overdue_review_reaches_the_caseworker_and_the_leaders_once(bv: Barnevern) -> None:
    report = assigned(bv, D(2026, 3, 4))
    concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 12))
    key = f"concern_report:{report.pk}:review:2026-03-11:overdue"
    assert notes(bv.caseworker) == [key]  # caught up late: overdue only, no stale warning
    assert notes(bv.leader) == [key]
    assert concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 13)).notifications == 0


def test_a_reviewed_report_is_not_reminded_of_its_review(bv: Barnevern) -> None:
    report = assigned(bv, D(2026, 3, 4))
    concern_report_open_investigation(actor=bv.caseworker, report=report, started_on=D(2026, 3, 5))
    concern_reminders.concern_deadline_reminders_send(today=D(2026, 3, 12))
    assert not [key for key in notes(bv.caseworker) if ":review:" in key]


# --- Investigation and feedback ----------------------------------------------------------------


def test_the_investigation_is_warned_two_weeks_before_and_again_after_an_extension(bv: Barnevern) -> None:
    report = assigned(bv, D(2025, 1, 10))
    # Received Friday 10 January, opened Tuesday 14 January: the 3 months run from receipt
    # (§ 2-2), due 10 April, warned from Thursday 27 March.
    concern_report_open_investigation(actor=bv.caseworker, report=report, started_on=D(2025, 1, 14))
    for which in ("receipt", "opening"):
        concern_report_feedback_sent(actor=bv.caseworker, report=report, which=which)
    concern_reminders.concern_deadline_reminders_send(today=D(2025, 3, 26))
    assert not [k for k in notes(bv.caseworker) if ":investigation:" in k]
    concern_reminders.concern_deadline_reminders_send(today=D(2025, 3, 27))
    assert [k for k in notes(bv.caseworker) if ":investigation:" in k] == [
        f"concern_report:{report.pk}:investigation:2025-04-10:warning"
    ]
    concern_report_extend_investigation(actor=bv.caseworker, report=report, reason="Venter på sakkyndig.")
    concern_reminders.concern_deadline_reminders_send(today=D(2025, 7, 1))
    assert [k for k in notes(bv.caseworker) if ":investigation:" in k][-1] == (
        f"concern_report:{report.pk}:investigation:2025-07-10:warning"
    )


def test_feedback_to_the_reporter_is_reminded_a_week_before_it_is_due(bv: Barnevern) -> None:
    report = assigned(bv, D(2026, 2, 10))  # receipt due 3 March, warning Tuesday 24 February
    concern_report_open_investigation(actor=bv.caseworker, report=report, started_on=D(2026, 2, 11))
    concern_reminders.concern_deadline_reminders_send(today=D(2026, 2, 24))
    assert sorted(notes(bv.caseworker)) == sorted(
        [
            f"concern_report:{report.pk}:receipt:2026-03-03:warning",
            f"concern_report:{report.pk}:opening_feedback:2026-03-03:warning",
        ]
    )
    title = Notification.objects.filter(recipient=bv.caseworker).first()
    assert title is not None
    assert "Barn" not in title.title
    assert "Barn" not in title.body


# --- Deadline lists ------------------------------------------------------------------------------


def test_the_deadline_list_holds_the_caseworkers_overdue_and_this_weeks_deadlines(bv: Barnevern) -> None:
    overdue = assigned(bv, D(2026, 3, 2))  # review due 9 March
    this_week = assigned(bv, D(2026, 3, 10))  # review due 17 March
    later = assigned(bv, D(2026, 3, 16))  # review due 23 March: next week
    listed = concern_selectors.deadline_list(user=bv.caseworker, today=D(2026, 3, 16))
    assert (listed.week_starts, listed.week_ends) == (D(2026, 3, 16), D(2026, 3, 22))
    assert [(row.report.pk, row.deadline.key) for row in listed.overdue] == [(overdue.pk, "review")]
    assert (this_week.pk, "review") in [(row.report.pk, row.deadline.key) for row in listed.this_week]
    assert later.pk not in [row.report.pk for row in listed.overdue + listed.this_week]


def test_a_leader_sees_the_units_deadlines_and_others_see_none(bv: Barnevern) -> None:
    report = assigned(bv, D(2026, 3, 2))
    assert report.pk in [
        row.report.pk for row in concern_selectors.deadline_list(user=bv.leader, today=D(2026, 3, 16)).overdue
    ]
    assert not concern_selectors.deadline_list(user=bv.colleague, today=D(2026, 3, 16))
    assert not concern_selectors.deadline_list(user=bv.outsider, today=D(2026, 3, 16))
    assert not concern_selectors.deadline_list(user=bv.school_contact, today=D(2026, 3, 16))


def test_the_deadline_list_takes_the_same_number_of_queries_for_many_reports(
    bv: Barnevern, django_assert_max_num_queries: Any
) -> None:
    for day in range(2, 12):
        assigned(bv, D(2026, 3, day))
    with django_assert_max_num_queries(2):
        listed = concern_selectors.deadline_list(user=bv.leader, today=D(2026, 3, 16))
        assert len(listed.overdue) >= 5
        for row in listed.overdue + listed.this_week:
            _ = (row.report.caseworker, row.report.unit, str(row.label))


# --- Handover gaps -------------------------------------------------------------------------------


def in_measures(bv: Barnevern, started: datetime.date) -> ConcernReport:
    report = assigned(bv, started - datetime.timedelta(days=60))
    concern_report_open_investigation(
        actor=bv.caseworker, report=report, started_on=started - datetime.timedelta(days=55)
    )
    return concern_report_conclude(
        actor=bv.caseworker,
        report=report,
        measures=True,
        conclusion="Hjelpetiltak i hjemmet.",
        contact_person=bv.measures_worker,
        concluded_on=started,
        measures_started_on=started,
    )


def test_a_child_without_activity_three_weeks_after_measures_started_is_flagged_once(bv: Barnevern) -> None:
    start = D(2026, 1, 5)
    report = in_measures(bv, start)
    assert concern_selectors.handover_gaps(unit=bv.unit, today=start + datetime.timedelta(days=20)) == []
    assert concern_selectors.handover_gaps(unit=bv.unit, today=start + datetime.timedelta(days=21)) == [report]
    assert concern_selectors.handover_gaps(unit=bv.other_unit, today=start + datetime.timedelta(days=21)) == []
    run = concern_reminders.handover_gaps_send(today=start + datetime.timedelta(days=21))
    assert run.reports == 1
    assert len(notes(bv.measures_worker, "concern_handover_gap")) == 1
    assert len(notes(bv.leader, "concern_handover_gap")) == 1
    assert concern_reminders.handover_gaps_send(today=start + datetime.timedelta(days=30)).notifications == 0
    assert (
        AuditEvent.objects.filter(action="concern_report.handover_gap_flagged", object_id=str(report.pk)).count() == 2
    )


def test_activity_by_the_new_contact_person_closes_the_gap(bv: Barnevern) -> None:
    start = D(2026, 1, 5)
    report = in_measures(bv, start)
    ConcernReportEvent.objects.create(
        report=report,
        action="handover_meeting",
        actor=bv.measures_worker,
        at=datetime.datetime.combine(start + datetime.timedelta(days=3), datetime.time(12), tzinfo=OSLO),
    )
    assert concern_selectors.handover_gaps(unit=bv.unit, today=start + datetime.timedelta(days=25)) == []
    assert concern_reminders.handover_gaps_send(today=start + datetime.timedelta(days=25)).notifications == 0


def test_activity_by_someone_else_does_not_close_the_gap(bv: Barnevern) -> None:
    start = D(2026, 1, 5)
    report = in_measures(bv, start)
    ConcernReportEvent.objects.create(
        report=report,
        action="note",
        actor=bv.caseworker,
        at=datetime.datetime.combine(start + datetime.timedelta(days=3), datetime.time(12), tzinfo=OSLO),
    )
    assert concern_selectors.handover_gaps(unit=bv.unit, today=start + datetime.timedelta(days=25)) == [report]


@pytest.mark.parametrize("days", [21, 40])
def test_handover_gaps_are_one_query(bv: Barnevern, days: int, django_assert_max_num_queries: Any) -> None:
    for offset in range(3):
        in_measures(bv, D(2026, 1, 5 + offset))
    with django_assert_max_num_queries(1):
        gaps = concern_selectors.handover_gaps(unit=bv.unit, today=D(2026, 1, 5) + datetime.timedelta(days=days))
        assert [gap.contact_person for gap in gaps]
