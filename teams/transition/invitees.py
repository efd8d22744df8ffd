"""Reads for the handover meeting at 18 (issue 14, point 3): whom the youth's transition
checklist names as receiving the youth (the person who takes over lead responsibility, the
contacts at NAV and in adult health services), the meeting's agenda from the checklist, and the
time and place its form starts from.

Each takes a Checklist already read for one person (teams.transition.selectors: a point withheld
from them by the sharing policy is neither proposed nor listed) or a youth already fetched
through core.access.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cases.models import Youth
from core.dates import today_in_oslo
from org.models import Unit
from org.selectors import staffroles_active
from teams.models import Meeting, TransitionItem, TransitionPoint
from teams.transition.selectors import Checklist, Point

if TYPE_CHECKING:
    from core.models import User

HANDOVER_POINTS = (TransitionPoint.LEAD, TransitionPoint.NAV, TransitionPoint.HEALTH)


@dataclass(frozen=True)
class HandoverInvitee:
    """Someone the checklist names as receiving the youth after 18. Staff in Laget (`user`,
    acting for `unit`) are invited as staff; a contact outside Laget as an external participant
    (`name`, `organisation`). `key` is the checklist point that names them."""

    point: str
    label: str
    name: str
    organisation: str
    user: User | None = None
    unit: Unit | None = None

    @property
    def key(self) -> str:
        return self.point


def _staff_named(unit: Unit, name: str) -> User | None:
    """The one person with a role in force in `unit` whose full name is `name` (any case), if any."""
    roles = staffroles_active().filter(unit=unit, user__is_active=True, user__full_name__iexact=name.strip())
    users = {role.user_id: role.user for role in roles.select_related("user")}
    return next(iter(users.values())) if len(users) == 1 else None


def _invitee(point: Point) -> HandoverInvitee | None:
    item = point.item
    if point.withheld or item is None or not item.is_settled:
        return None
    unit = item.unit
    if point.point == TransitionPoint.LEAD:
        if item.lead_user is None or item.lead_outcome == TransitionItem.LeadOutcome.ENDS:
            return None
        lead = item.lead_user
        return HandoverInvitee(point.point, point.label, lead.full_name or lead.email, str(unit or ""), lead, unit)
    if not item.contact_name:
        return None
    staff = _staff_named(unit, item.contact_name) if unit is not None else None
    organisation = str(unit) if unit is not None else point.label
    return HandoverInvitee(point.point, point.label, item.contact_name, organisation, staff, unit if staff else None)


def _same(a: HandoverInvitee, b: HandoverInvitee) -> bool:
    if a.user is not None or b.user is not None:
        return a.user == b.user
    return a.name.lower() == b.name.lower()


def handover_invitees(checklist: Checklist) -> list[HandoverInvitee]:
    """Whom the checklist names as receiving the youth (settled points the reader sees): lead
    responsibility first, then NAV and adult health services; one person once."""
    by_point = {p.point: p for p in checklist.points}
    found: list[HandoverInvitee] = []
    for value in HANDOVER_POINTS:
        invitee = _invitee(by_point[value])
        if invitee is not None and not any(_same(invitee, other) for other in found):
            found.append(invitee)
    return found


def handover_agenda(checklist: Checklist) -> str:
    """The handover meeting's agenda: the checklist's points the reader sees, the open ones
    first (what the meeting is to settle), then those already settled (to confirm)."""
    shown = [p for p in checklist.points if not p.withheld and p.applies]
    open_points = [p.label for p in shown if not p.settled]
    settled = [p.label for p in shown if p.settled]
    lines: list[str] = []
    if open_points:
        lines += [_("Still open on the checklist:"), *(f"- {label}" for label in open_points)]
    if settled:
        lines += [_("Settled, to confirm:"), *(f"- {label}" for label in settled)]
    lines.append(_("The youth's own view, and who does what next."))
    return "\n".join(lines)


@dataclass(frozen=True)
class HandoverProposal:
    """What the handover meeting's form starts from."""

    day: datetime.date
    starts: datetime.time
    ends: datetime.time
    place: str


def handover_meeting_proposal(youth: Youth, *, today: datetime.date | None = None) -> HandoverProposal:
    """In two weeks, or a week before the 18th birthday when that comes sooner, never before
    tomorrow, on a weekday, 10–11; where the youth's latest meeting was held."""
    today = today or today_in_oslo()
    soon = min(today + datetime.timedelta(days=14), youth.eighteenth_birthday - datetime.timedelta(days=7))
    day = max(today + datetime.timedelta(days=1), soon)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += datetime.timedelta(days=1)
    place = (
        Meeting.objects.filter(youth=youth)
        .exclude(place="")
        .order_by("-starts_at", "-id")
        .values_list("place", flat=True)
        .first()
    )
    return HandoverProposal(day, datetime.time(10, 0), datetime.time(11, 0), place or "")
