"""Reads of the transition checklist (issue 14): what is settled, what is still open, what is
overdue, and when the next alert comes.

- The checklist is due for a youth from the first alert's month (LAGET_TURNING_18_ALERT_MONTHS,
  12 months before the 18th birthday) and stays on the plan after the birthday, so the youth
  and the team keep what was agreed.
- A point is settled (who, when, how), does not apply (with the reason) or is open; an open
  point past its month (teams.transition.policy.SETTLE_BY_MONTHS) is overdue.
- The consent point is settled by a consent in force given by the youth alone (age rule
  "adult": a consent that starts on or after the 18th birthday, consent.services.consent_age_rule)
  on the birthday or today, whichever is later; the checklist links to it. It can be marked as
  not applying (nothing is to be shared after 18), never settled by hand.
- `transition_progress` counts for many youths at once in a fixed number of queries (the
  leader's list, the alerts); `transition_checklist` shows one youth's points as one person may
  see them: each point only when the sharing policy opens its category (POINT_CATEGORY),
  recorded by the service that keeps the youth's record, like a goal of Min plan. The caller
  that returns the checklist logs the read and the disclosure (teams.plans.selectors.plan_shown
  and `transition_checklist_shown`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings

from cases.models import Youth
from cases.selectors import followup_current
from consent import policy as consent_policy
from consent.models import Category, ConsentVersion
from consent.services import disclosure_record
from core import access, audit
from core.dates import add_months, today_in_oslo
from teams.models import Meeting, TransitionItem, TransitionPoint
from teams.transition.policy import POINT_CATEGORY, SETTLE_BY_MONTHS, age_limit, followed_until

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

POINTS: tuple[str, ...] = tuple(TransitionPoint.values)
STATE = TransitionItem.State


def alert_months() -> tuple[int, ...]:
    """The alert steps, in months before the 18th birthday, the earliest first (12, 6, 3, 1)."""
    return tuple(sorted({int(m) for m in settings.LAGET_TURNING_18_ALERT_MONTHS}, reverse=True))


def alert_day(youth: Youth, months: int) -> datetime.date:
    """The day of the alert `months` months before the youth's 18th birthday."""
    return add_months(youth.eighteenth_birthday, -months)


def checklist_opens_on(youth: Youth) -> datetime.date:
    """From this day the checklist is due: the first alert's day (12 months before 18)."""
    return alert_day(youth, max(alert_months()))


def checklist_due(youth: Youth, *, today: datetime.date | None = None) -> bool:
    """Is the checklist part of the youth's plan now (from the first alert's day on)?"""
    return checklist_opens_on(youth) <= (today or today_in_oslo())


def alert_step(youth: Youth, *, today: datetime.date | None = None) -> int | None:
    """The alert step the youth is in today: the fewest months whose day has come, before the
    18th birthday; None before the first step's day and from the birthday on. A step whose day
    passed while no alert went out is covered by the later one (teams.transition.alerts)."""
    today = today or today_in_oslo()
    if today >= youth.eighteenth_birthday:
        return None
    due = [m for m in alert_months() if alert_day(youth, m) <= today]
    return min(due) if due else None


def next_alert_on(youth: Youth, *, today: datetime.date | None = None) -> datetime.date | None:
    """The day of the next alert still to come, None when none is left."""
    today = today or today_in_oslo()
    days = [alert_day(youth, m) for m in alert_months()]
    later = [d for d in days if d > today and d < youth.eighteenth_birthday]
    return min(later) if later else None


def settle_by(youth: Youth, point: str) -> datetime.date:
    """By when the point should be settled (SETTLE_BY_MONTHS before the 18th birthday)."""
    return add_months(youth.eighteenth_birthday, -SETTLE_BY_MONTHS[point])


# --- The points' states ---------------------------------------------------------------------


def _items(youth_ids: Iterable[int]) -> dict[int, dict[str, TransitionItem]]:
    found: dict[int, dict[str, TransitionItem]] = defaultdict(dict)
    rows = TransitionItem.objects.filter(youth_id__in=list(youth_ids)).select_related("settled_by", "unit", "lead_user")
    for item in rows:
        found[item.youth_id][item.point] = item
    return found


def youth_consents(youths: Iterable[Youth], *, today: datetime.date | None = None) -> dict[int, ConsentVersion]:
    """For each youth, a consent given by the youth alone that is in force on the 18th birthday
    or today, whichever is later (the one recorded last), in two queries for all of them."""
    today = today or today_in_oslo()
    by_id = {y.pk: y for y in youths}
    versions = (
        ConsentVersion.objects.current()
        .filter(consent__youth_id__in=list(by_id), age_rule=ConsentVersion.AgeRule.ADULT)
        .select_related("consent")
        .prefetch_related("answers")
        .order_by("-recorded_at", "-id")
    )
    found: dict[int, ConsentVersion] = {}
    for version in versions:
        youth = by_id[version.consent.youth_id]
        day = max(today, youth.eighteenth_birthday)
        if youth.pk not in found and consent_policy.version_in_force(version, youth, day):
            found[youth.pk] = version
    return found


@dataclass
class Point:
    """One point of a youth's checklist as it stands (not yet filtered for a viewer)."""

    point: str
    label: str
    state: str
    item: TransitionItem | None
    consent: ConsentVersion | None
    settle_by: datetime.date
    overdue: bool
    withheld: bool = False

    @property
    def settled(self) -> bool:
        return self.state == STATE.SETTLED

    @property
    def applies(self) -> bool:
        return self.state != STATE.NOT_APPLICABLE

    @property
    def is_open(self) -> bool:
        return self.state == STATE.OPEN

    @property
    def category(self) -> str:
        return POINT_CATEGORY[self.point]


def _points(
    youth: Youth, items: dict[str, TransitionItem], consent: ConsentVersion | None, today: datetime.date
) -> list[Point]:
    points = []
    for value, label in TransitionPoint.choices:
        item = items.get(value)
        state = item.state if item is not None else STATE.OPEN
        if value == TransitionPoint.CONSENT and consent is not None:
            state = STATE.SETTLED
        by = settle_by(youth, value)
        points.append(
            Point(
                point=value,
                label=str(label),
                state=state,
                item=item,
                consent=consent if value == TransitionPoint.CONSENT else None,
                settle_by=by,
                overdue=state == STATE.OPEN and by <= today,
            )
        )
    return points


@dataclass
class Progress:
    """How far a youth's checklist has come: `settled` of `total` points that apply."""

    youth: Youth
    birthday: datetime.date
    settled: int
    total: int
    overdue: int
    open_labels: list[str]
    next_alert: datetime.date | None
    step: int | None

    @property
    def complete(self) -> bool:
        return self.settled == self.total


def _progress(youth: Youth, points: list[Point], today: datetime.date) -> Progress:
    applying = [p for p in points if p.applies]
    return Progress(
        youth=youth,
        birthday=youth.eighteenth_birthday,
        settled=sum(p.settled for p in applying),
        total=len(applying),
        overdue=sum(p.overdue for p in applying),
        open_labels=[p.label for p in applying if not p.settled],
        next_alert=next_alert_on(youth, today=today),
        step=alert_step(youth, today=today),
    )


def transition_progress(youths: Iterable[Youth], *, today: datetime.date | None = None) -> dict[int, Progress]:
    """Each youth's progress, in three queries whatever the number of youths. The caller has
    made sure the reader may see these youths (core.access); counts name no point's content."""
    today = today or today_in_oslo()
    youths = list(youths)
    items = _items(y.pk for y in youths)
    consents = youth_consents(youths, today=today)
    return {y.pk: _progress(y, _points(y, items.get(y.pk, {}), consents.get(y.pk), today), today) for y in youths}


# --- One youth's checklist, as one person may see it ---------------------------------------


@dataclass
class Checklist:
    """A youth's checklist for one reader: the points the sharing policy shows them (a withheld
    point says only that it is withheld), and the progress over every point."""

    youth: Youth
    birthday: datetime.date
    due: bool
    points: list[Point]
    progress: Progress
    withheld: int = 0
    after_birthday: bool = False
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def open_points(self) -> list[Point]:
        return [p for p in self.points if not p.withheld and p.state == STATE.OPEN]


def transition_checklist(
    *, youth: Youth, show: Callable[[list[str]], bool], today: datetime.date | None = None
) -> Checklist:
    """The youth's checklist, each point shown when `show(categories)` says so (a viewer's
    `show` with the record's service, which remembers the decision for the caller's disclosure
    log). Identity and contact come with every point: it says who the youth is."""
    today = today or today_in_oslo()
    items = _items([youth.pk]).get(youth.pk, {})
    consent = youth_consents([youth], today=today).get(youth.pk)
    points = _points(youth, items, consent, today)
    progress = _progress(youth, points, today)
    withheld = 0
    for point in points:
        if not show(sorted({Category.IDENTITY_CONTACT.value, point.category})):
            point.withheld = True
            point.item = None
            point.consent = None
            withheld += 1
    return Checklist(
        youth=youth,
        birthday=youth.eighteenth_birthday,
        due=checklist_due(youth, today=today),
        points=points,
        progress=progress,
        withheld=withheld,
        after_birthday=today >= youth.eighteenth_birthday,
    )


def transition_checklist_for(
    viewer: consent_policy.Viewer, youth: Youth, *, today: datetime.date | None = None
) -> Checklist:
    """The checklist as `viewer` may see it (the viewer remembers what was shown)."""
    record_unit = viewer.facts.record_unit
    return transition_checklist(youth=youth, show=lambda cats: viewer.show(cats, record_unit), today=today)


def transition_youth_get(*, user: User | AnonymousUser, pk: int) -> Youth:
    """The youth whose checklist is asked for, through core.access: 404 to whoever may not see them."""
    return access.get(user, Youth.objects.select_related("district"), pk=pk)


def transition_checklist_shown(*, user: User | AnonymousUser, youth: Youth | int, channel: str = "api") -> Checklist:
    """One youth's checklist for `user` on its own (the API): the youth through core.access (404
    to outsiders), the read audited (transition.viewed) and what was shown logged as a
    disclosure on `channel`."""
    found = transition_youth_get(user=user, pk=youth if isinstance(youth, int) else youth.pk)
    viewer = consent_policy.viewer(user, found)
    checklist = transition_checklist_for(viewer, found)
    audit.record(
        actor=user,
        action="transition.viewed",
        target=found,
        youth=found,
        detail={"channel": channel, "shown": [p.point for p in checklist.points if not p.withheld]},
    )
    disclosure_record(user=user, youth=found, decisions=viewer.shown, channel=channel)
    return checklist


def transition_item_get(*, youth: Youth, point: str) -> TransitionItem | None:
    """The stored row of one point, if any (for a form's initial values)."""
    return TransitionItem.objects.filter(youth=youth, point=point).select_related("unit", "lead_user").first()


def handover_meetings(*, user: User | AnonymousUser, youth: Youth) -> list[Meeting]:
    """The handover meetings at 18 about the youth that `user` may see (core.access), not
    cancelled, the earliest first: "Etter 18" links them beside "plan the handover meeting"."""
    meetings = Meeting.objects.filter(youth=youth, about_turning_18=True).exclude(state=Meeting.State.CANCELLED)
    return list(access.visible(user, meetings).order_by("starts_at", "pk")[:5])


def lead_followed_until(youth: Youth, item: TransitionItem) -> datetime.date | None:
    """Until which day the service holding lead responsibility after 18 may follow the youth
    (its age limit, teams.transition.policy.age_limit: the one-to-one limit when it is the
    service that holds the youth's follow-up)."""
    if item.unit is None:
        return None
    followup = followup_current(youth=youth)
    holds = followup is not None and followup.unit_id == item.unit_id
    return followed_until(youth.birth_date, age_limit(item.unit, holds_followup=holds))
