"""Test data for the youth pages: youths with a follow-up, assignments, contacts, and valid
national identity numbers."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.models import Contact, FollowUp, FollowUpAssignment, Youth
from core.models import User
from org.models import StaffRole, Unit

from ..factories import StaffRoleFactory, TOTPDeviceFactory, YouthFactory

START = datetime.date(2026, 1, 5)


def national_id(born: datetime.date, serial: int = 500) -> str:
    """A fødselsnummer with valid check digits for a birth date (individual number `serial`;
    500–999 for those born 2000–2039)."""
    digits = [int(c) for c in f"{born:%d%m%y}{serial:03d}"]
    k1 = 11 - sum(w * d for w, d in zip([3, 7, 6, 1, 8, 9, 4, 5, 2], digits, strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        return national_id(born, serial + 1)
    digits.append(k1)
    k2 = 11 - sum(w * d for w, d in zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], digits, strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        return national_id(born, serial + 1)
    return "".join(map(str, [*digits, k2]))


def staff(unit: Unit, role: str, name: str = "") -> User:
    """A person with a role in the unit who can sign in (TOTP device)."""
    kwargs: dict[str, Any] = {"unit": unit, "role": role}
    if name:
        kwargs["user__full_name"] = name
    user = StaffRoleFactory(**kwargs).user
    TOTPDeviceFactory(user=user)
    return user


def coordinator_of(unit: Unit, name: str = "Cora Coordinator") -> User:
    return staff(unit, StaffRole.Role.COORDINATOR, name)


def youth_in(
    unit: Unit,
    *,
    lead: User | None = None,
    family_follower: User | None = None,
    coordinator: User | None = None,
    state: str = FollowUp.State.ACTIVE,
    **youth_fields: Any,
) -> Youth:
    """A youth with an open follow-up in the unit, and the given people assigned."""
    youth_fields.setdefault("district", unit.district)
    youth = YouthFactory(**youth_fields)
    followup = FollowUp.objects.create(
        youth=youth, unit=unit, state=state, started_on=START if state != FollowUp.State.INTAKE else None
    )
    for user, role in ((lead, "lead"), (family_follower, "family"), (coordinator, "coordinator")):
        if user is not None:
            FollowUpAssignment.objects.create(followup=followup, user=user, role=role, starts_on=START)
    return youth


def contact(youth: Youth, author: User, *, days_ago: int = 0, **fields: Any) -> Contact:
    fields.setdefault("duration_minutes", 30)
    fields.setdefault("kind", "conversation")
    return Contact.objects.create(
        youth=youth,
        followup=youth.followups.exclude(state=FollowUp.State.CLOSED).get(),
        author=author,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )
