"""The clocks of a concern report (referrals.concerns.deadlines): Oslo calendar days, month ends, leap
days, summer time, and warnings moved off weekends and public holidays."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from referrals.concerns import deadlines
from referrals.concerns.deadlines import add_months, deadlines_for, is_working_day, oslo_date, week_of
from referrals.models import ConcernReport


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Rules are asserted on the English source messages, whatever the catalogue holds (pages and
    API answers are in bokmål through the middleware whatever is active here)."""
    with translation.override("en"):
        yield


OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
D = datetime.date


def report(**fields: object) -> ConcernReport:
    """An unsaved report: deadlines_for reads its fields only."""
    values: dict[str, object] = {
        "received_at": datetime.datetime(2026, 3, 2, 10, 0, tzinfo=OSLO),
        "reporter_kind": ConcernReport.ReporterKind.PUBLIC,
        "state": ConcernReport.State.RECEIVED,
    }
    values.update(fields)
    return ConcernReport(**values)


def by_key(items: list[deadlines.Deadline]) -> dict[str, deadlines.Deadline]:
    return {item.key: item for item in items}


# --- add_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 3, D(2026, 4, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # 2028 is a leap year
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2026, 10, 31), 6, D(2027, 4, 30)),
        (D(2028, 2, 29), 3, D(2028, 5, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 9, 30), 3, D(2026, 12, 30)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(
    start: datetime.date, months: int, expected: datetime.date
) -> None:
    assert add_months(start, months) == expected


# --- Oslo dates --------------------------------------------------------------------------------


def test_a_report_received_late_on_a_summer_evening_belongs_to_that_oslo_day() -> None:
    # 23:30 on 31 March 2026 in Oslo (summer time, UTC+2) is 21:30 UTC on 31 March.
    late = datetime.datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    assert oslo_date(late) == D(2026, 3, 31)
    # 00:30 on 1 April in Oslo is still 31 March in UTC: it is a 1 April report.
    early = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert oslo_date(early) == D(2026, 4, 1)
    found = by_key(deadlines_for(report(received_at=early), today=D(2026, 4, 1)))
    assert found["review"].due == D(2026, 4, 8)


def test_a_report_received_just_after_midnight_in_winter_counts_from_the_oslo_day() -> None:
    # 00:15 on 1 January 2027 in Oslo (UTC+1) is 23:15 UTC on 31 December 2026.
    received = datetime.datetime(2026, 12, 31, 23, 15, tzinfo=UTC)
    found = by_key(deadlines_for(report(received_at=received), today=D(2027, 1, 1)))
    assert found["review"].due == D(2027, 1, 8)


def test_review_is_seven_calendar_days_across_the_change_to_summer_time() -> None:
    # Summer time starts on Sunday 29 March 2026: the week still has seven calendar days.
    received = datetime.datetime(2026, 3, 25, 9, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 3, 25)))
    assert found["review"].due == D(2026, 4, 1)
    assert found["review"].warn_on == D(2026, 3, 30)  # day 5, a Monday


def test_review_is_seven_calendar_days_across_the_change_from_summer_time() -> None:
    # Summer time ends on Sunday 25 October 2026.
    received = datetime.datetime(2026, 10, 22, 23, 45, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 10, 22)))
    assert found["review"].due == D(2026, 10, 29)
    assert found["review"].warn_on == D(2026, 10, 27)


# --- Review and its warning ---------------------------------------------------------------------


def test_review_is_due_after_seven_days_with_a_warning_on_day_five() -> None:
    received = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=OSLO)  # a Monday
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 3, 2)))
    assert found["review"].due == D(2026, 3, 9)
    assert found["review"].warn_on == D(2026, 3, 6)  # day 5 is Saturday 7 March → Friday 6


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2026, 3, 3), "open"),
        (D(2026, 3, 5), "open"),
        (D(2026, 3, 6), "warning"),
        (D(2026, 3, 9), "warning"),
        (D(2026, 3, 10), "overdue"),
    ],
)
def test_review_status_moves_from_open_to_warning_to_overdue(today: datetime.date, status: str) -> None:
    received = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=OSLO)
    assert by_key(deadlines_for(report(received_at=received), today=today))["review"].status == status


def test_a_warning_on_a_weekday_stays_on_day_five() -> None:
    received = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=OSLO)  # Wednesday; day 5 is Monday 9
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 3, 4)))
    assert found["review"].warn_on == D(2026, 3, 9)
    assert found["review"].status == "open"
    assert by_key(deadlines_for(report(received_at=received), today=D(2026, 3, 9)))["review"].status == "warning"


def test_a_warning_in_easter_moves_to_the_working_day_before() -> None:
    # Day 5 of a report received Saturday 28 March 2026 is Thursday 2 April, Maundy Thursday;
    # Good Friday 3 April is also a holiday: the warning comes on Wednesday 1 April.
    received = datetime.datetime(2026, 3, 28, 12, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 3, 28)))
    assert found["review"].warn_on == D(2026, 4, 1)
    assert found["review"].due == D(2026, 4, 4)  # the due date itself never moves


def test_a_warning_on_christmas_day_moves_to_the_working_day_before() -> None:
    # Received Sunday 20 December 2026; day 5 is Friday 25 December (Christmas Day): Thursday 24.
    received = datetime.datetime(2026, 12, 20, 12, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 12, 20)))
    assert found["review"].warn_on == D(2026, 12, 24)
    assert found["review"].due == D(2026, 12, 27)


def test_a_warning_on_the_seventeenth_of_may_moves_to_the_day_before() -> None:
    # 17 May 2027 is a Monday; received Wednesday 12 May 2027, day 5 is 17 May. Sunday 16 and
    # Saturday 15 are weekend: the warning comes on Friday 14 May.
    received = datetime.datetime(2027, 5, 12, 12, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2027, 5, 12)))
    assert found["review"].warn_on == D(2027, 5, 14)
    assert found["review"].due == D(2027, 5, 19)


def test_a_holiday_does_not_move_the_due_date() -> None:
    # Received 18 December 2026: due 25 December, Christmas Day, as the law counts calendar days.
    received = datetime.datetime(2026, 12, 18, 12, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 12, 26)))
    assert found["review"].due == D(2026, 12, 25)
    assert found["review"].status == "overdue"


def test_working_days_are_weekdays_that_are_not_public_holidays() -> None:
    assert is_working_day(D(2026, 3, 2))
    assert not is_working_day(D(2026, 3, 1))  # Sunday
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert not is_working_day(D(2026, 5, 14))  # Ascension Day
    assert not is_working_day(D(2026, 5, 25))  # Whit Monday
    assert not is_working_day(D(2026, 1, 1))


def test_a_reviewed_report_has_met_its_review_deadline_even_when_late() -> None:
    received = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=OSLO)
    done = report(
        received_at=received,
        reviewed_at=datetime.datetime(2026, 3, 12, 10, 0, tzinfo=OSLO),
        state=ConcernReport.State.CLOSED_UNINVESTIGATED,
    )
    found = by_key(deadlines_for(done, today=D(2026, 3, 20)))
    assert found["review"].status == "met"
    assert found["review"].met_on == D(2026, 3, 12)
    assert "investigation" not in found


# --- Investigation ---------------------------------------------------------------------------------


def investigating(started_on: datetime.date, **fields: object) -> ConcernReport:
    values: dict[str, object] = {
        "received_at": datetime.datetime.combine(started_on, datetime.time(9), tzinfo=OSLO),
        "reviewed_at": datetime.datetime.combine(started_on, datetime.time(10), tzinfo=OSLO),
        "investigation_started_on": started_on,
        "state": ConcernReport.State.INVESTIGATING,
    }
    values.update(fields)
    return report(**values)


def test_an_investigation_is_due_after_three_calendar_months_with_a_warning_two_weeks_before() -> None:
    found = by_key(deadlines_for(investigating(D(2026, 1, 14)), today=D(2026, 1, 14)))
    assert found["investigation"].due == D(2026, 4, 14)
    # 31 March 2026 is a Tuesday, a working day.
    assert found["investigation"].warn_on == D(2026, 3, 31)
    assert found["investigation"].status == "open"


def test_an_investigation_started_on_30_november_is_due_on_the_last_of_february() -> None:
    assert by_key(deadlines_for(investigating(D(2026, 11, 30)), today=D(2026, 12, 1)))["investigation"].due == D(
        2027, 2, 28
    )
    assert by_key(deadlines_for(investigating(D(2027, 11, 30)), today=D(2027, 12, 1)))["investigation"].due == D(
        2028, 2, 29
    )


def test_an_extended_investigation_is_due_after_six_months() -> None:
    extended = investigating(D(2027, 8, 31), investigation_extended=True, extension_reason="Sakkyndig utredning.")
    found = by_key(deadlines_for(extended, today=D(2027, 9, 1)))
    assert found["investigation"].due == D(2028, 2, 29)
    assert found["investigation"].warn_on == D(2028, 2, 15)


def test_an_investigation_warning_in_a_weekend_or_at_easter_moves_to_the_working_day_before() -> None:
    # Due 20 April 2025: the warning on 6 April 2025 is a Sunday → Friday 4 April.
    started = add_months(D(2025, 4, 20), -3)
    found = by_key(deadlines_for(investigating(started), today=started))
    assert found["investigation"].due == D(2025, 4, 20)
    assert found["investigation"].warn_on == D(2025, 4, 4)
    # Due 20 April 2026: 6 April 2026 is Easter Monday; Friday 3 and Thursday 2 are holidays,
    # so the caseworker is warned on Wednesday 1 April.
    found = by_key(deadlines_for(investigating(D(2026, 1, 20)), today=D(2026, 1, 20)))
    assert found["investigation"].due == D(2026, 4, 20)
    assert found["investigation"].warn_on == D(2026, 4, 1)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2026, 3, 30), "open"),
        (D(2026, 3, 31), "warning"),
        (D(2026, 4, 14), "warning"),
        (D(2026, 4, 15), "overdue"),
    ],
)
def test_investigation_status_on_each_side_of_the_warning_and_the_due_date(today: datetime.date, status: str) -> None:
    assert by_key(deadlines_for(investigating(D(2026, 1, 14)), today=today))["investigation"].status == status


def test_the_investigation_is_due_three_months_after_the_report_was_received_not_after_it_was_opened() -> None:
    # Received Monday 12 January 2026, reviewed and opened on day 7 (Monday 19 January): § 2-2
    # counts from receipt, the earlier reading, so the due date is 12 April, not 19 April.
    late = investigating(
        D(2026, 1, 19),
        received_at=datetime.datetime(2026, 1, 12, 23, 30, tzinfo=OSLO),
    )
    found = by_key(deadlines_for(late, today=D(2026, 1, 19)))
    assert found["investigation"].due == D(2026, 4, 12)
    # 29 March 2026 is a Sunday: warned on Friday 27 March.
    assert found["investigation"].warn_on == D(2026, 3, 27)
    assert by_key(deadlines_for(late, today=D(2026, 4, 13)))["investigation"].status == "overdue"
    # The 6-month extension counts from receipt as well.
    late.investigation_extended = True
    late.extension_reason = "Sakkyndig utredning."
    assert by_key(deadlines_for(late, today=D(2026, 4, 13)))["investigation"].due == D(2026, 7, 12)


def test_a_concluded_investigation_is_met() -> None:
    done = investigating(D(2026, 1, 14), investigation_concluded_on=D(2026, 5, 1), state=ConcernReport.State.CLOSED)
    found = by_key(deadlines_for(done, today=D(2026, 5, 2)))
    assert found["investigation"].status == "met"
    assert found["conclusion_feedback"].due == D(2026, 5, 22)


# --- Feedback to the reporter ---------------------------------------------------------------------


def test_the_receipt_is_due_three_weeks_after_the_report_was_received() -> None:
    received = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2026, 2, 10)))
    assert found["receipt"].due == D(2026, 3, 3)
    assert found["receipt"].warn_on == D(2026, 2, 24)
    assert found["opening_feedback"].due == D(2026, 3, 3)


def test_a_leap_day_counts_as_a_day() -> None:
    received = datetime.datetime(2028, 2, 25, 9, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2028, 2, 25)))
    assert found["review"].due == D(2028, 3, 3)
    assert found["receipt"].due == D(2028, 3, 17)
    received = datetime.datetime(2028, 2, 29, 9, 0, tzinfo=OSLO)
    found = by_key(deadlines_for(report(received_at=received), today=D(2028, 2, 29)))
    assert found["review"].due == D(2028, 3, 7)
    assert found["review"].warn_on == D(2028, 3, 3)  # day 5 is Sunday 5 March → Friday 3


def test_a_private_reporter_gets_the_receipt_only() -> None:
    private = report(reporter_kind=ConcernReport.ReporterKind.PRIVATE)
    keys = [item.key for item in deadlines_for(private, today=D(2026, 3, 2))]
    assert keys == ["review", "receipt"]
    concluded = investigating(
        D(2026, 1, 14),
        reporter_kind=ConcernReport.ReporterKind.PRIVATE,
        investigation_concluded_on=D(2026, 3, 1),
        state=ConcernReport.State.CLOSED,
    )
    assert "conclusion_feedback" not in by_key(deadlines_for(concluded, today=D(2026, 3, 2)))


def test_a_sent_receipt_is_met_and_an_unsent_one_becomes_overdue() -> None:
    received = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=OSLO)
    sent = report(received_at=received, receipt_sent_at=datetime.datetime(2026, 2, 12, 9, 0, tzinfo=OSLO))
    assert by_key(deadlines_for(sent, today=D(2026, 4, 1)))["receipt"].status == "met"
    assert by_key(deadlines_for(report(received_at=received), today=D(2026, 3, 4)))["receipt"].status == "overdue"


def test_the_week_runs_from_monday_to_sunday() -> None:
    assert week_of(D(2026, 3, 4)) == (D(2026, 3, 2), D(2026, 3, 8))
    assert week_of(D(2026, 3, 8)) == (D(2026, 3, 2), D(2026, 3, 8))
    assert week_of(D(2026, 3, 2)) == (D(2026, 3, 2), D(2026, 3, 8))
