"""Reminders about a youth's follow-up: reporting duty (meldeplikt), no contact for two weeks,
outcome measures due. Pure services; cases/tasks.py runs them from Celery beat.

Every run is safe to repeat, to run twice at the same time, and to run late:

- what is due is computed from the data and the clock, never from when the last run happened,
  so a run after downtime catches up with what was missed;
- `core.notifications.notify` stores one notification per (recipient, key), so a reminder
  produced twice is stored and e-mailed once;
- reporting dates are claimed with SELECT … FOR UPDATE SKIP LOCKED and marked `reminded_at` in
  the same transaction as their notifications, so two runs at once never both take one date.

Nothing is written to the audit trail: the Notification rows are the record of what was sent
(they are not reads or changes of a youth's data by a person). Each run logs what it did.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import add_months
from core.notifications import notify
from org.models import StaffRole
from org.selectors import staffroles_active

from .models import Contact, FollowUp, FollowUpAssignment, OutcomeMeasure, ReportingDate, Youth

logger = logging.getLogger(__name__)

# A reporting date whose time has passed without a reminder (the workers were down) is still
# told to the followers, as a missed reminder, for this long: they should check whether the
# youth reported and record it. Older dates are left alone.
MISSED_LOOKBACK = datetime.timedelta(days=7)
# How many reporting dates one transaction claims.
BATCH_SIZE = 200
# An outcome measure recorded up to this long before its due date counts for that date.
OUTCOME_EARLY = datetime.timedelta(days=30)

FOLLOWER_ROLES = (FollowUpAssignment.Role.LEAD, FollowUpAssignment.Role.FAMILY)


def _leads() -> Prefetch[Any]:
    """The follower (lead) in force on each follow-up, as `followup.leads`."""
    return Prefetch(
        "assignments",
        queryset=FollowUpAssignment.objects.filter(
            ends_on__isnull=True, role=FollowUpAssignment.Role.LEAD, user__is_active=True
        ).select_related("user"),
        to_attr="leads",
    )


def _youth_url(youth_id: int) -> str:
    return reverse("cases:youth_detail", args=[youth_id])


def _leaders_by_unit(unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The leaders in force of each unit (active people only)."""
    leaders: dict[int, list[Any]] = defaultdict(list)
    roles = (
        staffroles_active()
        .filter(unit_id__in=set(unit_ids), role=StaffRole.Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for role in roles:
        if role.user not in leaders[role.unit_id]:
            leaders[role.unit_id].append(role.user)
    return leaders


def _unique(people: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for person in people:
        seen.setdefault(person.pk, person)
    return list(seen.values())


# --- Reporting duty (meldeplikt) ---------------------------------------------------------


@dataclass
class ReportingRun:
    reminded: int = 0  # dates reminded before they were due
    missed: int = 0  # dates whose reminder time passed while Laget was down
    skipped: int = 0  # dates passed and registered afterwards, already recorded, or nobody to tell
    notifications: int = 0


def _reporting_recipients(youth_ids: set[int]) -> dict[int, list[Any]]:
    """Who is told about a youth's reporting dates: the follower and the family follower in
    force; when the open follow-up has neither, its unit's leaders, so the date is not missed."""
    followups = list(
        FollowUp.objects.filter(youth_id__in=youth_ids)
        .exclude(state=FollowUp.State.CLOSED)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=FollowUpAssignment.objects.filter(
                    ends_on__isnull=True, role__in=FOLLOWER_ROLES, user__is_active=True
                )
                .select_related("user")
                .order_by("role", "user_id"),
                to_attr="followers",
            )
        )
    )
    leaders = _leaders_by_unit(f.unit_id for f in followups if not f.followers)
    recipients: dict[int, list[Any]] = {}
    for followup in followups:
        people = [a.user for a in followup.followers] or leaders.get(followup.unit_id, [])
        recipients[followup.youth_id] = _unique(people)
    return recipients


def _when(moment: datetime.datetime, today: datetime.date) -> tuple[str, str]:
    local = timezone.localtime(moment)
    if local.date() == today:
        day = _("today")
    elif local.date() == today + datetime.timedelta(days=1):
        day = _("tomorrow")
    else:
        day = _("on %(date)s") % {"date": f"{local.day}.{local.month}.{local.year}"}
    return day, f"{local:%H.%M}"


def _reporting_notify(reporting_date: ReportingDate, youth: Youth, people: list[Any], *, now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    day, time = _when(reporting_date.due_at, today)
    where = reporting_date.place or _("the place agreed")
    if reporting_date.due_at > now:
        kind, key = "reporting_duty", f"reporting:{reporting_date.pk}"
        title = _("Reporting duty %(day)s at %(time)s: %(youth)s") % {"day": day, "time": time, "youth": youth}
        body = _(
            "%(youth)s must report at %(place)s %(day)s at %(time)s. Afterwards, record in Laget whether they attended."
        ) % {"youth": youth, "place": where, "day": day, "time": time}
    else:
        kind, key = "reporting_duty_missed", f"reporting_missed:{reporting_date.pk}"
        title = _("Reporting duty reminder not sent in time: %(youth)s, %(day)s at %(time)s") % {
            "youth": youth,
            "day": day,
            "time": time,
        }
        body = _(
            "Laget could not send the reminder before the reporting time (%(day)s at %(time)s, %(place)s). "
            "Check whether %(youth)s reported, and record it in Laget."
        ) % {"youth": youth, "place": where, "day": day, "time": time}
    created = 0
    for person in people:
        if notify(
            recipient=person,
            kind=kind,
            key=key,
            title=title[:200],
            body=body,
            url=_youth_url(youth.pk),
            youth_id=youth.pk,
        ):
            created += 1
    return created


def reporting_reminders_send(*, now: datetime.datetime | None = None) -> ReportingRun:
    """Remind the followers of every reporting date due within LAGET_REPORTING_REMINDER_HOURS
    (24) that has not been reminded: a missed report can turn a sentence into prison (seed 003).

    Catch-up: a date whose reminder time passed while the workers were down is still reminded
    if the date itself has not passed. If it has passed (within MISSED_LOOKBACK), and it was
    registered before it was due and its attendance is not recorded yet, the followers are told
    once that the reminder did not come in time. Dates registered after they were due are not
    reminded. Every date taken is marked `reminded_at` (handled), in the same transaction as
    its notifications.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.LAGET_REPORTING_REMINDER_HOURS)
    run = ReportingRun()
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            with transaction.atomic():
                batch = list(
                    ReportingDate.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(reminded_at__isnull=True, due_at__lte=horizon, due_at__gt=now - MISSED_LOOKBACK)
                    .select_related("step__youth")
                    .order_by("due_at", "pk")[:BATCH_SIZE]
                )
                if not batch:
                    break
                recipients = _reporting_recipients({rd.step.youth_id for rd in batch})
                for reporting_date in batch:
                    people = recipients.get(reporting_date.step.youth_id, [])
                    upcoming = reporting_date.due_at > now
                    known_in_time = reporting_date.step.created_at < reporting_date.due_at
                    if not people or reporting_date.attended is not None or not (upcoming or known_in_time):
                        run.skipped += 1
                        if not people:
                            logger.warning("reporting date %s: nobody to remind", reporting_date.pk)
                        continue
                    run.notifications += _reporting_notify(reporting_date, reporting_date.step.youth, people, now=now)
                    if upcoming:
                        run.reminded += 1
                    else:
                        run.missed += 1
                ReportingDate.objects.filter(pk__in=[rd.pk for rd in batch]).update(reminded_at=now)
    logger.info(
        "reporting reminders: %d reminded, %d missed reminders, %d skipped, %d notifications",
        run.reminded,
        run.missed,
        run.skipped,
        run.notifications,
    )
    return run


# --- No contact --------------------------------------------------------------------------


@dataclass
class NoContactRun:
    youths: int = 0
    notifications: int = 0


def no_contact_notify(*, today: datetime.date | None = None) -> NoContactRun:
    """Tell the follower and the unit's leaders when an active follow-up has had no contact for
    LAGET_NO_CONTACT_DAYS (14) days (DOMAIN.md).

    The silence is counted from the last contact (not deleted), or from the start of the
    follow-up when that is later or there is none. The notification key names the youth and the
    day the silence began, so each silence is told once; after a new contact, a new silence is
    told again.
    """
    today = today or timezone.localdate()
    limit = settings.LAGET_NO_CONTACT_DAYS
    last_day = today - datetime.timedelta(days=limit)  # a silence that began on this day or before
    before = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time()))
    last_contact = (
        Contact.objects.filter(youth=OuterRef("youth_id"), deleted_at__isnull=True)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    followups = list(
        FollowUp.objects.filter(state=FollowUp.State.ACTIVE)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=last_day))
        .annotate(last_contact_at=Subquery(last_contact))
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=before))
        .select_related("youth")
        .prefetch_related(_leads())
        .order_by("pk")
    )
    leaders = _leaders_by_unit(f.unit_id for f in followups)
    run = NoContactRun()
    with translation.override(settings.LANGUAGE_CODE):
        for followup in followups:
            last = timezone.localtime(followup.last_contact_at).date() if followup.last_contact_at else None
            started = followup.started_on or timezone.localtime(followup.created_at).date()
            since = max(day for day in (last, started) if day is not None)
            days = (today - since).days
            if days < limit:
                continue
            youth = followup.youth
            title = _("No contact with %(youth)s for %(days)d days") % {"youth": youth, "days": days}
            if last is not None and last >= started:
                body = _("The last contact was on %(date)s.") % {"date": f"{last:%d.%m.%Y}"}
            else:
                body = _("No contact has been logged since the follow-up started on %(date)s.") % {
                    "date": f"{started:%d.%m.%Y}"
                }
            people = _unique([a.user for a in followup.leads] + leaders.get(followup.unit_id, []))  # type: ignore[attr-defined]
            run.youths += 1
            for person in people:
                if notify(
                    recipient=person,
                    kind="no_contact",
                    key=f"no_contact:{youth.pk}:{since.isoformat()}",
                    title=title[:200],
                    body=body,
                    url=_youth_url(youth.pk),
                    youth_id=youth.pk,
                ):
                    run.notifications += 1
    logger.info("no-contact check: %d youths without contact, %d notifications", run.youths, run.notifications)
    return run


# --- Outcome measures --------------------------------------------------------------------


def outcome_due_on(*, base: datetime.date, today: datetime.date, interval: int) -> datetime.date | None:
    """The latest due date on or before today: base + k·interval months, k ≥ 1; None before the first."""
    months = (today.year - base.year) * 12 + today.month - base.month
    periods = months // interval
    while periods >= 1 and add_months(base, periods * interval) > today:
        periods -= 1
    return add_months(base, periods * interval) if periods >= 1 else None


@dataclass
class OutcomeRun:
    due: int = 0
    notifications: int = 0


def outcome_reminders_send(*, today: datetime.date | None = None) -> OutcomeRun:
    """Tell the follower when an outcome measure is due: every LAGET_OUTCOME_INTERVAL_MONTHS (3)
    months after the start measure, or after the follow-up started when there is none (seed 001).

    A due date is met by any measure recorded from OUTCOME_EARLY before it. One notification per
    follow-up and due date; a due date not met is not repeated, the next one is told in turn.
    """
    today = today or timezone.localdate()
    interval = settings.LAGET_OUTCOME_INTERVAL_MONTHS
    followups = list(
        FollowUp.objects.filter(state=FollowUp.State.ACTIVE)
        .annotate(start_measured_on=Min("outcomes__measured_on", filter=Q(outcomes__phase=OutcomeMeasure.Phase.START)))
        .select_related("youth")
        .prefetch_related(
            _leads(),
            Prefetch("outcomes", queryset=OutcomeMeasure.objects.only("pk", "followup_id", "measured_on")),
        )
        .order_by("pk")
    )
    run = OutcomeRun()
    with translation.override(settings.LANGUAGE_CODE):
        for followup in followups:
            base = followup.start_measured_on or followup.started_on
            if base is None:
                continue
            due = outcome_due_on(base=base, today=today, interval=interval)
            if due is None or any(m.measured_on >= due - OUTCOME_EARLY for m in followup.outcomes.all()):
                continue
            run.due += 1
            youth = followup.youth
            url = reverse("cases:outcome_create", args=[youth.pk])
            for lead in followup.leads:  # type: ignore[attr-defined]
                if notify(
                    recipient=lead.user,
                    kind="outcome_due",
                    key=f"outcome:{followup.pk}:{due.isoformat()}",
                    title=(_("Outcome measure due for %(youth)s") % {"youth": youth})[:200],
                    body=_("An outcome measure was due on %(date)s (every %(months)d months of the follow-up).")
                    % {"date": f"{due:%d.%m.%Y}", "months": interval},
                    url=url,
                    youth_id=youth.pk,
                ):
                    run.notifications += 1
    logger.info("outcome reminders: %d follow-ups due, %d notifications", run.due, run.notifications)
    return run
