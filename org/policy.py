"""Who may see and lead a unit (the core.access policy of org.models.Unit; registered when the
app is ready, org.apps).

- see a unit: anyone with a role in force in the unit (and anyone granted view_unit on it);
- manage and view_audit a unit: the unit's leaders (a leader sees the units they lead);
- oversee a unit (lists over its youths, such as those turning 18): its leaders and coordinators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from core import access

from .models import StaffRole, Unit
from .selectors import staffroles_active

if TYPE_CHECKING:
    from core.models import User


def _member_scope(user: User) -> Q:
    return Q(pk__in=staffroles_active(user=user).values("unit_id"))


def _leads(user: User, unit: Unit) -> bool:
    return staffroles_active(user=user).filter(unit=unit, role=StaffRole.Role.LEADER).exists()


def _oversees(user: User, unit: Unit) -> bool:
    roles = (StaffRole.Role.LEADER, StaffRole.Role.COORDINATOR)
    return staffroles_active(user=user).filter(unit=unit, role__in=roles).exists()


access.register(
    Unit,
    access.Policy(scope=_member_scope, actions={"manage": _leads, "view_audit": _leads, "oversee": _oversees}),
)
