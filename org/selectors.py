"""Reads of the organisation: districts, units and the roles staff hold in them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core import access
from org.models import District, StaffRole, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def active_role_q(*, on: datetime.date | None = None, prefix: str = "") -> Q:
    """Roles in force on a day (today by default)."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def staffroles_active(*, user: User | AnonymousUser | None = None) -> QuerySet[StaffRole]:
    qs = StaffRole.objects.filter(active_role_q())
    if user is not None:
        qs = qs.filter(user=user.pk)
    return qs


def roles_for_user(*, user: User | AnonymousUser) -> list[StaffRole]:
    return list(staffroles_active(user=user).select_related("unit__district").order_by("unit__name", "role"))


def units_for_user(*, user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units the user may see, with their district, through core.access."""
    return access.visible(user, Unit.objects.select_related("district")).order_by("district__number", "name")


def units_led_by(*, user: User | AnonymousUser) -> QuerySet[Unit]:
    led = staffroles_active(user=user).filter(role=StaffRole.Role.LEADER).values("unit_id")
    return units_for_user(user=user).filter(pk__in=led)


def unit_get(*, user: User | AnonymousUser, pk: int, action: str = access.VIEW) -> Unit:
    return access.get(user, Unit.objects.select_related("district"), action=action, pk=pk)


def unit_staff(*, unit: Unit) -> list[StaffRole]:
    return list(staffroles_active().filter(unit=unit).select_related("user").order_by("role", "user__full_name"))


def districts_list() -> QuerySet[District]:
    return District.objects.order_by("number")


def units_with_staff(*, units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.prefetch_related(
        Prefetch(
            "roles",
            queryset=staffroles_active().select_related("user").order_by("role", "user__full_name"),
            to_attr="active_roles",
        )
    )


def unit_may(*, user: User | AnonymousUser, unit: Unit, action: str) -> bool:
    return access.can(user, unit, action)


def units_serving_district(*, district_id: int | None) -> list[Unit]:
    """The active services a youth of the district can be handed to: the district's own and the
    city-wide ones, by name."""
    return list(
        Unit.objects.filter(is_active=True)
        .filter(Q(district_id=district_id) | Q(district__isnull=True))
        .order_by("name", "id")
    )


def staff_by_unit(*, units: list[Unit]) -> list[tuple[Unit, list[User]]]:
    """The staff with a role in force in each unit (active accounts, by name), the units with
    nobody left out; one query."""
    roles = (
        staffroles_active()
        .filter(unit__in=units, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    by_unit: dict[int, list[User]] = {u.pk: [] for u in units}
    for role in roles:
        if role.user not in by_unit[role.unit_id]:
            by_unit[role.unit_id].append(role.user)
    return [(u, by_unit[u.pk]) for u in units if by_unit[u.pk]]
