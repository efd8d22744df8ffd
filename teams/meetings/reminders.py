"""Reminders about meetings and action items (DOMAIN.md: "reminders before meetings and before
action items fall due"). Pure services; teams/tasks.py runs them from Celery beat.

The pattern of cases/reminders.py: every run is safe to repeat, to run twice at the same time,
and to run late.

- What is due is computed from the data and the clock, never from when the last run happened,
  so a run after the worker, beat or Redis was down catches up with what was missed (a meeting
  not yet started, an item due or overdue, this week's digest).
- `core.notifications.notify` stores one notification per (recipient, key), so a reminder
  produced twice (beat running twice, a task redelivered after a worker died halfway) is stored
  and e-mailed once. Each reminder is its own transaction: what was sent before a crash stays
  sent, and the rerun sends the rest.
- Every reminder is recorded: the Notification row (what, to whom, when; emailed_at when the
  e-mail left), and an audit entry written in the same transaction.

Only staff with an e-mail address get reminders: the youth, guardians and external people do
not sign in to Laget. Notifications name the meeting type and the time, never the youth; the
e-mail only links to Laget (core.notifications), and the invitation attached to a meeting
reminder names the type of meeting only (teams.calendar.feed).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Notification
from core.notifications import notify_recorded
from org.models import StaffRole, Unit
from org.selectors import staffroles_active
from teams.calendar.feed import (
    OPEN_STATUSES,
    action_item_url,
    meeting_cancellation,
    meeting_invitation,
    meeting_url,
)
from teams.models import ActionItem, Meeting, MeetingParticipant

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)


def _date(day: datetime.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _day(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return _("today")
    if day == today + datetime.timedelta(days=1):
        return _("tomorrow")
    return _("on %(date)s") % {"date": _date(day)}


def _already(keys: Iterable[str]) -> set[tuple[int, str]]:
    """(recipient, key) of the notifications made before, so a run does not build them again."""
    return set(Notification.objects.filter(key__in=set(keys)).values_list("recipient_id", "key"))


def _send(*, recipient: Any, action: str, target: Any, youth_id: int | None, **notification: Any) -> bool:
    return notify_recorded(recipient=recipient, action=action, target=target, youth_id=youth_id, **notification)


def _reachable(user: User | None) -> bool:
    return bool(user is not None and user.is_active and user.email)


# --- Meetings ------------------------------------------------------------------------------


@dataclass
class MeetingRun:
    meetings: int = 0
    notifications: int = 0


def meeting_reminder_key(meeting: Meeting) -> str:
    """The sequence is in the key: a meeting moved after its reminder is reminded again."""
    return f"meeting:{meeting.pk}:{meeting.sequence}:before"


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> MeetingRun:
    """Remind the staff participants of every planned meeting that starts within
    LAGET_MEETING_REMINDER_HOURS (24) and has not started, with an invitation (.ics) attached.

    Catch-up: a reminder whose moment (24 hours before) passed while Laget's workers were down
    is sent by the next run, as long as the meeting has not started. A meeting that has started
    is not reminded any more.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.LAGET_MEETING_REMINDER_HOURS)
    staff = (
        MeetingParticipant.objects.filter(kind=MeetingParticipant.Kind.STAFF, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    meetings = list(
        Meeting.objects.filter(state=Meeting.State.PLANNED, starts_at__gt=now, starts_at__lte=horizon)
        .prefetch_related(Prefetch("participants", queryset=staff, to_attr="staff"))
        .order_by("starts_at", "pk")
    )
    sent = _already(meeting_reminder_key(m) for m in meetings)
    run = MeetingRun()
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in meetings:
            key = meeting_reminder_key(meeting)
            people = [p.user for p in meeting.staff if _reachable(p.user) and (p.user_id, key) not in sent]
            if not people:
                continue
            run.meetings += 1
            local = timezone.localtime(meeting.starts_at)
            values = {
                "kind": meeting.get_kind_display(),
                "day": _day(local.date(), today),
                "time": f"{local:%H.%M}",
                "place": meeting.place or _("video meeting"),
            }
            title = _("%(kind)s %(day)s at %(time)s") % values
            body = (
                _(
                    "%(kind)s %(day)s at %(time)s (%(place)s). The agenda and who takes part are in Laget; "
                    "the e-mail has a calendar invitation."
                )
                % values
            )
            for person in people:
                if _send(
                    recipient=person,
                    action="meeting.reminder_sent",
                    target=meeting,
                    youth_id=meeting.youth_id,
                    kind="meeting_reminder",
                    key=key,
                    title=title[:200],
                    body=body,
                    url=meeting_url(meeting.pk),
                    calendar=meeting_invitation(meeting=meeting, attendee=person, now=now),
                ):
                    run.notifications += 1
    logger.info("meeting reminders: %d meetings, %d notifications", run.meetings, run.notifications)
    return run


# An invitation sent this long ago or less is kept true (moved or cancelled meetings).
CHANGE_LOOKBACK = datetime.timedelta(days=90)
_SENT_KEY = re.compile(r"^meeting:(\d+):(\d+):(?:before|changed)$")


def meeting_changes_send(*, now: datetime.datetime | None = None) -> MeetingRun:
    """Keep the invitations already sent true. Whoever got a meeting's invitation (the reminder)
    is sent, once, a cancellation (METHOD:CANCEL) when the meeting is cancelled, and the updated
    invitation when it is moved to a time beyond the reminder window (a move within the window
    gets the ordinary reminder, with the new SEQUENCE). Computed from the notifications sent and
    the meetings as they are now, so a run after downtime catches up too."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.LAGET_MEETING_REMINDER_HOURS)
    invited: dict[int, dict[int, int]] = defaultdict(dict)  # meeting -> recipient -> sequence sent
    for recipient_id, key in Notification.objects.filter(
        kind__in=("meeting_reminder", "meeting_changed"), created_at__gte=now - CHANGE_LOOKBACK
    ).values_list("recipient_id", "key"):
        found = _SENT_KEY.match(key)
        if found is None:
            continue
        meeting_id, sequence = int(found.group(1)), int(found.group(2))
        invited[meeting_id][recipient_id] = max(sequence, invited[meeting_id].get(recipient_id, -1))
    meetings = list(
        Meeting.objects.filter(pk__in=list(invited), ends_at__gt=now)
        .exclude(state=Meeting.State.HELD)
        .order_by("starts_at", "pk")
    )
    changes: list[tuple[Meeting, int, str]] = []
    for meeting in meetings:
        for recipient_id, sequence in invited[meeting.pk].items():
            if meeting.state == Meeting.State.CANCELLED:
                changes.append((meeting, recipient_id, f"meeting:{meeting.pk}:cancelled"))
            elif meeting.sequence > sequence and meeting.starts_at > horizon:
                changes.append((meeting, recipient_id, f"meeting:{meeting.pk}:{meeting.sequence}:changed"))
    sent = _already(key for _meeting, _recipient, key in changes)
    people = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in={r for _m, r, _k in changes}, is_active=True)
        .exclude(email="")
    }
    run = MeetingRun()
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        for meeting, recipient_id, key in changes:
            person = people.get(recipient_id)
            if person is None or (recipient_id, key) in sent:
                continue
            local = timezone.localtime(meeting.starts_at)
            values = {"kind": meeting.get_kind_display(), "day": _day(local.date(), today), "time": f"{local:%H.%M}"}
            if meeting.state == Meeting.State.CANCELLED:
                kind = "meeting_cancelled"
                title = _("%(kind)s %(day)s at %(time)s is cancelled") % values
                calendar = meeting_cancellation(meeting=meeting, attendee=person, now=now)
            else:
                kind = "meeting_changed"
                title = _("%(kind)s moved to %(day)s at %(time)s") % values
                calendar = meeting_invitation(meeting=meeting, attendee=person, now=now)
            run.meetings += 1
            if _send(
                recipient=person,
                action="meeting.change_sent",
                target=meeting,
                youth_id=meeting.youth_id,
                kind=kind,
                key=key,
                title=title[:200],
                body=_("The calendar invitation you were sent is updated; see the meeting in Laget."),
                url=meeting_url(meeting.pk),
                calendar=calendar,
            ):
                run.notifications += 1
    logger.info("meeting changes: %d notifications", run.notifications)
    return run


# --- Action items --------------------------------------------------------------------------


@dataclass
class ActionItemRun:
    due: int = 0
    overdue: int = 0
    notifications: int = 0


def action_item_reminder_key(item: ActionItem, *, today: datetime.date) -> str:
    """One reminder before the due date and one after it, each once per due date: a new due
    date is reminded again."""
    state = "overdue" if item.due_on < today else "due"
    return f"action_item:{item.pk}:{state}:{item.due_on.isoformat()}"


def action_item_reminders_send(*, today: datetime.date | None = None) -> ActionItemRun:
    """Remind the owner of every open action item that falls due within LAGET_ACTION_ITEM_DUE_DAYS
    (2) days, and once more when it is overdue. Items owned by someone outside Laget (the youth,
    a guardian, an external person) go to the coordinators in the weekly digest instead.

    Catch-up: what is due is decided by today's date, so a run after downtime reminds what the
    missed runs would have: an item whose due date passed meanwhile is told as overdue.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.LAGET_ACTION_ITEM_DUE_DAYS)
    items = list(
        ActionItem.objects.filter(
            status__in=OPEN_STATUSES, owner__isnull=False, owner__is_active=True, due_on__lte=horizon
        )
        .exclude(owner__email="")
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    sent = _already(action_item_reminder_key(i, today=today) for i in items)
    run = ActionItemRun()
    with translation.override(settings.LANGUAGE_CODE):
        for item in items:
            key = action_item_reminder_key(item, today=today)
            if (item.owner_id, key) in sent:
                continue
            meeting = item.meeting
            values = {
                "title": item.title,
                "date": _date(item.due_on),
                "day": _day(item.due_on, today),
            }
            if meeting is not None:
                values["kind"] = meeting.get_kind_display().lower()
                values["meeting"] = _date(timezone.localtime(meeting.starts_at).date())
            if item.due_on < today:
                run.overdue += 1
                kind = "action_item_overdue"
                title = _("Action item overdue since %(date)s") % values
                if meeting is None:
                    body = (
                        _(
                            "«%(title)s», a step in a youth's plan, was due on %(date)s. "
                            "Mark it done in Laget, or agree a new date."
                        )
                        % values
                    )
                else:
                    body = (
                        _(
                            "«%(title)s», agreed in the %(kind)s on %(meeting)s, was due on %(date)s. "
                            "Mark it done in Laget, or agree a new due date."
                        )
                        % values
                    )
            else:
                run.due += 1
                kind = "action_item_due"
                title = _("Action item due %(day)s") % values
                if meeting is None:
                    body = _("«%(title)s», a step in a youth's plan, is due %(day)s.") % values
                else:
                    body = _("«%(title)s», agreed in the %(kind)s on %(meeting)s, is due %(day)s.") % values
            if _send(
                recipient=item.owner,
                action="action_item.reminder_sent",
                target=item,
                youth_id=item.youth_id or getattr(meeting, "youth_id", None),
                kind=kind,
                key=key,
                title=title[:200],
                body=body,
                url=action_item_url(item),
            ):
                run.notifications += 1
    logger.info("action item reminders: %d due, %d overdue, %d notifications", run.due, run.overdue, run.notifications)
    return run


# --- The coordinators' weekly digest -------------------------------------------------------


@dataclass
class DigestRun:
    units: int = 0
    notifications: int = 0


def digest_key(unit: Unit, *, today: datetime.date) -> str:
    iso = today.isocalendar()
    return f"digest:{unit.pk}:{iso.year}-W{iso.week}"


def digest_url() -> str:
    try:
        return reverse("meetings:list")
    except NoReverseMatch:  # the meeting pages are mounted at /moter/ (teams/meeting_urls.py)
        return "/moter/"


def overdue_digest_send(*, today: datetime.date | None = None) -> DigestRun:
    """Once a week, tell the coordinators of each unit which action items agreed in the unit's
    meetings are overdue: what was agreed and not done must not be left hanging (seed 003).

    The key is the unit and the ISO week: the task runs every day, and the first run of the
    week that finds overdue items sends the digest, so a Monday missed in an outage is caught
    up on the next run. The digest names the meeting type and date, the due date and the owner;
    not the youth or the item's text (a coordinator may not have access to every youth).
    """
    today = today or timezone.localdate()
    # A plan's steps made outside a meeting belong to no meeting's unit: they are carried onto the
    # youth's next team meeting (teams.meetings.selectors.action_items_carried) instead.
    items = list(
        ActionItem.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today, meeting__isnull=False)
        .select_related("meeting__unit", "owner")
        .order_by("meeting__unit_id", "due_on", "pk")
    )
    by_unit: dict[int, list[tuple[ActionItem, Meeting]]] = defaultdict(list)
    for item in items:
        if item.meeting is not None:
            by_unit[item.meeting.unit_id].append((item, item.meeting))
    coordinators: dict[int, list[Any]] = defaultdict(list)
    roles = (
        staffroles_active()
        .filter(unit_id__in=list(by_unit), role=StaffRole.Role.COORDINATOR, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for role in roles:
        if role.user not in coordinators[role.unit_id]:
            coordinators[role.unit_id].append(role.user)
    keys = {unit_id: digest_key(unit_items[0][1].unit, today=today) for unit_id, unit_items in by_unit.items()}
    sent = _already(keys.values())
    run = DigestRun()
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, unit_items in by_unit.items():
            people = [p for p in coordinators.get(unit_id, []) if (p.pk, keys[unit_id]) not in sent]
            if not coordinators.get(unit_id):
                logger.warning("overdue digest: unit %s has no coordinator to tell", unit_id)
            if not people:
                continue
            run.units += 1
            unit = unit_items[0][1].unit
            count = len(unit_items)
            title = ngettext(
                "%(count)d overdue action item in %(unit)s",
                "%(count)d overdue action items in %(unit)s",
                count,
            ) % {"count": count, "unit": unit.name}
            lines = [_("Action items agreed in your service's meetings and not done by their due date:")]
            for item, meeting in unit_items:
                owner = item.owner.full_name or item.owner.email if item.owner else _("someone outside Laget")
                lines.append(
                    _("– due %(date)s (%(days)d days ago): %(kind)s on %(meeting)s, owner %(owner)s")
                    % {
                        "date": _date(item.due_on),
                        "days": (today - item.due_on).days,
                        "kind": meeting.get_kind_display().lower(),
                        "meeting": _date(timezone.localtime(meeting.starts_at).date()),
                        "owner": owner,
                    }
                )
            for person in people:
                if _send(
                    recipient=person,
                    action="action_item.digest_sent",
                    target=unit,
                    youth_id=None,
                    kind="overdue_digest",
                    key=keys[unit_id],
                    title=title[:200],
                    body="\n".join(lines),
                    url=digest_url(),
                ):
                    run.notifications += 1
    logger.info("overdue digest: %d units, %d notifications", run.units, run.notifications)
    return run
