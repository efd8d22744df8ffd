"""Open categories of a youth's information to a service in tests, without going through the
consent forms: a recorded use of a legal basis, in force for a week (consent.policy counts it
like any other)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from consent.models import LegalBasis, LegalBasisUse


def open_to(youth: Any, unit: Any, categories: Iterable[str], *, actor: Any) -> LegalBasisUse:
    now = timezone.now()
    return LegalBasisUse.objects.create(
        basis=LegalBasis.objects.earliest("pk"),
        youth=youth,
        actor=actor,
        unit=unit,
        categories=sorted(categories),
        reason="Opened for the test: the rule under test needs the information shared.",
        starts_at=now - datetime.timedelta(hours=1),
        until=now + datetime.timedelta(days=7),
    )
