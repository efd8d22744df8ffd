"""The transition checklist (issue 14, point 2): settling, not applying and reopening each point,
the rules of the lead point (age limits per service), the consent point settled by a consent from
the youth alone, progress counts in constant queries, and outsiders refused."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import Youth
from core.dates import add_months, today_in_oslo
from core.models import AuditEvent
from org.models import StaffRole, Unit
from teams.models import TransitionItem, TransitionPoint
from teams.transition import selectors, services

from ...conftest import People
from ...factories import StaffRoleFactory, UnitFactory
from ..factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db
P = TransitionPoint


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def born_months_before_18(months: int) -> datetime.date:
    """A birth date so the youth turns 18 `months` months from today."""
    return add_months(add_months(today_in_oslo(), months), -18 * 12)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(5))


def test_settle_records_who_when_and_how(people: People, youth: Youth) -> None:
    item = services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.HOUSING, how="Bor hos mor etter 18; bostøtte søkt."
    )
    assert item.state == TransitionItem.State.SETTLED
    assert item.settled_by == people.follower
    assert item.settled_at is not None
    event = AuditEvent.objects.filter(action="transition.settled").get()
    assert event.detail["point"] == "housing"
    assert "mor" not in str(event.detail)


def test_each_point_asks_what_it_needs(people: People, youth: Youth) -> None:
    with pytest.raises(ValidationError) as error:
        services.transition_point_settle(actor=people.follower, youth=youth, point=P.AFTERCARE, how="")
    assert set(error.value.message_dict) == {"how", "aftercare_answer"}
    with pytest.raises(ValidationError) as error:
        services.transition_point_settle(actor=people.follower, youth=youth, point=P.NAV, how="Møte holdt")
    assert set(error.value.message_dict) == {"contact_name"}
    with pytest.raises(ValidationError) as error:
        services.transition_point_settle(actor=people.follower, youth=youth, point=P.CONSENT, how="Ja")
    assert set(error.value.message_dict) == {"point"}
    with pytest.raises(ValidationError):
        services.transition_point_settle(actor=people.follower, youth=youth, point=P.LEAD, how="Avtalt")
    assert not TransitionItem.objects.exists()


def test_lead_follows_the_services_age_limits(people: People, youth: Youth) -> None:
    barnevern = UnitFactory(name="Barneverntjenesten Bjerke", district=people.district, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.CASEWORKER).user
    with pytest.raises(ValidationError) as error:
        services.transition_point_settle(
            actor=people.follower, youth=youth, point=P.LEAD, how="Avtalt", lead_outcome="continues", unit=people.unit
        )
    assert "until they turn 18" in str(error.value.message_dict["unit"])
    with pytest.raises(ValidationError) as error:
        services.transition_point_settle(
            actor=people.follower,
            youth=youth,
            point=P.LEAD,
            how="Avtalt",
            lead_outcome="handed_over",
            unit=barnevern,
            lead_user=people.teammate,
        )
    assert set(error.value.message_dict) == {"lead_user"}
    item = services.transition_point_settle(
        actor=people.follower,
        youth=youth,
        point=P.LEAD,
        how="Ettervern i barnevernet",
        lead_outcome="handed_over",
        unit=barnevern,
        lead_user=caseworker,
    )
    assert item.unit == barnevern
    assert selectors.lead_followed_until(youth, item) == youth.birth_date.replace(year=youth.birth_date.year + 25)


def test_not_applicable_and_reopen(people: People, youth: Youth) -> None:
    with pytest.raises(ValidationError):
        services.transition_point_not_applicable(actor=people.follower, youth=youth, point=P.HEALTH, reason=" ")
    services.transition_point_not_applicable(
        actor=people.follower, youth=youth, point=P.HEALTH, reason="Ingen behov for helsetjenester."
    )
    progress = selectors.transition_progress([youth])[youth.pk]
    assert (progress.settled, progress.total) == (0, 6)
    services.transition_point_reopen(actor=people.follower, youth=youth, point=P.HEALTH)
    progress = selectors.transition_progress([youth])[youth.pk]
    assert (progress.settled, progress.total) == (0, 7)
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="transition.").order_by("id")] == [
        "transition.not_applicable",
        "transition.reopened",
    ]


def test_outsider_and_others_are_refused(people: People, youth: Youth) -> None:
    with pytest.raises(Http404):
        services.transition_point_settle(actor=people.outsider, youth=youth, point=P.HOUSING, how="x")
    with pytest.raises(Http404):
        selectors.transition_checklist_shown(user=people.outsider, youth=youth)
    with pytest.raises(Http404):
        services.transition_point_settle(actor=people.police, youth=youth, point=P.HOUSING, how="x")
    assert not TransitionItem.objects.exists()


def test_overdue_points_and_alert_steps(people: People, youth: Youth) -> None:
    progress = selectors.transition_progress([youth])[youth.pk]
    assert progress.step == 6  # 5 months before 18: the 6-month alert is the one in force
    assert progress.overdue == 1  # aftercare is to be settled 6 months before
    assert progress.next_alert == add_months(youth.eighteenth_birthday, -3)


def test_progress_in_constant_queries(people: People) -> None:
    youths = [
        youth_with_team(people.unit, lead=people.follower, guardian=False, birth_date=born_months_before_18(m))
        for m in (2, 4)
    ]
    with CaptureQueriesContext(connection) as few:
        selectors.transition_progress(youths)
    youths += [
        youth_with_team(people.unit, lead=people.follower, guardian=False, birth_date=born_months_before_18(m))
        for m in (6, 8, 10)
    ]
    for y in youths:
        services.transition_point_settle(actor=people.follower, youth=y, point=P.SCHOOL_WORK, how="Vg2")
    with CaptureQueriesContext(connection) as many:
        result = selectors.transition_progress(youths)
    assert len(many) == len(few)
    assert all(p.settled == 1 for p in result.values())
