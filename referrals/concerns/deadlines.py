"""The clocks of a concern report (barnevernsloven §§ 2-1 and 2-2, DOMAIN.md "Concern reports
and routines"), computed from the report's fields and a day: never stored, so a changed fact
(an extension, a late receipt) moves the deadline everywhere at once.

The rules, as the caseworker reads them:

- Every date is a calendar date in Oslo (Europe/Oslo). `received_at` is converted (core.dates.oslo_date)
  before anything is counted: a report received at 23:30 on 31 March (summer time, 21:30 UTC)
  is a 31 March report, and one received at 00:30 on 1 April is a 1 April report, whatever UTC
  says.
- The law counts calendar days. Weekends and public holidays do NOT move a due date.
- Review (§ 2-1): due on the received date + 7 days; warning on day 5 (received date + 5).
- Investigation (§ 2-2): due on the RECEIVED date + 3 calendar months, or + 6 when extended with
  a recorded special reason; shown once the investigation is opened. The law's text runs the
  time from the receipt of the report; the other reading, from the day the investigation is
  opened, gives a later date. Counting from receipt is the earlier of the two, so the due date
  shown is never late under either reading and the child's wait is the shorter one. A month
  without the day is clamped to its last day (30 November + 3 months = 28 February, or 29 in a
  leap year; 31 August + 3 months = 30 November): `core.dates.add_months`. Warning 14 days before the due
  date.
- Receipt to the reporter: due on the received date + 21 days (3 weeks); warning 7 days before.
- A public reporter is also told whether an investigation was opened. We read "within 3 weeks"
  as the receipt's 3 weeks: due on the received date + 21 days, the same day as the receipt (the
  review is due after 7 days, so the decision is known in time; it is usually sent with the
  receipt or soon after). Warning 7 days before. Only for a public reporter.
- A public reporter is told again within 3 weeks after the investigation ends: due on the day
  the investigation was concluded + 21 days; warning 7 days before. Only for a public reporter.
- A warning day that falls on a Saturday, a Sunday or a Norwegian public holiday
  (`holidays.Norway`) moves to the working day before it, so that the caseworker is warned while
  at work (Easter, Christmas, 17 May). The due date itself never moves.
- Status on a day: "met" when the step is done (whenever it was done); otherwise "overdue" after
  the due date, "warning" from the warning day up to and including the due date, and "open"
  before the warning day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from holidays.countries.norway import Norway

from core.dates import add_months, oslo_date, today_in_oslo

if TYPE_CHECKING:
    from referrals.models import ConcernReport


REVIEW_DAYS = 7
REVIEW_WARNING_DAY = 5
INVESTIGATION_MONTHS = 3
INVESTIGATION_EXTENDED_MONTHS = 6
INVESTIGATION_WARNING_DAYS = 14
FEEDBACK_DAYS = 21
FEEDBACK_WARNING_DAYS = 7

MET = "met"
OPEN = "open"
WARNING = "warning"
OVERDUE = "overdue"

REVIEW = "review"
INVESTIGATION = "investigation"
RECEIPT = "receipt"
OPENING_FEEDBACK = "opening_feedback"
CONCLUSION_FEEDBACK = "conclusion_feedback"

LABELS: dict[str, Promise] = {
    REVIEW: _("Review the report (§ 2-1)"),
    INVESTIGATION: _("Conclude the investigation (§ 2-2)"),
    RECEIPT: _("Send the receipt to the reporter"),
    OPENING_FEEDBACK: _("Tell the reporter whether an investigation was opened"),
    CONCLUSION_FEEDBACK: _("Tell the reporter that the investigation has ended"),
}


@dataclass(frozen=True)
class Deadline:
    key: str
    label: Any  # a lazy translation: str(label) in the active language
    due: datetime.date
    warn_on: datetime.date | None
    status: str
    met_on: datetime.date | None = None

    @property
    def is_open(self) -> bool:
        return self.status != MET


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[datetime.date]:
    # Sundays are left out of the calendar here: weekends are handled apart from holidays.
    return frozenset(Norway(years=year, include_sundays=False))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Norwegian public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _warning(due: datetime.date, days_before: int) -> datetime.date:
    return working_day_on_or_before(due - datetime.timedelta(days=days_before))


def _status(
    *, due: datetime.date, warn_on: datetime.date | None, met_on: datetime.date | None, today: datetime.date
) -> str:
    if met_on is not None:
        return MET
    if today > due:
        return OVERDUE
    if warn_on is not None and today >= warn_on:
        return WARNING
    return OPEN


def _deadline(
    key: str, *, due: datetime.date, warn_on: datetime.date | None, met_on: datetime.date | None, today: datetime.date
) -> Deadline:
    return Deadline(
        key=key,
        label=LABELS[key],
        due=due,
        warn_on=warn_on,
        status=_status(due=due, warn_on=warn_on, met_on=met_on, today=today),
        met_on=met_on,
    )


def _date_of(moment: datetime.datetime | None) -> datetime.date | None:
    return oslo_date(moment) if moment is not None else None


def review_due(received: datetime.date) -> datetime.date:
    return received + datetime.timedelta(days=REVIEW_DAYS)


def review_warning(received: datetime.date) -> datetime.date:
    return working_day_on_or_before(received + datetime.timedelta(days=REVIEW_WARNING_DAY))


def investigation_due(received: datetime.date, *, extended: bool) -> datetime.date:
    """The investigation's due date, counted from the Oslo date the report was RECEIVED (§ 2-2),
    not from the day the investigation was opened (see the module docstring)."""
    return add_months(received, INVESTIGATION_EXTENDED_MONTHS if extended else INVESTIGATION_MONTHS)


def deadlines_for(report: ConcernReport, *, today: datetime.date | None = None) -> list[Deadline]:
    """The report's deadlines in order (review, investigation, feedback), each with its status on
    `today` (Oslo's today by default). Uses the report's own fields only: no query."""
    from referrals.models import ConcernReport

    today = today or today_in_oslo()
    received = oslo_date(report.received_at)
    public = report.reporter_kind == ConcernReport.ReporterKind.PUBLIC
    result: list[Deadline] = []

    decided_on = _date_of(report.reviewed_at)
    if decided_on is None and report.state != ConcernReport.State.RECEIVED:
        decided_on = report.investigation_started_on or received
    result.append(
        _deadline(REVIEW, due=review_due(received), warn_on=review_warning(received), met_on=decided_on, today=today)
    )

    if report.investigation_started_on is not None:
        due = investigation_due(received, extended=report.investigation_extended)
        result.append(
            _deadline(
                INVESTIGATION,
                due=due,
                warn_on=_warning(due, INVESTIGATION_WARNING_DAYS),
                met_on=report.investigation_concluded_on,
                today=today,
            )
        )

    feedback_due = received + datetime.timedelta(days=FEEDBACK_DAYS)
    result.append(
        _deadline(
            RECEIPT,
            due=feedback_due,
            warn_on=_warning(feedback_due, FEEDBACK_WARNING_DAYS),
            met_on=_date_of(report.receipt_sent_at),
            today=today,
        )
    )
    if public:
        result.append(
            _deadline(
                OPENING_FEEDBACK,
                due=feedback_due,
                warn_on=_warning(feedback_due, FEEDBACK_WARNING_DAYS),
                met_on=_date_of(report.opening_feedback_sent_at),
                today=today,
            )
        )
        if report.investigation_concluded_on is not None:
            due = report.investigation_concluded_on + datetime.timedelta(days=FEEDBACK_DAYS)
            result.append(
                _deadline(
                    CONCLUSION_FEEDBACK,
                    due=due,
                    warn_on=_warning(due, FEEDBACK_WARNING_DAYS),
                    met_on=_date_of(report.conclusion_feedback_sent_at),
                    today=today,
                )
            )
    return result


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the (Oslo) week that holds `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)
