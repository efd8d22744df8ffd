"""Who turns 18 within the next 12 months (issue 14, point 5): the leader's list per unit, the
short lists on the leader's and the follower's home pages.

- The window: the 18th birthday falls on a day from today up to the same day 12 months ahead
  (core.dates.add_months), both included; the day the youth turns 18 they are still listed, the
  day after they are not. It is written as a range of birth dates, so PostgreSQL can use the
  index on Youth.birth_date (youth_birth_date), and `turns_18_within` says the same for a youth
  already loaded (the home pages).
- Who: the youths the reader may see (core.access), with an open follow-up in the unit (the
  leader's and coordinator's list), or followed by the reader (the follower's home). A youth
  whose identity and age the sharing policy withholds from the reader (consent.policy, as the
  other youth lists do) is left out: the birthday would tell the age.
- Each youth with the checklist's progress (teams.transition.selectors.transition_progress:
  settled of the points that apply, overdue points, the next alert) and the lead follower.
  Counts only: a point's content stays on the youth's plan, behind the sharing policy.
- Order: youths with overdue points first, then by the 18th birthday (then by name).
- Queries: a fixed number whatever the number of youths (the youths with their follow-ups and
  lead, the sharing decisions, the checklists' rows and the youths' consents). The list is
  bounded by the unit's youths in one year's birthdays, so it is sorted in Python (the overdue
  count comes from the checklist rules) and paged from there.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Q

from cases import selectors as case_selectors
from cases.models import FollowUp, Youth
from cases.rows import YouthRow, youth_row
from consent import policy as consent_policy
from consent.services import disclosures_record_for_list
from core import audit
from core.dates import add_months, born_on_or_before, today_in_oslo
from org.models import Unit
from org.selectors import unit_get
from teams.transition.selectors import Progress, transition_progress

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

WINDOW_MONTHS = 12
PER_PAGE = 50
HOME_SHOWN = 5  # the leader's home page shows the first few of each unit and links to the list


def window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last 18th birthday in the window (both included)."""
    return today, add_months(today, WINDOW_MONTHS)


def turns_18_within(birthday: datetime.date, today: datetime.date) -> bool:
    first, last = window(today)
    return first <= birthday <= last


def born_in_window_q(today: datetime.date) -> Q:
    """The window as birth dates (core.dates: birthday(born, 18) <= day ⇔ born <=
    born_on_or_before(day, 18)): not yet 18 yesterday, and 18 by the window's last day."""
    first, last = window(today)
    return Q(
        birth_date__gt=born_on_or_before(first - datetime.timedelta(days=1), 18),
        birth_date__lte=born_on_or_before(last, 18),
    )


@dataclass
class TurningRow:
    """One youth on the list: the birthday, the lead follower and the checklist's progress."""

    youth: Youth
    lead: Any
    progress: Progress
    row: YouthRow

    @property
    def birthday(self) -> datetime.date:
        return self.progress.birthday

    @property
    def overdue(self) -> int:
        return self.progress.overdue

    @property
    def next_alert(self) -> datetime.date | None:
        return self.progress.next_alert


def _order(row: TurningRow) -> tuple[bool, datetime.date, str, str, int]:
    return (row.overdue == 0, row.birthday, row.youth.last_name, row.youth.first_name, row.youth.pk)


def turning_18_rows(rows: Iterable[YouthRow], *, today: datetime.date | None = None) -> list[TurningRow]:
    """Of rows already built for the reader (cases.rows), those turning 18 in the window whose
    age the reader may see, with their progress, overdue first (three queries when any)."""
    today = today or today_in_oslo()
    kept = [r for r in rows if r.identity and turns_18_within(r.youth.eighteenth_birthday, today)]
    if not kept:
        return []
    progress = transition_progress([r.youth for r in kept], today=today)
    return sorted((TurningRow(r.youth, r.lead, progress[r.youth.pk], r) for r in kept), key=_order)


def _unit_youths(user: User | AnonymousUser, unit: Unit, today: datetime.date) -> list[Youth]:
    in_unit = FollowUp.objects.filter(unit=unit).exclude(state=FollowUp.State.CLOSED).values("youth_id")
    return list(case_selectors.youths_for_user(user=user).filter(born_in_window_q(today), pk__in=in_unit))


def turning_18_for_unit(
    *, user: User | AnonymousUser, unit: Unit, today: datetime.date | None = None
) -> list[TurningRow]:
    """The unit's youths turning 18 in the window as `user` may see them, overdue first. Logs
    nothing: the caller logs what it shows (`turning_18_shown`)."""
    today = today or today_in_oslo()
    youths = _unit_youths(user, unit, today)
    viewers = consent_policy.viewers(user, youths)
    return turning_18_rows([youth_row(y, today=today, viewer=viewers[y.pk]) for y in youths], today=today)


@dataclass
class TurningList:
    unit: Unit
    page: Page[TurningRow]
    today: datetime.date

    @property
    def rows(self) -> list[TurningRow]:
        return list(self.page.object_list)


def turning_18_shown(*, user: User | AnonymousUser, unit_pk: int, page: str | int | None = None) -> TurningList:
    """The leader's list of one unit (its leaders and coordinators: org.policy "oversee"; 404 to
    anyone without a role in the unit, 403 to its other staff), one page of it. The read is
    audited (transition.list_viewed, with the youths shown) and what crossed a service boundary
    on the page is logged as disclosed, as the other youth lists do."""
    unit = unit_get(user=user, pk=unit_pk, action="oversee")
    today = today_in_oslo()
    shown = Paginator(turning_18_for_unit(user=user, unit=unit, today=today), PER_PAGE).get_page(page)
    rows: list[TurningRow] = list(shown.object_list)
    disclosures_record_for_list(user=user, viewers=[r.row.viewer for r in rows if r.row.viewer], channel="view")
    audit.record(
        actor=user,
        action="transition.list_viewed",
        target=unit,
        detail={"page": shown.number, "youths": [r.youth.pk for r in rows]},
    )
    return TurningList(unit=unit, page=shown, today=today)
