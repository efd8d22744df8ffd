"""factory_boy factories for follow-ups and contacts (the people and units are in tests/factories.py)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from cases.models import Contact, ContactKind, FollowUp, FollowUpAssignment, Youth
from core.models import User
from org.models import Unit

from ..factories import UserFactory, YouthFactory

START = datetime.date(2026, 1, 5)


class FollowUpFactory(factory.django.DjangoModelFactory[FollowUp]):
    class Meta:
        model = FollowUp

    youth = factory.SubFactory(YouthFactory)
    unit = factory.SubFactory("tests.factories.UnitFactory")
    state = FollowUp.State.ACTIVE
    started_on = START


class FollowUpAssignmentFactory(factory.django.DjangoModelFactory[FollowUpAssignment]):
    class Meta:
        model = FollowUpAssignment

    followup = factory.SubFactory(FollowUpFactory)
    user = factory.SubFactory(UserFactory)
    role = FollowUpAssignment.Role.LEAD
    starts_on = START


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    followup = factory.SubFactory(FollowUpFactory)
    youth = factory.SelfAttribute("followup.youth")
    author = factory.SubFactory(UserFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    duration_minutes = 30
    kind = ContactKind.CONVERSATION
    place = "Fritidsklubben"
    participants = factory.LazyFunction(lambda: ["youth"])
    life_areas = factory.LazyFunction(lambda: ["school"])
    text = "Snakket om skolen."


def followed_youth(unit: Unit, *, lead: User | None = None, family: User | None = None, **fields: Any) -> Youth:
    """A youth with an active follow-up in the unit: `lead` follows, `family` is the family follower."""
    fields.setdefault("district", unit.district)
    youth = YouthFactory(**fields)
    followup = FollowUpFactory(youth=youth, unit=unit)
    if lead is not None:
        FollowUpAssignmentFactory(followup=followup, user=lead, role=FollowUpAssignment.Role.LEAD)
    if family is not None:
        FollowUpAssignmentFactory(followup=followup, user=family, role=FollowUpAssignment.Role.FAMILY)
    return youth
