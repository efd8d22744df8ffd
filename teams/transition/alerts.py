"""Alerts before a youth turns 18 (issue 14, point 1; DOMAIN.md "Turning 18"): 12, 6, 3 and 1
month before the 18th birthday (settings.LAGET_TURNING_18_ALERT_MONTHS) of a youth whose
follow-up is not closed, the lead follower, the coordinators and the leaders of the follow-up's
unit are told what is still unsettled on the transition checklist. teams.tasks.turning_18_alerts
runs it from Celery beat.

Who is told:
- the lead follower: the staff member holding lead responsibility in the youth's team
  (TeamMember.is_lead, as the plan reminders ask), or, while the team has no lead who can be
  told, the follower (lead) assigned to the open follow-up;
- the coordinators and the leaders with a role in force in the follow-up's unit (StaffRole
  COORDINATOR and LEADER, as the coordinators' digest and the follow-up reminders find them).
A person holding more than one of these is told once. Like every reminder, only active staff
with an e-mail address are told; a youth with nobody to tell is logged.

The pattern of teams/plans/reminders.py and teams/meetings/reminders.py:
- what is due is computed from the data and the clock, never from when the last run happened:
  the alert sent is the step in force today (teams.transition.selectors.alert_step: the fewest
  months whose day has come, none from the birthday on). So a run after the worker, beat or
  Redis was down catches up, and a step whose day passed while nothing ran is covered by the
  later one: after an outage from before the 6-month day to after the 3-month day, the 3-month
  alert is sent and the 6-month one never (the same rule as the plan reminders' missed "due"
  reminder);
- core.notifications stores one notification per (recipient, key), and the key holds the youth,
  the step and the 18th birthday (`turning_18:<youth>:<months>:<birthday>`), so each alert is
  sent exactly once per youth, step and recipient however often the task runs; a corrected date
  of birth moves the birthday and alerts again;
- each alert is its own transaction with its audit entry (transition.alert_sent).

The notification, read in Laget, names the youth, the birthday and the checklist's open points
(their labels and how many are overdue, never how a point was settled), and links to the "After
18" section of the youth's plan. Whoever may no longer see the youth when reading it is shown a
neutral title (core.notifications.notifications_shown). The e-mail only says there is a reminder
and links to Laget (core.outbox): it never names the youth.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import FollowUp, FollowUpAssignment, Youth
from core.dates import add_months, today_in_oslo
from core.models import Notification
from core.notifications import notify_recorded
from org.models import StaffRole
from org.selectors import active_role_q
from teams.calendar.feed import plan_url
from teams.models import TeamMember
from teams.transition.selectors import Progress, alert_months, alert_step, transition_progress

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)

KIND = "turning_18"
# The anchor of the plan page's "After 18" section (the transition checklist).
SECTION = "#etter-18"
LEAD, COORDINATOR, LEADER = "lead", "coordinator", "leader"
UNIT_ROLES: dict[str, str] = {StaffRole.Role.COORDINATOR: COORDINATOR, StaffRole.Role.LEADER: LEADER}


@dataclass
class Recipient:
    user: User
    roles: list[str] = field(default_factory=list)


@dataclass
class Alert:
    """One youth's alert of the step in force, with the people to tell (not yet told)."""

    youth: Youth
    months: int
    key: str
    progress: Progress
    recipients: list[Recipient]


@dataclass
class Turning18Run:
    youths: int = 0
    notifications: int = 0


def turning_18_alert_key(youth: Youth, months: int) -> str:
    """Once per youth, step and 18th birthday (a corrected date of birth alerts again)."""
    return f"turning_18:{youth.pk}:{months}:{youth.eighteenth_birthday.isoformat()}"


def _date(day: datetime.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _reachable(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.email)


def followups_turning_18(*, today: datetime.date) -> list[FollowUp]:
    """The open follow-ups of youths in an alert step today, with their youth, in one query.
    The birth dates are narrowed in SQL with a few days' margin (born on 29 February), and the
    step is decided by alert_step."""
    youngest = add_months(today, -18 * 12) - datetime.timedelta(days=3)
    oldest = add_months(add_months(today, max(alert_months())), -18 * 12) + datetime.timedelta(days=3)
    followups = (
        FollowUp.objects.exclude(state=FollowUp.State.CLOSED)
        .filter(youth__birth_date__gte=youngest, youth__birth_date__lte=oldest)
        .select_related("youth")
        .order_by("youth__birth_date", "pk")
    )
    return [f for f in followups if alert_step(f.youth, today=today) is not None]


def _leads(followups: list[FollowUp], today: datetime.date) -> dict[int, list[Any]]:
    """Each youth's lead follower (see the module docstring), in two queries: the team's lead,
    or when the team has none who can be told, the follow-up's follower (lead)."""
    youth_ids = [f.youth_id for f in followups]
    leads: dict[int, list[Any]] = defaultdict(list)
    for member in TeamMember.objects.filter(youth_id__in=youth_ids, is_lead=True, ends_on__isnull=True).select_related(
        "user"
    ):
        if _reachable(member.user):
            leads[member.youth_id].append(member.user)
    assignments = (
        FollowUpAssignment.objects.filter(
            followup_id__in=[f.pk for f in followups if f.youth_id not in leads],
            role=FollowUpAssignment.Role.LEAD,
            starts_on__lte=today,
            ends_on__isnull=True,
        )
        .select_related("user", "followup")
        .order_by("user_id")
    )
    for assignment in assignments:
        leads[assignment.followup.youth_id].append(assignment.user)
    return leads


def _unit_staff(unit_ids: Iterable[int], today: datetime.date) -> dict[int, list[tuple[str, Any]]]:
    """The coordinators and leaders in force of each unit, in one query."""
    staff: dict[int, list[tuple[str, Any]]] = defaultdict(list)
    roles = (
        StaffRole.objects.filter(active_role_q(on=today), unit_id__in=set(unit_ids), role__in=list(UNIT_ROLES))
        .select_related("user")
        .order_by("unit_id", "role", "user_id")
    )
    for role in roles:
        staff[role.unit_id].append((UNIT_ROLES[role.role], role.user))
    return staff


def _recipients(people: Iterable[tuple[str, Any]]) -> list[Recipient]:
    found: dict[int, Recipient] = {}
    for role, user in people:
        if not _reachable(user):
            continue
        recipient = found.setdefault(user.pk, Recipient(user))
        if role not in recipient.roles:
            recipient.roles.append(role)
    return list(found.values())


def turning_18_alerts_due(*, today: datetime.date | None = None) -> list[Alert]:
    """The alerts to send today: for each youth in an alert step, the step in force and whoever
    has not been told it yet. A fixed number of queries however many youths."""
    today = today or today_in_oslo()
    followups = followups_turning_18(today=today)
    if not followups:
        return []
    leads = _leads(followups, today)
    staff = _unit_staff((f.unit_id for f in followups), today)
    progress = transition_progress([f.youth for f in followups], today=today)
    keys: dict[int, tuple[int, str]] = {}
    for followup in followups:
        months = alert_step(followup.youth, today=today)
        assert months is not None  # followups_turning_18 keeps only youths in a step
        keys[followup.youth_id] = (months, turning_18_alert_key(followup.youth, months))
    sent = set(
        Notification.objects.filter(key__in=[key for _m, key in keys.values()]).values_list("recipient_id", "key")
    )
    alerts = []
    for followup in followups:
        months, key = keys[followup.youth_id]
        people = [(LEAD, user) for user in leads.get(followup.youth_id, [])] + staff.get(followup.unit_id, [])
        recipients = _recipients(people)
        if not recipients:
            logger.warning("turning 18: youth %s has nobody to alert", followup.youth_id)
        waiting = [r for r in recipients if (r.user.pk, key) not in sent]
        if waiting:
            alerts.append(Alert(followup.youth, months, key, progress[followup.youth_id], waiting))
    return alerts


def _texts(alert: Alert) -> tuple[str, str]:
    youth, progress = alert.youth, alert.progress
    values = {"youth": youth, "date": _date(progress.birthday), "months": alert.months}
    title = (
        ngettext(
            "Turns 18 in %(months)d month, on %(date)s: %(youth)s",
            "Turns 18 in %(months)d months, on %(date)s: %(youth)s",
            alert.months,
        )
        % values
    )
    lines = [_("%(youth)s turns 18 on %(date)s.") % values]
    if progress.open_labels:
        lines.append(
            _("Still to settle on the transition checklist (%(settled)d of %(total)d settled): %(points)s.")
            % {"settled": progress.settled, "total": progress.total, "points": ", ".join(progress.open_labels)}
        )
    else:
        lines.append(_("Every point of the transition checklist is settled."))
    if progress.overdue:
        lines.append(
            ngettext(
                "%(count)d point is past the date it should be settled by.",
                "%(count)d points are past the date they should be settled by.",
                progress.overdue,
            )
            % {"count": progress.overdue}
        )
    lines.append(_("See «After 18» in the youth's plan in Laget."))
    return title, "\n".join(lines)


def turning_18_alerts_send(*, today: datetime.date | None = None) -> Turning18Run:
    """Send the alerts due today (see the module docstring). Safe to run twice, at once, or late."""
    today = today or today_in_oslo()
    run = Turning18Run()
    # The checklist's labels are translated as the progress is read: inside the override.
    with translation.override(settings.LANGUAGE_CODE):
        for alert in turning_18_alerts_due(today=today):
            run.youths += 1
            title, body = _texts(alert)
            for recipient in alert.recipients:
                if notify_recorded(
                    recipient=recipient.user,
                    action="transition.alert_sent",
                    target=alert.youth,
                    youth_id=alert.youth.pk,
                    detail={
                        "months": alert.months,
                        "birthday": alert.progress.birthday.isoformat(),
                        "roles": recipient.roles,
                        "open": alert.progress.total - alert.progress.settled,
                        "overdue": alert.progress.overdue,
                    },
                    kind=KIND,
                    key=alert.key,
                    title=title[:200],
                    body=body,
                    url=plan_url(alert.youth.pk) + SECTION,
                ):
                    run.notifications += 1
    logger.info("turning 18 alerts: %d youths, %d notifications", run.youths, run.notifications)
    return run
