"""From the 18th birthday the guardians are told nothing without the youth's consent
(issue 14, point 4): consent.policy.guardians_told, the one rule every place that addresses
guardians asks. The stop is at 00:00 Europe/Oslo on the birthday; born on 29 February, the
birthday is 1 March (18 is not a multiple of 4, so the 18th birthday never falls in a leap year).
A consent of the youth alone that says `involve_guardians` opens it again while it is in force."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from consent import services
from consent.models import ConsentVersion
from consent.policy import guardians_told, guardians_told_many
from core.models import AuditEvent

from ..cases.helpers_records import api_client
from ..conftest import sign_in
from .conftest import GIVEN, OSLO, World, all_given

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
BORN = D(2008, 5, 10)  # 17 on 2 March 2026 (the frozen clock of these tests), 18 on 10 May 2026
BIRTHDAY = D(2026, 5, 10)


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=OSLO)


def _involve(
    world: World, record: Callable[..., Any], youth: Any, *, valid_from: D = BIRTHDAY, **kwargs: Any
) -> ConsentVersion:
    """The youth's own consent from the birthday, asking for the guardians to be involved."""
    return record(
        youth,
        purpose="Foreldrene skal fortsatt få vite om møter og planen",
        valid_from=valid_from,
        valid_to=kwargs.pop("valid_to", D(2027, 5, 9)),
        youth_answer=GIVEN,
        involve_guardians=True,
        **kwargs,
    )


def test_the_guardians_are_told_until_23_59_the_evening_before_and_not_from_midnight_in_oslo(world: World) -> None:
    youth = world.youth(BORN)
    # May is summer time in Oslo (UTC+2): midnight on the birthday is 22:00 UTC the day before.
    with time_machine.travel(oslo(2026, 5, 9, 23, 59, 59), tick=False):
        assert guardians_told(youth)
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        assert not guardians_told(youth)
    assert guardians_told(youth, at=datetime.datetime(2026, 5, 9, 21, 59, 59, tzinfo=UTC))
    assert not guardians_told(youth, at=datetime.datetime(2026, 5, 9, 22, 0, tzinfo=UTC))
    # A date is taken as it is; a naive moment as Oslo time.
    assert guardians_told(youth, at=D(2026, 5, 9))
    assert not guardians_told(youth, at=BIRTHDAY)
    assert not guardians_told(youth, at=datetime.datetime(2026, 5, 10, 0, 0))


def test_born_on_29_february_the_stop_is_at_midnight_on_1_march_in_oslo_winter_time(world: World) -> None:
    youth = world.youth(D(2008, 2, 29))
    assert youth.eighteenth_birthday == D(2026, 3, 1)
    # Winter time (UTC+1): midnight on 1 March is 23:00 UTC on 28 February.
    with time_machine.travel(oslo(2026, 2, 28, 23, 59), tick=False):
        assert guardians_told(youth)
    with time_machine.travel(oslo(2026, 3, 1, 0, 0), tick=False):
        assert not guardians_told(youth)
    assert guardians_told(youth, at=datetime.datetime(2026, 2, 28, 22, 59, tzinfo=UTC))
    assert not guardians_told(youth, at=datetime.datetime(2026, 2, 28, 23, 0, tzinfo=UTC))


def test_the_youths_consent_to_involve_them_opens_it_from_the_birthday(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(BORN)
    version = _involve(world, record, youth)  # recorded at 17, valid from the birthday: the youth's own
    assert version.age_rule == ConsentVersion.AgeRule.ADULT
    assert version.involve_guardians
    assert guardians_told(youth, at=BIRTHDAY)
    assert guardians_told(youth, at=oslo(2026, 5, 10, 0, 0))
    event = AuditEvent.objects.filter(action="consent.recorded").latest("id")
    assert event.detail["involve_guardians"] is True


def test_an_ordinary_consent_of_the_youth_does_not_open_it(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN)
    record(youth, valid_from=BIRTHDAY, youth_answer=GIVEN)  # adult, but says nothing of the guardians
    assert not guardians_told(youth, at=BIRTHDAY)


def test_a_withdrawn_consent_closes_it_again_at_once(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN)
    version = _involve(world, record, youth)
    with time_machine.travel(oslo(2026, 6, 1, 12, 0), tick=False):
        assert guardians_told(youth)
        services.consent_withdraw(
            actor=world.people.follower, consent=version.consent, party="youth", reason="Vil ikke lenger."
        )
        assert not guardians_told(youth)


def test_an_expired_consent_closes_it_again(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN)
    _involve(world, record, youth, valid_to=D(2026, 8, 31))
    assert guardians_told(youth, at=D(2026, 8, 31))
    assert not guardians_told(youth, at=D(2026, 9, 1))


def test_a_revision_without_it_closes_it(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN)
    version = _involve(world, record, youth)
    services.consent_revise(
        actor=world.people.follower,
        consent=version.consent,
        categories=["identity_contact"],
        units=[world.school],
        form="oral",
        valid_from=BIRTHDAY,
        valid_to=D(2027, 5, 9),
        youth_answer=GIVEN,
    )
    assert not guardians_told(youth, at=BIRTHDAY)


def test_only_the_youths_own_consent_may_ask_for_it(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(BORN)
    with pytest.raises(ValidationError) as refused:
        record(youth, involve_guardians=True)  # from 1 January 2026: the guardians' and the youth's
    assert "involve_guardians" in refused.value.message_dict
    assert not ConsentVersion.objects.exists()


def test_the_database_refuses_it_on_a_consent_resting_on_the_guardians(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(BORN)
    version = record(youth)
    version.pk = None
    version.number = 2
    version.involve_guardians = True
    with pytest.raises(IntegrityError), transaction.atomic():
        version.save(force_insert=True)


def test_a_list_asks_in_one_query_however_many_adults(
    world: World, record: Callable[..., ConsentVersion], django_assert_num_queries: Any
) -> None:
    youths = [world.youth(BORN) for _ in range(3)]
    children = [world.youth(D(2012, 1, 1)) for _ in range(2)]
    _involve(world, record, youths[0])
    with django_assert_num_queries(0):
        assert guardians_told_many(children, at=BIRTHDAY) == {c.pk: True for c in children}
    with django_assert_num_queries(2):  # the current versions, and their answers
        told = guardians_told_many([*youths, *children], at=BIRTHDAY)
    assert told == {youths[0].pk: True, youths[1].pk: False, youths[2].pk: False} | {c.pk: True for c in children}


def test_the_api_says_involve_guardians_and_refuses_it_on_a_guardians_consent_with_400(world: World) -> None:
    youth = world.youth(BORN)
    client = api_client(world.people.follower)
    body = {
        "purpose": "Foreldrene skal få vite",
        "categories": ["family"],
        "units": [world.school.pk],
        "form": "oral",
        "valid_to": "2026-12-31",
        "involve_guardians": True,
    }
    url = f"/api/v1/youths/{youth.pk}/consents/"
    refused = client.generic(
        "POST",
        url,
        json.dumps(
            body
            | {
                "valid_from": "2026-03-02",
                "youth_answer": GIVEN,
                "guardian_answers": [{"guardian": g.pk, "answer": a} for g, a in all_given(youth).items()],
            }
        ),
        content_type="application/json",
    )
    assert refused.status_code == 400, refused.content
    assert "involve_guardians" in refused.json()["error"]["fields"]
    assert not ConsentVersion.objects.exists()

    given = client.generic(
        "POST",
        url,
        json.dumps(body | {"valid_from": "2026-05-10", "youth_answer": GIVEN}),
        content_type="application/json",
    )
    assert given.status_code == 201, given.content
    assert given.json()["current"]["involve_guardians"] is True
    assert guardians_told(youth, at=BIRTHDAY)


def test_the_consent_page_offers_it_from_17_records_it_and_the_detail_page_shows_it(world: World) -> None:
    youth = world.youth(BORN)
    young = world.youth(D(2010, 1, 1))
    client = sign_in(Client(), world.people.follower)
    assert 'name="involve_guardians"' in client.get(f"/samtykke/{youth.pk}/ny/").content.decode()
    assert 'name="involve_guardians"' not in client.get(f"/samtykke/{young.pk}/ny/").content.decode()
    data = {
        "purpose": "Foreldrene skal fortsatt få vite om møter og planen",
        "categories": ["family"],
        "units": [world.school.pk],
        "form": "oral",
        "valid_from": "2026-05-10",
        "valid_to": "2027-05-09",
        "youth_answer": GIVEN,
        "involve_guardians": "on",
    }
    response = client.post(f"/samtykke/{youth.pk}/ny/", data)
    assert response.status_code == 302, response.content.decode()
    version = ConsentVersion.objects.get(consent__youth=youth)
    assert version.involve_guardians
    detail = client.get(reverse("consent:consent_detail", args=[version.consent_id])).content.decode()
    assert "Ungdommen vil at de skal få vite og være med" in detail

    # Starting before the birthday, it rests on the guardians too: refused on the field, nothing saved.
    refused = client.post(f"/samtykke/{youth.pk}/ny/", data | {"valid_from": "2026-03-02"})
    assert refused.status_code == 400
    assert ConsentVersion.objects.filter(consent__youth=youth).count() == 1
