"""A youth born on 29 February 2008 turns 18 on the same day everywhere: 1 March 2026 (core.dates).
The youth's record, the guardians' consent lapsing (policy and reminders), the follow-up flags
and the home page's "turns 18" all ask core.dates, so none may say 28 February."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine

from cases import selectors as case_selectors
from cases.models import Youth
from cases.rows import youth_row
from consent import services
from consent.models import ConsentVersion
from consent.policy import version_in_force
from core import dates
from core.models import Notification

from .conftest import OSLO, World

pytestmark = pytest.mark.django_db

D = datetime.date
BORN = D(2008, 2, 29)
EIGHTEEN = D(2026, 3, 1)
EVE = D(2026, 2, 28)


def test_the_18th_birthday_of_a_youth_born_on_29_february_is_1_march_everywhere(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(BORN)
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, 0, tzinfo=OSLO), tick=False):
        version = record(youth)  # the guardians' and the youth's consent, running past the birthday
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15

    # The rule and the youth's record.
    assert dates.birthday(BORN, 18) == youth.eighteenth_birthday == EIGHTEEN
    assert (youth.age_on(EVE), youth.age_on(EIGHTEEN)) == (17, 18)

    # Consent: the guardians' consent is in force on 28 February and lapses on 1 March.
    version = ConsentVersion.objects.prefetch_related("answers").get(pk=version.pk)
    assert version_in_force(version, youth, EVE)
    assert not version_in_force(version, youth, EIGHTEEN)

    # The database bound the lapse reminders use finds the youth from 1 March, not before.
    def adult_on(day: datetime.date) -> bool:
        return Youth.objects.filter(pk=youth.pk, birth_date__lte=dates.born_on_or_before(day, 18)).exists()

    assert (adult_on(EVE), adult_on(EIGHTEEN)) == (False, True)

    # Consent reminders: the warning names 1 March; the lapse notice comes on 1 March, not 28 February.
    assert services.consents_lapsing_at_18_notify(today=D(2026, 2, 10)) == 1
    [warning] = Notification.objects.filter(kind="consent_lapsing_18")
    assert "01.03.2026" in warning.title
    assert services.consents_lapse_at_18(today=EVE) == 0
    assert services.consents_lapse_at_18(today=EIGHTEEN) == 1

    # Follow-up flags (the youth page) and the home page's "turns 18".
    for today, expected in ((EVE, EIGHTEEN), (EIGHTEEN, EIGHTEEN), (D(2026, 3, 2), None)):
        assert case_selectors.youth_flags(youth=youth, today=today).turns_18_on == expected
        assert youth_row(youth, today=today).turns_18_on == expected
