"""Each person's calendar: their meetings and open action items (read-only selectors), and the
iCalendar texts built from them, the invitation sent with a meeting reminder and the personal
feed (/kalender/feed/<token>.ics).

Both iCalendar texts leave Laget's protections: the e-mail, calendar programs on phones, and
the servers of the companies they synchronise with. So they say which type of meeting it is,
when and where, and link to Laget behind sign-in; they never carry the meeting's title, agenda,
minutes or participants other than the person themselves, and never name the youth.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event, Todo, vCalAddress

from cases.models import Youth
from core import access, audit
from teams.models import ActionItem, Meeting, MeetingKind, MeetingParticipant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

UTC = datetime.UTC
PRODID = "-//Oslo kommune//Laget//NB"

# How far the feed reaches: the past month (to look back at what was held) and half a year ahead.
FEED_PAST = datetime.timedelta(days=30)
FEED_AHEAD = datetime.timedelta(days=183)
# How far ahead the calendar page lists meetings.
PAGE_AHEAD = datetime.timedelta(days=183)

OPEN_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)

# The title of a meeting outside Laget: its type only (the title in Laget may name the youth).
SUMMARIES: dict[str, Promise] = {
    MeetingKind.TEAM: gettext_lazy("Team meeting (Laget)"),
    MeetingKind.INTAKE: gettext_lazy("Intake meeting (Laget)"),
    MeetingKind.LIST: gettext_lazy("List meeting with police (Laget)"),
    MeetingKind.STARTUP: gettext_lazy("Start-up meeting (Laget)"),
    MeetingKind.HANDOVER: gettext_lazy("Handover meeting (Laget)"),
    MeetingKind.SCHOOL_BARNEVERN: gettext_lazy("School–barnevern cooperation meeting (Laget)"),
    MeetingKind.EVALUATION: gettext_lazy("Evaluation meeting (Laget)"),
}


def meeting_url(pk: int) -> str:
    """The meeting's page in Laget (meetings:detail, /moter/<pk>/)."""
    try:
        return reverse("meetings:detail", args=[pk])
    except NoReverseMatch:  # while the meeting pages are not mounted (teams/meeting_urls.py)
        return f"/moter/{pk}/"


def plan_url(youth_id: int) -> str:
    """The youth's plan in Laget (plans:detail, /ungdommer/<pk>/plan/; teams.plans)."""
    try:
        return reverse("plans:detail", args=[youth_id])
    except NoReverseMatch:  # while the plan pages are not mounted
        return f"/ungdommer/{youth_id}/plan/"


def action_item_url(item: ActionItem) -> str:
    """Where an action item is seen: its meeting, or for a step of a plan made outside a
    meeting, the youth's plan (ActionItem.get_absolute_url)."""
    return item.get_absolute_url()


def absolute(url: str) -> str:
    return f"{settings.LAGET_BASE_URL}{url}"


def meeting_summary(meeting: Meeting) -> str:
    return str(SUMMARIES.get(meeting.kind, gettext_lazy("Meeting (Laget)")))


def meeting_location(meeting: Meeting) -> str:
    return meeting.place or meeting.video_link


# --- Selectors -------------------------------------------------------------------------------


def meetings_for_user(
    *, user: User | AnonymousUser, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Meeting]:
    """The meetings the person takes part in as staff that are not over before `start` and begin
    before `end`, earliest first. One query; the organising unit comes with each."""
    participations = MeetingParticipant.objects.filter(user=access.signed_in(user), kind=MeetingParticipant.Kind.STAFF)
    return (
        Meeting.objects.filter(pk__in=participations.values("meeting_id"), ends_at__gte=start, starts_at__lt=end)
        .select_related("unit")
        .order_by("starts_at", "pk")
    )


def action_items_open_for_user(*, user: User | AnonymousUser) -> QuerySet[ActionItem]:
    """The person's own open action items, the earliest due first, with their meeting."""
    return (
        ActionItem.objects.filter(owner=access.signed_in(user), status__in=OPEN_STATUSES)
        .select_related("meeting")
        .order_by("due_on", "pk")
    )


@dataclass
class CalendarMeeting:
    meeting: Meeting
    url: str
    youth_name: str = ""  # shown only when the person may open the youth (core.access)


@dataclass
class CalendarItem:
    item: ActionItem
    url: str
    overdue: bool
    due_soon: bool
    youth_name: str = ""


@dataclass
class CalendarPage:
    meetings: list[CalendarMeeting] = field(default_factory=list)
    items: list[CalendarItem] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for entry in self.items if entry.overdue)


def _names_visible(user: User, youth_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the youths among `youth_ids` the person may open (one query). The name is
    the frame of a youth's information (consent.policy): shown to whoever may open the youth."""
    ids = {pk for pk in youth_ids if pk is not None}
    if not ids:
        return {}
    youths = access.visible(user, Youth.objects.filter(pk__in=ids)).only(
        "pk", "first_name", "preferred_name", "last_name"
    )
    return {youth.pk: youth.display_name for youth in youths}


def _item_youth(item: ActionItem) -> int | None:
    return item.youth_id or (item.meeting.youth_id if item.meeting is not None else None)


def calendar_page(*, user: User, now: datetime.datetime | None = None) -> CalendarPage:
    """The calendar page: the person's coming meetings and open action items (their own only).

    A meeting or item about a youth names the youth only if the person may open the youth now;
    the read is audited (calendar.viewed) with the youths named. A constant number of queries.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    meetings = list(meetings_for_user(user=user, start=now, end=now + PAGE_AHEAD))
    items = list(action_items_open_for_user(user=user))
    names = _names_visible(user, [m.youth_id for m in meetings] + [_item_youth(i) for i in items])
    soon = today + datetime.timedelta(days=settings.LAGET_ACTION_ITEM_DUE_DAYS)
    page = CalendarPage(
        meetings=[
            CalendarMeeting(meeting=m, url=meeting_url(m.pk), youth_name=names.get(m.youth_id or 0, ""))
            for m in meetings
        ],
        items=[
            CalendarItem(
                item=i,
                url=action_item_url(i),
                overdue=i.due_on < today,
                due_soon=today <= i.due_on <= soon,
                youth_name=names.get(_item_youth(i) or 0, ""),
            )
            for i in items
        ],
    )
    audit.record(
        actor=user,
        action="calendar.viewed",
        object_type="teams.calendar",
        object_id=user.pk,
        detail={"meetings": [m.pk for m in meetings], "action_items": [i.pk for i in items], "youths": sorted(names)},
    )
    return page


# --- iCalendar -------------------------------------------------------------------------------


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


def _text(cal: Calendar) -> str:
    ical: bytes = cal.to_ical()
    return ical.decode()


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@laget"


def action_item_uid(item: ActionItem) -> str:
    return f"action-item-{item.pk}@laget"


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def meeting_event(meeting: Meeting, *, stamp: datetime.datetime) -> Event:
    """One meeting as a VEVENT: type, time in UTC, place, a link to Laget; nothing about the youth.
    UID stays the same for the meeting's life and SEQUENCE rises with each change of time or
    place, so calendar programs update the entry instead of adding a second one."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting_summary(meeting))
    link = absolute(meeting_url(meeting.pk))
    lines = [_("See the meeting in Laget (sign-in needed): %(link)s") % {"link": link}]
    if meeting.place and meeting.video_link:
        lines.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    event.add("description", "\n".join(lines))
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    event.add("url", link)
    event.add("status", "CANCELLED" if meeting.state == Meeting.State.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    return event


def _organizer() -> vCalAddress:
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return _address(email or settings.DEFAULT_FROM_EMAIL, name or "Laget")


def meeting_invitation(*, meeting: Meeting, attendee: Any, now: datetime.datetime | None = None) -> str:
    """The invitation (METHOD:REQUEST) sent with a meeting reminder to one staff participant:
    Laget is the organiser, and the person is the only attendee named."""
    now = now or timezone.now()
    cal = _calendar("REQUEST")
    event = meeting_event(meeting, stamp=now)
    event.add("organizer", _organizer())
    person = _address(attendee.email, attendee.full_name)
    person.params["ROLE"] = "REQ-PARTICIPANT"
    person.params["PARTSTAT"] = "NEEDS-ACTION"
    person.params["RSVP"] = "FALSE"
    event.add("attendee", person, encode=False)
    cal.add_component(event)
    return _text(cal)


def meeting_cancellation(*, meeting: Meeting, attendee: Any, now: datetime.datetime | None = None) -> str:
    """The cancellation (METHOD:CANCEL) of an invitation sent before: the same UID, so the
    person's calendar program removes the entry (the cancelled meeting's SEQUENCE is higher)."""
    now = now or timezone.now()
    cal = _calendar("CANCEL")
    event = meeting_event(meeting, stamp=now)
    event["status"] = "CANCELLED"
    event.add("organizer", _organizer())
    event.add("attendee", _address(attendee.email, attendee.full_name), encode=False)
    cal.add_component(event)
    return _text(cal)


def action_item_todo(item: ActionItem, *, stamp: datetime.datetime) -> Todo:
    """An open action item as a VTODO due on its day: a generic title, a link to its meeting."""
    todo = Todo()
    todo.add("uid", action_item_uid(item))
    todo.add("sequence", 0)
    todo.add("dtstamp", stamp.astimezone(UTC))
    todo.add("due", item.due_on)
    todo.add("summary", _("Action item due (Laget)"))
    link = absolute(action_item_url(item))
    todo.add("description", _("See the action item in Laget (sign-in needed): %(link)s") % {"link": link})
    todo.add("url", link)
    todo.add("status", "IN-PROCESS" if item.status == ActionItem.Status.IN_PROGRESS else "NEEDS-ACTION")
    todo.add("class", "PRIVATE")
    return todo


def feed_calendar(*, user: User, now: datetime.datetime | None = None) -> str:
    """The person's feed (METHOD:PUBLISH): their meetings from FEED_PAST ago to FEED_AHEAD ahead,
    cancelled ones marked so, and their open action items."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", _("Laget"))
    cal.add("x-published-ttl", datetime.timedelta(hours=1))
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for meeting in meetings_for_user(user=user, start=now - FEED_PAST, end=now + FEED_AHEAD):
        cal.add_component(meeting_event(meeting, stamp=now))
    for item in action_items_open_for_user(user=user):
        cal.add_component(action_item_todo(item, stamp=now))
    return _text(cal)
