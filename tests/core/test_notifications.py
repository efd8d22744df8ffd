"""Notifications never name a youth to someone who may no longer see them (issue 12, point 8):
the stored title may name the youth; what is shown is decided through core.access when shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Youth
from core.models import Notification, User
from core.notifications import notifications_page, notifications_unread, notify
from teams import services
from teams.models import TeamMember

from ..conftest import People
from ..teams.factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db

NEUTRAL = "Et varsel om en ungdom du ikke lenger har tilgang til"


def _reminder(recipient: User, youth: Youth, key: str = "meeting-1") -> Notification:
    made = notify(
        recipient=recipient,
        kind="meeting",
        key=key,
        title=f"Teammøte om {youth.display_name} i morgen",
        body=f"Husk møtet med {youth.display_name}.",
        url=f"/ungdommer/{youth.pk}/",
        youth_id=youth.pk,
    )
    assert made is not None
    return made


def _team_with(people: People, member: User) -> tuple[Youth, TeamMember]:
    # A name no staff member's name contains, so "not on the page" means what it says.
    youth = youth_with_team(
        people.unit, lead=people.follower, guardian=False, youth_member=False, first_name="Sigvald", last_name="Ørnes"
    )
    added = services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=member,
        unit=people.other_unit,
        role=TeamMember.Role.FOLLOWER,
    )
    return youth, added


def test_a_follower_removed_from_the_team_no_longer_sees_the_youths_name(as_user: Any, people: People) -> None:
    youth, member = _team_with(people, people.outsider)
    _reminder(people.outsider, youth)
    client = as_user(people.outsider)
    page = client.get("/varsler/").content.decode()
    assert youth.display_name in page
    assert f'href="/ungdommer/{youth.pk}/"' in page

    services.team_member_end(actor=people.follower, member=member, reason="Byttet bydel.")

    page = client.get("/varsler/").content.decode()
    assert youth.display_name not in page
    assert youth.first_name not in page
    assert NEUTRAL in page
    assert f"/ungdommer/{youth.pk}/" not in page
    # Everywhere the titles are offered, the same answer.
    [unread] = notifications_unread(user=people.outsider)
    assert (unread.title, unread.body, unread.url) == (NEUTRAL, "", "")
    # The stored notification is unchanged: access given back shows it again.
    assert Notification.objects.get(recipient=people.outsider).title.endswith("i morgen")


def test_notifications_about_youths_one_may_see_keep_their_title(people: People) -> None:
    youth, _member = _team_with(people, people.outsider)
    _reminder(people.outsider, youth)
    notify(recipient=people.outsider, kind="digest", key="digest", title="Ukens oversikt")
    titles = {shown.title for shown in notifications_unread(user=people.outsider)}
    assert titles == {f"Teammøte om {youth.display_name} i morgen", "Ukens oversikt"}


def test_what_is_shown_is_decided_in_a_constant_number_of_queries(people: People) -> None:
    def queries(count: int) -> int:
        Notification.objects.filter(recipient=people.outsider).delete()
        for number in range(count):
            youth, _member = _team_with(people, people.outsider)
            _reminder(people.outsider, youth, key=f"meeting-{count}-{number}")
        with CaptureQueriesContext(connection) as captured:
            shown = notifications_page(user=people.outsider, page=1)
            assert len(shown.notifications) == count
        return len(captured)

    assert queries(1) == queries(6)
