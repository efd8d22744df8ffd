"""What each person's home page shows, by the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from teams import selectors as team_selectors
from teams.models import District, StaffRole, Unit

FOLLOWER_ROLES = {StaffRole.Role.FOLLOWER, StaffRole.Role.FAMILY_FOLLOWER}


@dataclass
class Home:
    roles: list[StaffRole]
    is_follower: bool = False
    is_coordinator: bool = False
    is_leader: bool = False
    led_units: list[Unit] = field(default_factory=list)
    coordinated_districts: list[District] = field(default_factory=list)
    followers: list[StaffRole] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)


def home_for_user(*, user: Any) -> Home:
    """The sections of the home page. A fixed number of queries, whatever the organisation's size."""
    roles = team_selectors.roles_for_user(user=user)
    kinds = {role.role for role in roles}
    home = Home(roles=roles)
    home.is_follower = bool(kinds & FOLLOWER_ROLES)
    home.is_coordinator = StaffRole.Role.COORDINATOR in kinds
    home.is_leader = StaffRole.Role.LEADER in kinds
    home.units = list(team_selectors.units_for_user(user=user))
    if home.is_leader:
        active = team_selectors.active_role_q(prefix="roles__")
        home.led_units = list(
            team_selectors.units_led_by(user=user).annotate(
                staff_count=Count("roles__user", filter=active, distinct=True),
                follower_count=Count(
                    "roles__user", filter=active & Q(roles__role=StaffRole.Role.FOLLOWER), distinct=True
                ),
            )
        )
    if home.is_coordinator:
        coordinated = [r.unit for r in roles if r.role == StaffRole.Role.COORDINATOR]
        district_ids = {unit.district_id for unit in coordinated if unit.district_id}
        home.coordinated_districts = list(District.objects.filter(pk__in=district_ids).order_by("number"))
        home.followers = list(
            team_selectors.staffroles_active()
            .filter(role=StaffRole.Role.FOLLOWER, unit__district_id__in=district_ids)
            .select_related("user", "unit__district")
            .order_by("unit__district__number", "user__full_name")
        )
    return home
