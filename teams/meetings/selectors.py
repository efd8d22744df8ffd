"""Reads of meetings, minutes and action items, always through core.access (a meeting the
person may not see is a 404) and, for a meeting about a youth, the sharing policy: each
minutes section carries the category of its heading (teams.meetings.minutes_template) and was written
in the organising unit, so consent.policy decides, section by section, what this person is
shown; what is withheld is left out and the page says so. A page or PDF of a meeting about a
youth logs what it disclosed (consent.services.disclosure_record) and is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from consent import policy as consent_policy
from consent.services import disclosure_record
from core import access, audit
from teams.meetings.minutes_template import IDENTITY, Heading, headings_for_meeting
from teams.models import (
    YOUTH_MEETING_KINDS,
    ActionItem,
    Meeting,
    MeetingParticipant,
    Minutes,
    MinutesRevision,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

OPEN_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)
_LIST_RELATED = ("unit", "district", "youth")


def meetings_visible(*, user: User | AnonymousUser) -> QuerySet[Meeting]:
    return access.visible(user, Meeting.objects.select_related(*_LIST_RELATED))


def meetings_listed(*, user: User | AnonymousUser, upcoming: bool = True) -> QuerySet[Meeting]:
    """The person's meetings: those they are invited to, organised by their services or about
    youths they follow; upcoming (not yet ended) soonest first, or past latest first. Ordered by
    (starts_at, id), so the API pages it by key."""
    now = timezone.now()
    qs = meetings_visible(user=user).annotate(participant_count=Count("participants"))
    if upcoming:
        return qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")


def meetings_mark_invited(*, user: User | AnonymousUser, meetings: list[Meeting]) -> list[Meeting]:
    """Mark each meeting `invited` when the person is invited to it (one query)."""
    mine = set(
        MeetingParticipant.objects.filter(meeting__in=[m.pk for m in meetings], user=user.pk).values_list(
            "meeting_id", flat=True
        )
    )
    for meeting in meetings:
        meeting.invited = meeting.pk in mine  # type: ignore[attr-defined]
    return meetings


def meetings_for_user(*, user: User | AnonymousUser, upcoming: bool = True, limit: int = 100) -> list[Meeting]:
    """The person's meetings (meetings_listed), the first `limit` of them. Constant queries."""
    return meetings_mark_invited(
        user=access.signed_in(user), meetings=list(meetings_listed(user=user, upcoming=upcoming)[:limit])
    )


def meetings_for_youth(*, user: User, youth: Any, limit: int = 20) -> list[Meeting]:
    """The meetings about one youth the person may see, newest first (for the youth's page)."""
    return list(meetings_visible(user=user).filter(youth=youth).order_by("-starts_at", "-id")[:limit])


def meeting_get(*, user: User | AnonymousUser, pk: int, action: str = access.VIEW) -> Meeting:
    """One meeting: 404 for those who may not see it, 403 for those who may not do `action`."""
    return access.get(
        user, Meeting.objects.select_related(*_LIST_RELATED, "series", "created_by"), action=action, pk=pk
    )


def participants_of(*, meeting: Meeting) -> list[MeetingParticipant]:
    """Who is invited, each marked `stopped` when it is a guardian's invitation to a meeting on
    or after the youth's 18th birthday without the youth's consent to involving the guardians
    (consent.policy.guardians_told at the meeting's start): kept as history, shown as stopped,
    and the guardian is not told of it (page and API)."""
    participants = list(
        meeting.participants.select_related(
            "user", "unit", "guardian", "meeting__youth", "rating_recorded_by"
        ).order_by("kind", "id")
    )
    guardians = [p for p in participants if p.kind == MeetingParticipant.Kind.GUARDIAN]
    told = (
        consent_policy.guardians_told(meeting.youth, at=meeting.starts_at)
        if guardians and meeting.youth is not None
        else True
    )
    for participant in participants:
        participant.stopped = participant in guardians and not told
    return participants


def action_items_of(*, meeting: Meeting) -> list[ActionItem]:
    return list(meeting.action_items.select_related("owner", "done_by").order_by("due_on", "id"))


def action_items_carried(*, meeting: Meeting) -> list[ActionItem]:
    """Open action items of the same team's earlier meetings, carried onto this meeting's agenda
    until done: the same youth, or for intake and list meetings the same series or the same
    district and kind of meeting."""
    if meeting.youth_id is not None:
        team = Q(youth_id=meeting.youth_id)
    else:
        team = Q(meeting__kind=meeting.kind) & (
            Q(meeting__district_id=meeting.district_id)
            if meeting.district_id is not None
            else Q(meeting__unit_id=meeting.unit_id)
        )
        if meeting.series_id is not None:
            team |= Q(meeting__series_id=meeting.series_id)
    earlier = Q(meeting__starts_at__lt=meeting.starts_at) & ~Q(meeting__state=Meeting.State.CANCELLED)
    if meeting.youth_id is not None:
        # The steps of the youth's plan (teams.plans), made before it in a meeting or outside one.
        earlier |= Q(from_plan=True, created_at__lt=meeting.starts_at)
    return list(
        ActionItem.objects.filter(team, earlier, status__in=OPEN_STATUSES)
        .exclude(meeting=meeting)
        .select_related("owner", "meeting")
        .order_by("due_on", "id")
    )


# What of a youth's plan's steps (action items from teams.plans) a person is shown on a meeting
# page: teams.plans sits above meetings and registers its filter at start-up (teams.apps);
# until then a plan's steps are shown to no one here.
_plan_items_filters: list[Callable[..., list[ActionItem]]] = []


def register_plan_items_filter(shown: Callable[..., list[ActionItem]]) -> None:
    """`shown(viewer=, items=)`: the items the viewer is shown, each decision remembered."""
    if shown not in _plan_items_filters:
        _plan_items_filters.append(shown)


def _plan_items_shown(viewer: Any, items: list[ActionItem]) -> list[ActionItem]:
    if not _plan_items_filters:
        return [i for i in items if not i.from_plan]
    for shown in _plan_items_filters:
        items = shown(viewer=viewer, items=items)
    return items


def action_items_on(*, meeting: Meeting) -> list[ActionItem]:
    """The action items whose status can be changed from this meeting: its own and those
    carried onto it. Not filtered by the sharing policy: the service refuses a change to an item
    withheld from the person (teams.meetings.services.action_item_set_status)."""
    return action_items_of(meeting=meeting) + action_items_carried(meeting=meeting)


def minutes_current(*, meeting: Meeting) -> tuple[Minutes, MinutesRevision | None]:
    """The minutes and their current revision (None while nothing is written)."""
    minutes, _created = Minutes.objects.select_related("approved_by").get_or_create(meeting=meeting)
    revision = minutes.revisions.filter(number=minutes.revision).select_related("saved_by").first()
    return minutes, revision


def minutes_history(*, user: User | AnonymousUser, meeting: Meeting, audited: bool = True) -> list[MinutesRevision]:
    """Every saved revision, the newest first, with who saved it (no text: who saved and when),
    the read audited as minutes.history_viewed. `audited=False` where the same page also shows one
    revision's text: that read, meeting_view, is the one audited."""
    history = list(
        MinutesRevision.objects.filter(minutes__meeting=meeting).select_related("saved_by").order_by("-number")
    )
    if audited:
        audit.record(actor=user, action="minutes.history_viewed", target=meeting, youth=meeting.youth_id)
    return history


def minutes_revision_get(*, meeting: Meeting, number: int) -> MinutesRevision | None:
    return MinutesRevision.objects.filter(minutes__meeting=meeting, number=number).select_related("saved_by").first()


# --- What one person is shown --------------------------------------------------------------


@dataclass
class Section:
    heading: Heading
    text: str


@dataclass
class MeetingView:
    """One meeting as one person may see it (consent.policy for a meeting about a youth)."""

    meeting: Meeting
    minutes: Minutes
    revision: MinutesRevision | None
    participants: list[MeetingParticipant]
    sections: list[Section] = field(default_factory=list)
    withheld: list[Heading] = field(default_factory=list)
    decisions: str = ""
    decisions_withheld: bool = False
    action_items: list[ActionItem] = field(default_factory=list)
    carried: list[ActionItem] = field(default_factory=list)
    viewer: consent_policy.Viewer | None = None

    @property
    def anything_withheld(self) -> bool:
        return bool(self.withheld) or self.decisions_withheld

    @property
    def headings(self) -> tuple[Heading, ...]:
        return headings_for_meeting(self.meeting)

    @property
    def ratings(self) -> list[MeetingParticipant]:
        return [p for p in self.participants if p.rating is not None]


def sections_for(*, meeting: Meeting, viewer: consent_policy.Viewer | None) -> tuple[list[Heading], list[Heading]]:
    """The template's headings this person may see, and those withheld from them."""
    shown: list[Heading] = []
    withheld: list[Heading] = []
    for heading in headings_for_meeting(meeting):
        if viewer is None or viewer.show(heading.category, meeting.unit):
            shown.append(heading)
        else:
            withheld.append(heading)
    return shown, withheld


def viewer_for(*, user: User | AnonymousUser, meeting: Meeting) -> consent_policy.Viewer | None:
    if meeting.kind in YOUTH_MEETING_KINDS and meeting.youth is not None:
        return consent_policy.viewer(user, meeting.youth)
    return None


def decisions_open(*, meeting: Meeting, viewer: consent_policy.Viewer | None) -> bool:
    """Decisions and action items are the team's work, identity-and-contact information written
    in the organising unit."""
    return viewer is None or viewer.show(IDENTITY, meeting.unit)


@dataclass
class MinutesParts:
    """The parts of a meeting's minutes one person sees, and so may write (consent.policy): the
    template's headings they see and those withheld, and whether they see the decisions."""

    headings: list[Heading]
    withheld: list[Heading]
    decisions: bool


def minutes_parts(*, user: User | AnonymousUser, meeting: Meeting) -> MinutesParts:
    viewer = viewer_for(user=user, meeting=meeting)
    shown, withheld = sections_for(meeting=meeting, viewer=viewer)
    return MinutesParts(shown, withheld, decisions_open(meeting=meeting, viewer=viewer))


def meeting_view(
    *, user: User | AnonymousUser, meeting: Meeting, channel: str = "view", revision: MinutesRevision | None = None
) -> MeetingView:
    """Build the meeting for one person, log what it disclosed and audit the read
    ("meeting.viewed", or "minutes.printed" for the PDF)."""
    minutes, current = minutes_current(meeting=meeting)
    revision = revision or current
    viewer = viewer_for(user=user, meeting=meeting)
    shown, withheld = sections_for(meeting=meeting, viewer=viewer)
    texts = revision.sections if revision is not None else {}
    view = MeetingView(
        meeting=meeting,
        minutes=minutes,
        revision=revision,
        participants=participants_of(meeting=meeting),
        sections=[Section(h, texts.get(h.key, "")) for h in shown],
        # Only what was actually written is said to be withheld.
        withheld=[h for h in withheld if texts.get(h.key)],
        carried=action_items_carried(meeting=meeting),
        viewer=viewer,
    )
    if decisions_open(meeting=meeting, viewer=viewer):
        view.decisions = revision.decisions if revision is not None else ""
        view.action_items = action_items_of(meeting=meeting)
        if viewer is not None:  # a plan's steps by the category of their goal's life area
            view.action_items = _plan_items_shown(viewer, view.action_items)
            view.carried = _plan_items_shown(viewer, view.carried)
    else:
        view.decisions_withheld = True
        view.carried = []
    if viewer is not None and meeting.youth is not None:
        disclosure_record(user=user, youth=meeting.youth, decisions=viewer.shown, channel=channel)
    audit.record(
        actor=user,
        action="minutes.printed" if channel == "pdf" else "meeting.viewed",
        target=meeting,
        youth=meeting.youth_id,
        detail={
            "revision": revision.number if revision is not None else 0,
            "withheld": [h.key for h in view.withheld],
        },
    )
    return view


def meeting_plan_choices(*, user: User | AnonymousUser) -> dict[str, QuerySet[Any]]:
    """What a person may choose from when planning a meeting (the page's lists, the API's ids):
    the youths they may see, the services where they hold a role in force, and the colleagues
    in those services' districts (and in services of no district) they may invite."""
    from cases.models import Youth
    from core.models import User
    from org.models import Unit
    from org.selectors import staffroles_active

    roles = staffroles_active(user=user)
    units = Unit.objects.filter(pk__in=roles.values("unit_id")).select_related("district").order_by("name")
    districts = roles.filter(unit__district__isnull=False).values("unit__district_id")
    colleagues = staffroles_active().filter(Q(unit__district_id__in=districts) | Q(unit__district__isnull=True))
    people = (
        User.objects.filter(is_active=True, pk__in=colleagues.values("user_id"))
        .exclude(pk=access.signed_in(user).pk)
        .order_by("full_name", "email")
    )
    youths = access.visible(user, Youth.objects.all()).order_by("last_name", "first_name", "id")
    return {"youths": youths, "units": units, "people": people}


def meeting_people_choices(*, meeting: Meeting) -> QuerySet[Any]:
    """The people in Laget an action item can be given to: staff invited to the meeting."""
    from core.models import User

    return User.objects.filter(
        is_active=True, meeting_participations__meeting=meeting, meeting_participations__kind="staff"
    ).order_by("full_name", "email")


def youth_meetings_block(*, user: User, youth: Any) -> dict[str, Any]:
    """The context of templates/teams/partials/meeting_list_for_youth.html for the youth's page:
    the meetings about the youth the person sees, and whether they may plan one."""
    from teams.policy import may_plan_meeting

    return {
        "youth": youth,
        "meetings": meetings_for_youth(user=user, youth=youth),
        "may_plan_meeting": may_plan_meeting(user, kind="team", unit=None, youth=youth),
    }
