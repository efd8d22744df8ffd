"""What each person's home page shows, by the roles they hold (the youth rows it lists are
cases.rows')."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Contact, FollowUp, ReportingDate, Youth
from cases.rows import YouthRow, follower_loads, youth_rows
from cases.services import capacity_for
from consent.models import Category
from core import access
from core.outbox import OutboxStatus, outbox_status
from org import selectors as org_selectors
from org.models import District, StaffRole, Unit
from referrals.concerns import selectors as concern_selectors
from referrals.intake.selectors import in_queue_q
from referrals.models import IntakeCandidate
from teams.calendar import feed as team_calendar
from teams.models import ActionItem, Meeting, MeetingKind

from .turning_18 import HOME_SHOWN, TurningRow, turning_18_rows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

FOLLOWER_ROLES = {StaffRole.Role.FOLLOWER, StaffRole.Role.FAMILY_FOLLOWER}
REGISTERING_ROLES = {StaffRole.Role.COORDINATOR, StaffRole.Role.LEADER}
# A reporting duty (meldeplikt) this close is shown on the follower's home page: a missed report
# can turn a community sentence into prison (seed 003).
REPORTING_SOON = datetime.timedelta(days=7)
TASKS_SHOWN = 20
MEETINGS_AHEAD = datetime.timedelta(days=14)  # the home page's "my next meetings"
MEETINGS_SHOWN = 5
ACTION_ITEMS_SHOWN = 10


# --- Home ----------------------------------------------------------------------------------------


@dataclass
class FollowerLoad:
    user: User
    load: int
    limit: int

    @property
    def over_capacity(self) -> bool:
        return self.load > self.limit

    @property
    def at_capacity(self) -> bool:
        return self.load == self.limit


@dataclass
class UnitOverview:
    """A leader's Monday morning for one unit (journey 2)."""

    unit: Unit
    limit: int
    followers: list[FollowerLoad] = field(default_factory=list)
    youth_count: int = 0
    no_contact: list[YouthRow] = field(default_factory=list)
    # Turning 18 within 12 months, overdue checklist points first (reports.turning_18).
    turning_18: list[TurningRow] = field(default_factory=list)

    @property
    def over_capacity(self) -> list[FollowerLoad]:
        return [f for f in self.followers if f.over_capacity]

    @property
    def turning_18_first(self) -> list[TurningRow]:
        """The first few on the home page; the rest on the unit's list (reports.turning_18)."""
        return self.turning_18[:HOME_SHOWN]


@dataclass
class IntakeOverview:
    """A coordinator's intake at a glance: how many candidates wait, and the next intake meeting."""

    district: District
    waiting: int
    next_meeting: Meeting | None


@dataclass
class Home:
    roles: list[StaffRole]
    is_follower: bool = False
    is_coordinator: bool = False
    is_leader: bool = False
    may_register: bool = False
    led_units: list[Unit] = field(default_factory=list)
    coordinated_districts: list[District] = field(default_factory=list)
    coordinated_units: list[Unit] = field(default_factory=list)
    followers: list[StaffRole] = field(default_factory=list)
    follower_capacity: list[tuple[StaffRole, FollowerLoad]] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    my_youths: list[YouthRow] = field(default_factory=list)
    my_turning_18: list[TurningRow] = field(default_factory=list)
    my_tasks: list[Contact] = field(default_factory=list)
    my_load: FollowerLoad | None = None
    unit_overviews: list[UnitOverview] = field(default_factory=list)
    next_meetings: list[Meeting] = field(default_factory=list)
    my_action_items: list[ActionItem] = field(default_factory=list)
    intake: list[IntakeOverview] = field(default_factory=list)
    concern_deadlines: concern_selectors.DeadlineList | None = None
    email_outbox: OutboxStatus | None = None
    no_contact_days: int = 14
    today: datetime.date = field(default_factory=timezone.localdate)


def _my_youths(user: User | AnonymousUser, today: datetime.date) -> list[YouthRow]:
    rows = youth_rows(user=user, youths=case_selectors.youths_followed_by(user=user), today=today)
    if rows:
        now = timezone.now()
        upcoming = (
            ReportingDate.objects.filter(
                step__youth_id__in=[row.youth.pk for row in rows],
                due_at__gte=now,
                due_at__lte=now + REPORTING_SOON,
                attended__isnull=True,
            )
            .select_related("step__unit")
            .order_by("due_at")
        )
        viewers = {row.youth.pk: row.viewer for row in rows}
        first: dict[int, ReportingDate] = {}
        for date in upcoming:
            viewer = viewers[date.step.youth_id]
            if viewer is None or viewer.show(Category.POLICE, date.step.unit):
                first.setdefault(date.step.youth_id, date)
        for row in rows:
            row.next_reporting = first.get(row.youth.pk)
    return rows


def _my_tasks(user: User | AnonymousUser, youth_ids: list[int]) -> list[Contact]:
    """Open follow-up tasks from contacts the person logged or on the youths they follow, by due
    date, on youths they may still see."""
    visible = access.visible(user, Youth.objects.all()).values("pk")
    return list(
        Contact.objects.filter(deleted_at__isnull=True, task_done_at__isnull=True, youth_id__in=visible)
        .exclude(task="")
        .exclude(followup__state=FollowUp.State.CLOSED)
        .filter(Q(author=user) | Q(youth_id__in=youth_ids))
        .select_related("youth")
        .order_by(F("task_due_on").asc(nulls_last=True), "occurred_at")[:TASKS_SHOWN]
    )


def _unit_overviews(user: User | AnonymousUser, units: list[Unit], today: datetime.date) -> list[UnitOverview]:
    overviews = {unit.pk: UnitOverview(unit=unit, limit=capacity_for(unit=unit)) for unit in units}
    if not overviews:
        return []
    roles = list(
        org_selectors.staffroles_active()
        .filter(unit_id__in=overviews, role=StaffRole.Role.FOLLOWER)
        .select_related("user")
        .order_by("user__full_name")
    )
    loads = follower_loads(user_ids={role.user_id for role in roles})
    for role in roles:
        overview = overviews[role.unit_id]
        overview.followers.append(FollowerLoad(role.user, loads.get(role.user_id, 0), overview.limit))
    in_units = FollowUp.objects.filter(unit_id__in=overviews).exclude(state=FollowUp.State.CLOSED).values("youth_id")
    youths = case_selectors.youths_for_user(user=user).filter(pk__in=in_units)
    in_overviews = []
    for row in youth_rows(user=user, youths=youths, today=today):
        if row.followup is None or row.followup.unit_id not in overviews:
            continue
        in_overviews.append(row)
        overview = overviews[row.followup.unit_id]
        overview.youth_count += 1
        if row.no_contact:
            overview.no_contact.append(row)
    # Every unit's in one go (a fixed number of queries), in the list's order.
    for turning in turning_18_rows(in_overviews, today=today):
        if turning.row.followup is not None:
            overviews[turning.row.followup.unit_id].turning_18.append(turning)
    for overview in overviews.values():
        overview.followers.sort(key=lambda f: (-f.load, str(f.user)))
        overview.no_contact.sort(key=lambda r: -(r.days_since_contact if r.days_since_contact is not None else 10**6))
    return list(overviews.values())


def home_for_user(*, user: User | AnonymousUser) -> Home:
    """The sections of the home page. A fixed number of queries, whatever the organisation's size."""
    today = timezone.localdate()
    roles = org_selectors.roles_for_user(user=user)
    kinds = {role.role for role in roles}
    home = Home(roles=roles, no_contact_days=settings.LAGET_NO_CONTACT_DAYS, today=today)
    home.is_follower = bool(kinds & FOLLOWER_ROLES)
    home.is_coordinator = StaffRole.Role.COORDINATOR in kinds
    home.is_leader = StaffRole.Role.LEADER in kinds
    home.may_register = bool(kinds & REGISTERING_ROLES)
    home.units = list(org_selectors.units_for_user(user=user))
    home.my_youths = _my_youths(user, today)
    home.my_turning_18 = turning_18_rows(home.my_youths, today=today)
    if any(role.unit.kind == Unit.Kind.BARNEVERN for role in roles):
        home.concern_deadlines = concern_selectors.deadline_list(user=user)
    if roles:
        now = timezone.now()
        home.next_meetings = list(
            team_calendar.meetings_for_user(user=user, start=now, end=now + MEETINGS_AHEAD).exclude(
                state=Meeting.State.CANCELLED
            )[:MEETINGS_SHOWN]
        )
        home.my_action_items = list(team_calendar.action_items_open_for_user(user=user)[:ACTION_ITEMS_SHOWN])
    if home.is_follower or home.my_youths:
        home.is_follower = True
        home.my_tasks = _my_tasks(user, [row.youth.pk for row in home.my_youths])
        follower_units = [role.unit for role in roles if role.role == StaffRole.Role.FOLLOWER]
        if follower_units:
            limit = min(capacity_for(unit=unit) for unit in follower_units)
            me = access.signed_in(user)
            home.my_load = FollowerLoad(me, follower_loads(user_ids=[me.pk]).get(me.pk, 0), limit)
    if home.is_leader:
        active = org_selectors.active_role_q(prefix="roles__")
        home.led_units = list(
            org_selectors.units_led_by(user=user).annotate(
                staff_count=Count("roles__user", filter=active, distinct=True),
                follower_count=Count(
                    "roles__user", filter=active & Q(roles__role=StaffRole.Role.FOLLOWER), distinct=True
                ),
            )
        )
        home.unit_overviews = _unit_overviews(user, home.led_units, today)
        home.email_outbox = outbox_status()
    if home.is_coordinator:
        coordinated = [r.unit for r in roles if r.role == StaffRole.Role.COORDINATOR]
        home.coordinated_units = coordinated
        district_ids = {unit.district_id for unit in coordinated if unit.district_id}
        home.coordinated_districts = list(District.objects.filter(pk__in=district_ids).order_by("number"))
        home.followers = list(
            org_selectors.staffroles_active()
            .filter(role=StaffRole.Role.FOLLOWER, unit__district_id__in=district_ids)
            .select_related("user", "unit__district")
            .order_by("unit__district__number", "user__full_name")
        )
        loads = follower_loads(user_ids={role.user_id for role in home.followers})
        home.follower_capacity = [
            (role, FollowerLoad(role.user, loads.get(role.user_id, 0), capacity_for(unit=role.unit)))
            for role in home.followers
        ]
        home.intake = _intake_overviews(home.coordinated_districts)
    return home


def _intake_overviews(districts: list[District]) -> list[IntakeOverview]:
    """Two queries for any number of districts: the queue sizes, and the next intake meetings."""
    ids = [district.pk for district in districts]
    waiting = dict(
        IntakeCandidate.objects.filter(in_queue_q(), district_id__in=ids)
        .values_list("district_id")
        .annotate(n=Count("pk"))
        .values_list("district_id", "n")
    )
    upcoming = (
        Meeting.objects.filter(
            district_id__in=ids, kind=MeetingKind.INTAKE, state=Meeting.State.PLANNED, ends_at__gte=timezone.now()
        )
        .order_by("district_id", "starts_at")
        .distinct("district_id")
    )
    next_meeting = {meeting.district_id: meeting for meeting in upcoming}
    return [IntakeOverview(d, waiting.get(d.pk, 0), next_meeting.get(d.pk)) for d in districts]
