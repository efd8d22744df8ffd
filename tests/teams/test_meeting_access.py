"""Who sees a meeting and its minutes (issue 11, defect 12): a meeting about a youth follows the
youth's need-to-know, whoever organised it: the youth's team and the meeting's participants see
it; staff of the organising unit who may not see the youth, and administrators, get 404 on the
page, the minutes, the versions and the PDF. Intake and list meetings keep their district rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cases.models import Youth
from org.models import StaffRole
from teams.meetings import services as meeting_services
from teams.models import Meeting, MeetingKind

from ..conftest import People, sign_in
from ..factories import StaffRoleFactory
from .factories_meetings import district_meeting, team_meeting, youth_with_team

pytestmark = pytest.mark.django_db

HEALTH = "Astmamedisin og søvnvansker."


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")


@pytest.fixture
def meeting(people: People, youth: Youth) -> Meeting:
    meeting = team_meeting(people.follower, youth, people.unit)
    meeting_services.minutes_save(
        actor=people.follower,
        meeting=meeting,
        sections={"since_last": "Søren har gått på skolen.", "health": HEALTH},
        decisions="Neste møte i høstferien.",
        base_revision=0,
    )
    return meeting


def _pages(meeting: Meeting) -> list[str]:
    return [
        f"/moter/{meeting.pk}/",
        f"/moter/{meeting.pk}/referat/",
        f"/moter/{meeting.pk}/referat/versjoner/",
        f"/moter/{meeting.pk}/referat/pdf/",
    ]


@pytest.mark.parametrize("who", ["teammate", "admin", "outsider"])
def test_those_who_may_not_see_the_youth_get_404_on_every_page_of_its_meeting(
    people: People, youth: Youth, meeting: Meeting, who: str
) -> None:
    # The teammate works in the organising unit, and the administrator holds a role there, but
    # neither is in the youth's team nor follows the youth: the youth's own page is a 404 too.
    client = sign_in(Client(), getattr(people, who))
    assert client.get(f"/ungdommer/{youth.pk}/").status_code == 404
    for url in _pages(meeting):
        response = client.get(url)
        assert response.status_code == 404, url
        assert HEALTH.encode() not in response.content
        assert b"\xc3\x98vreb\xc3\xb8" not in response.content  # the youth's surname


@pytest.mark.parametrize("who", ["teammate", "admin", "outsider"])
def test_the_meeting_list_leaves_out_meetings_about_youths_the_person_may_not_see(
    people: People, meeting: Meeting, who: str
) -> None:
    client = sign_in(Client(), getattr(people, who))
    response = client.get("/moter/")
    assert response.status_code == 200
    assert f"/moter/{meeting.pk}/".encode() not in response.content
    from teams.meetings.selectors import meetings_visible

    assert not meetings_visible(user=getattr(people, who)).filter(pk=meeting.pk).exists()


def test_the_team_and_the_unit_leader_see_the_meeting_and_its_minutes(
    people: People, meeting: Meeting, as_user: Any
) -> None:
    client = as_user(people.follower)
    for url in _pages(meeting):
        assert client.get(url).status_code == 200, url
    leader = sign_in(Client(), people.leader)  # leads the unit that follows the youth
    assert leader.get(f"/moter/{meeting.pk}/").status_code == 200


def test_a_participant_outside_the_team_sees_the_meeting_as_the_sharing_policy_allows(
    people: People, youth: Youth
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, invite=[people.follower, people.teammate])
    meeting_services.minutes_save(
        actor=people.follower,
        meeting=meeting,
        sections={"health": HEALTH},
        decisions="",
        base_revision=0,
    )
    client = sign_in(Client(), people.teammate)
    assert client.get(f"/ungdommer/{youth.pk}/").status_code == 404
    assert client.get(f"/moter/{meeting.pk}/").status_code == 200


def test_a_meeting_organised_by_another_unit_still_follows_the_youth(people: People, youth: Youth) -> None:
    # Organised for the outsider's unit (the follower works there too): its staff do not see the
    # youth, so they do not see the meeting.
    StaffRoleFactory(user=people.follower, unit=people.other_unit, role=StaffRole.Role.FOLLOWER)
    meeting = team_meeting(people.follower, youth, people.other_unit)
    client = sign_in(Client(), people.outsider)
    assert client.get(f"/moter/{meeting.pk}/").status_code == 404
    assert client.get(f"/moter/{meeting.pk}/referat/pdf/").status_code == 404
    assert sign_in(Client(), people.follower).get(f"/moter/{meeting.pk}/").status_code == 200


def test_an_administrator_does_not_see_the_districts_intake_meeting(people: People) -> None:
    meeting = district_meeting(people.leader, people.unit, kind=MeetingKind.INTAKE)
    admin = sign_in(Client(), people.admin)
    assert admin.get(f"/moter/{meeting.pk}/").status_code == 404
    assert admin.get(f"/moter/{meeting.pk}/referat/pdf/").status_code == 404
    # Those who work in the district keep their view of its intake meetings.
    assert sign_in(Client(), people.teammate).get(f"/moter/{meeting.pk}/").status_code == 200
    assert sign_in(Client(), people.outsider).get(f"/moter/{meeting.pk}/").status_code == 404
