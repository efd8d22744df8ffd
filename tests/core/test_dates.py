"""core.dates: Oslo time, calendar months and birthdays, and the apps' month arithmetic agreeing
with it (the 18th birthday across consent, follow-ups and the home page: tests/consent/
test_turning_18_agreement.py)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.reminders import outcome_due_on
from core import dates
from referrals.concerns.deadlines import investigation_due

D = datetime.date
LEAP_BORN = D(2008, 2, 29)


# --- Months ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # a leap year
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2026, 10, 15), 3, D(2027, 1, 15)),  # across the new year
        (D(2026, 5, 31), -3, D(2026, 2, 28)),  # backwards
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 10), 0, D(2026, 1, 10)),
        (D(2026, 1, 31), 12, D(2027, 1, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(start: D, months: int, expected: D) -> None:
    assert dates.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("received", "extended", "due"),
    [
        (D(2026, 1, 31), False, D(2026, 4, 30)),
        (D(2025, 11, 30), False, D(2026, 2, 28)),
        (D(2027, 11, 30), False, D(2028, 2, 29)),
        (D(2025, 8, 31), True, D(2026, 2, 28)),
    ],
)
def test_investigation_deadlines_count_months_as_core_dates_does(received: D, extended: bool, due: D) -> None:
    assert investigation_due(received, extended=extended) == due
    assert due == dates.add_months(received, 6 if extended else 3)


@pytest.mark.parametrize(
    ("base", "interval", "today", "due"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 27), None),  # the first month is not over
        (D(2026, 1, 31), 1, D(2026, 2, 28), D(2026, 2, 28)),  # 31 January + 1 month
        (D(2026, 1, 31), 1, D(2026, 3, 30), D(2026, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 3, 31), D(2026, 3, 31)),
        (D(2025, 11, 30), 3, D(2026, 2, 27), None),
        (D(2025, 11, 30), 3, D(2026, 2, 28), D(2026, 2, 28)),  # 30 November + 3 months
        (D(2027, 11, 30), 3, D(2028, 2, 29), D(2028, 2, 29)),
    ],
)
def test_outcome_intervals_count_months_as_core_dates_does(base: D, interval: int, today: D, due: D | None) -> None:
    assert outcome_due_on(base=base, today=today, interval=interval) == due


def test_outcome_intervals_and_investigation_deadlines_agree_across_month_ends() -> None:
    for start in (D(2026, 1, 31), D(2025, 11, 30), D(2027, 11, 30), D(2026, 8, 31)):
        due = investigation_due(start, extended=False)
        assert outcome_due_on(base=start, today=due, interval=3) == due == dates.add_months(start, 3)
        assert outcome_due_on(base=start, today=due - datetime.timedelta(days=1), interval=3) is None


# --- Birthdays and age ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "years", "expected"),
    [
        (LEAP_BORN, 18, D(2026, 3, 1)),  # no 29 February in 2026: 1 March
        (LEAP_BORN, 16, D(2024, 2, 29)),  # a leap year: 29 February
        (LEAP_BORN, 0, LEAP_BORN),
        (D(2008, 2, 28), 18, D(2026, 2, 28)),
        (D(2008, 3, 1), 18, D(2026, 3, 1)),
        (D(2007, 12, 31), 18, D(2025, 12, 31)),
    ],
)
def test_birthday(born: D, years: int, expected: D) -> None:
    assert dates.birthday(born, years) == expected


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (D(2026, 2, 27), 17),
        (D(2026, 2, 28), 17),  # born 29 February: not yet 18 on 28 February
        (D(2026, 3, 1), 18),
        (D(2024, 2, 28), 15),
        (D(2024, 2, 29), 16),
        (LEAP_BORN, 0),
    ],
)
def test_age_on_someone_born_on_29_february(day: D, age: int) -> None:
    assert dates.age_on(LEAP_BORN, day) == age


def test_birthday_age_and_the_birth_date_bound_agree_every_day_around_29_february() -> None:
    """age_on(born, day) >= n  ⇔  birthday(born, n) <= day  ⇔  born <= born_on_or_before(day, n)."""
    borns = [D(2008, 2, 27), D(2008, 2, 28), LEAP_BORN, D(2008, 3, 1), D(2010, 2, 28), D(2010, 3, 1)]
    days = [D(2026, 2, 1) + datetime.timedelta(days=i) for i in range(40)]
    days += [D(2028, 2, 1) + datetime.timedelta(days=i) for i in range(40)]
    for born in borns:
        for day in days:
            for years in (15, 16, 18):
                adult = dates.age_on(born, day) >= years
                assert adult == (dates.birthday(born, years) <= day), (born, day, years)
                assert adult == (born <= dates.born_on_or_before(day, years)), (born, day, years)


def test_born_on_or_before_on_29_february() -> None:
    assert dates.born_on_or_before(D(2028, 2, 29), 18) == D(2010, 2, 28)
    assert dates.born_on_or_before(D(2024, 2, 29), 16) == D(2008, 2, 29)
    assert dates.born_on_or_before(D(2026, 3, 1), 18) == D(2008, 3, 1)


# --- Oslo time ------------------------------------------------------------------------------


def test_oslo_date_of_a_moment_near_midnight() -> None:
    utc = datetime.UTC
    assert dates.oslo_date(datetime.datetime(2026, 3, 31, 21, 59, tzinfo=utc)) == D(2026, 3, 31)
    assert dates.oslo_date(datetime.datetime(2026, 3, 31, 22, 0, tzinfo=utc)) == D(2026, 4, 1)  # summer time
    assert dates.oslo_date(datetime.datetime(2026, 12, 31, 23, 0, tzinfo=utc)) == D(2027, 1, 1)  # winter time
    assert dates.oslo_date(datetime.datetime(2026, 12, 31, 23, 30)) == D(2026, 12, 31)  # naive: Oslo time


def test_today_and_now_are_in_oslo() -> None:
    with time_machine.travel(datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC), tick=False):
        assert dates.today_in_oslo() == D(2026, 7, 1)
        now = dates.oslo_now()
        assert now.tzinfo == dates.OSLO
        assert (now.date(), now.hour, now.minute) == (D(2026, 7, 1), 0, 30)
