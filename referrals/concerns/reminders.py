"""Reminders about concern reports' deadlines and the handover gap of routine 3. Pure services;
referrals/tasks.py runs them from Celery beat.

The pattern of teams/reminders.py: every run is safe to repeat, to run twice at the same time,
and to run late.

- What is due is computed from the data and the Oslo calendar day (referrals.concerns.deadlines), never
  from when the last run happened, so a run after the worker, beat or Redis was down catches up
  with what was missed. A deadline already overdue when the run comes is reminded as overdue
  only (no stale warning).
- `core.notifications.notify` stores one notification per (recipient, key); the key holds the
  deadline, its due date and the kind of reminder, so each reminder is stored and e-mailed once,
  and a deadline that moves (an investigation extended to 6 months) is reminded again.
- Each reminder is its own transaction with its audit entry.

Who is reminded:
- a warning (review on day 5, investigation 2 weeks before, feedback 1 week before): the
  report's caseworker, or the unit's leaders while no caseworker is assigned;
- overdue: the caseworker and the unit's leaders;
- a handover gap (measures started 3 weeks ago, no activity by the new contact person on the
  children: concern_selectors.handover_gaps_qs): the contact person and the unit's leaders.

Notifications name the kind of deadline and the dates, never the child; the e-mail only links
to Laget (core.notifications).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.dates import oslo_date, today_in_oslo
from core.models import Notification
from core.notifications import notify_recorded
from org.models import StaffRole
from referrals.concerns.deadlines import (
    INVESTIGATION,
    OVERDUE,
    REVIEW,
    WARNING,
    deadlines_for,
)
from referrals.concerns.selectors import handover_gaps_qs, open_clock_q
from referrals.concerns.services import concern_report_url
from referrals.models import ConcernReport

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    reports: int = 0
    notifications: int = 0


def _date(day: datetime.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _reachable(user: User | None) -> bool:
    return bool(user is not None and user.is_active and user.email)


def _already(keys: Iterable[str]) -> set[tuple[int, str]]:
    return set(Notification.objects.filter(key__in=set(keys)).values_list("recipient_id", "key"))


def _leaders(unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The leaders in force of each unit (one query)."""
    from org.selectors import staffroles_active

    found: dict[int, list[Any]] = defaultdict(list)
    for role in (
        staffroles_active()
        .filter(unit_id__in=set(unit_ids), role=StaffRole.Role.LEADER)
        .select_related("user")
        .order_by("user_id")
    ):
        if role.user not in found[role.unit_id]:
            found[role.unit_id].append(role.user)
    return found


def _send(
    *,
    recipient: Any,
    report: ConcernReport,
    action: str,
    kind: str,
    key: str,
    title: str,
    body: str,
    detail: dict[str, Any],
) -> bool:
    return notify_recorded(
        recipient=recipient,
        action=action,
        target=report,
        detail=detail,
        kind=kind,
        key=key,
        title=title[:200],
        body=body,
        url=concern_report_url(report.pk),
    )


def deadline_key(report: ConcernReport, deadline_key: str, due: datetime.date, status: str) -> str:
    return f"concern_report:{report.pk}:{deadline_key}:{due.isoformat()}:{status}"


def _texts(report: ConcernReport, *, key: str, label: str, due: datetime.date, status: str) -> tuple[str, str]:
    values = {"label": label, "due": _date(due), "received": _date(oslo_date(report.received_at))}
    if status == OVERDUE:
        title = _("Overdue: %(label)s (due %(due)s)") % values
    else:
        title = _("Due %(due)s: %(label)s") % values
    if key == REVIEW:
        body = _(
            "A concern report received %(received)s must be reviewed within 7 days, by %(due)s "
            "(barnevernsloven § 2-1): close it with a written reason or open an investigation."
        )
    elif key == INVESTIGATION:
        body = _(
            "The investigation of a concern report received %(received)s must be concluded by %(due)s "
            "(barnevernsloven § 2-2). With a special reason it can be extended to 6 months."
        )
    else:
        body = _("Feedback to the reporter of a concern report received %(received)s is due %(due)s.")
    return title, body % values


def concern_deadline_reminders_send(*, today: datetime.date | None = None) -> ReminderRun:
    """Warn about each deadline on its warning day, and once more when it is overdue."""
    today = today or today_in_oslo()
    reports = list(
        ConcernReport.objects.filter(open_clock_q()).select_related("caseworker").order_by("received_at", "pk")
    )
    leaders = _leaders(report.unit_id for report in reports)
    due: list[tuple[ConcernReport, Any, list[Any], str]] = []
    for report in reports:
        for deadline in deadlines_for(report, today=today):
            if deadline.status not in (WARNING, OVERDUE):
                continue
            caseworker = report.caseworker if _reachable(report.caseworker) else None
            if deadline.status == WARNING:
                people = [caseworker] if caseworker is not None else list(leaders.get(report.unit_id, []))
            else:
                people = [caseworker] if caseworker is not None else []
                people += [leader for leader in leaders.get(report.unit_id, []) if leader != caseworker]
            people = [person for person in people if _reachable(person)]
            key = deadline_key(report, deadline.key, deadline.due, deadline.status)
            due.append((report, deadline, people, key))
    sent = _already(key for *_, key in due)
    run = ReminderRun()
    touched: set[int] = set()
    with translation.override(settings.LANGUAGE_CODE):
        for report, deadline, people, key in due:
            title, body = _texts(
                report, key=deadline.key, label=str(deadline.label), due=deadline.due, status=deadline.status
            )
            for person in people:
                if (person.pk, key) in sent:
                    continue
                if _send(
                    recipient=person,
                    report=report,
                    action="concern_report.reminder_sent",
                    kind="concern_deadline",
                    key=key,
                    title=title,
                    body=body,
                    detail={"deadline": deadline.key, "status": deadline.status, "due": deadline.due.isoformat()},
                ):
                    run.notifications += 1
                    touched.add(report.pk)
    run.reports = len(touched)
    logger.info("concern report reminders: %d reports, %d notifications", run.reports, run.notifications)
    return run


def handover_gap_key(report: ConcernReport) -> str:
    """The contact person and the start are in the key: a new contact person is watched anew."""
    return f"concern_report:{report.pk}:handover_gap:{report.contact_person_id}:{report.measures_started_on}"


def handover_gaps_send(*, today: datetime.date | None = None) -> ReminderRun:
    """Flag each child without activity from the new contact person 3 weeks after measures
    started, to the contact person and the unit's leaders, once."""
    today = today or today_in_oslo()
    gaps = list(handover_gaps_qs(today=today))
    leaders = _leaders(report.unit_id for report in gaps)
    sent = _already(handover_gap_key(report) for report in gaps)
    run = ReminderRun()
    with translation.override(settings.LANGUAGE_CODE):
        for report in gaps:
            key = handover_gap_key(report)
            assert report.measures_started_on is not None  # a report in measures has a start (constraint)
            values = {"date": _date(report.measures_started_on)}
            title = _("No follow-up 3 weeks after measures started %(date)s") % values
            body = (
                _(
                    "Measures started %(date)s after a concern report, and the new contact person has recorded "
                    "no contact, meeting or step with the child since. Schools tell of children who fall "
                    "between the investigation and the measures: make contact now."
                )
                % values
            )
            people = [report.contact_person] + [
                p for p in leaders.get(report.unit_id, []) if p != report.contact_person
            ]
            counted = False
            for person in people:
                if not _reachable(person) or (person.pk, key) in sent:
                    continue
                if _send(
                    recipient=person,
                    report=report,
                    action="concern_report.handover_gap_flagged",
                    kind="concern_handover_gap",
                    key=key,
                    title=title,
                    body=body,
                    detail={"contact_person": report.contact_person_id},
                ):
                    run.notifications += 1
                    counted = True
            run.reports += int(counted)
    logger.info("concern handover gaps: %d reports, %d notifications", run.reports, run.notifications)
    return run
