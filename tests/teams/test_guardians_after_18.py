"""From the 18th birthday (00:00 Oslo time) the guardians are told nothing without the youth's
consent (issue 14, point 4), in every place of the team, its meetings and the plan that
addresses them, each asking consent.policy.guardians_told: a guardian is not invited to a
meeting on or after the birthday (an invitation made before is shown as stopped), does not join
the team, is not asked to acknowledge the plan nor offered as a helper; the API answers a
structured 400. The youth's consent to involving them opens each again."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import Guardian, Guardianship, Youth
from consent import services as consent_services
from teams import services as team_services
from teams.meetings import selectors as meeting_selectors
from teams.meetings import services as meeting_services
from teams.models import Meeting, MeetingKind, MeetingParticipant, PlanArea, PlanVersion, TeamMember
from teams.plans import selectors as plan_selectors
from teams.plans import services as plan_services

from ..cases.helpers_records import api_client
from ..conftest import People
from .factories_meetings import youth_with_team

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date
BORN = D(2008, 5, 10)
BIRTHDAY = D(2026, 5, 10)
Kind = MeetingParticipant.Kind


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def youth(people: People) -> Youth:
    """17 on 1 May 2026, 18 on 10 May 2026; the team holds the follower, the youth and the mother."""
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        return youth_with_team(people.unit, lead=people.follower, birth_date=BORN)


def mother(youth: Youth) -> Guardian:
    return Guardianship.objects.get(youth=youth).guardian


def involve(people: People, youth: Youth) -> None:
    """The youth's own consent, from the birthday, to keeping the guardians told and involved."""
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Mor skal fortsatt være med i møter og planen",
        categories=["family"],
        units=[people.unit],
        form="oral",
        valid_from=BIRTHDAY,
        valid_to=D(2027, 5, 9),
        youth_answer="given",
        involve_guardians=True,
    )


def meeting_at(people: People, youth: Youth, start: datetime.datetime, **more: Any) -> Meeting:
    return meeting_services.meeting_plan(
        actor=people.follower,
        kind=MeetingKind.TEAM,
        unit=people.unit,
        youth=youth,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=45),
        place="Bjerke bydelshus",
        **more,
    )


def guardians_invited(meeting: Meeting) -> int:
    return meeting.participants.filter(kind=Kind.GUARDIAN).count()


# --- Meetings -------------------------------------------------------------------------------


def test_the_team_meeting_the_evening_before_invites_the_guardian_and_the_one_at_midnight_does_not(
    people: People, youth: Youth
) -> None:
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        evening = meeting_at(people, youth, oslo(2026, 5, 9, 23, 0))
        midnight = meeting_at(people, youth, oslo(2026, 5, 10, 0, 0))
    assert guardians_invited(evening) == 1
    assert guardians_invited(midnight) == 0
    assert midnight.participants.filter(kind=Kind.YOUTH).exists()


def test_a_series_across_the_birthday_invites_the_guardian_only_before_it(people: People, youth: Youth) -> None:
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        first = meeting_at(people, youth, oslo(2026, 5, 4, 10, 0), repeat_weeks=1, until=D(2026, 5, 20))
    meetings = Meeting.objects.filter(series=first.series).order_by("starts_at")
    assert [(m.starts_at.astimezone(OSLO).date(), guardians_invited(m)) for m in meetings] == [
        (D(2026, 5, 4), 1),
        (D(2026, 5, 11), 0),
        (D(2026, 5, 18), 0),
    ]


def test_inviting_a_guardian_to_a_meeting_on_the_birthday_is_refused_until_the_youth_consents(
    people: People, youth: Youth
) -> None:
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        meeting = meeting_at(people, youth, oslo(2026, 5, 10, 0, 0))
        with pytest.raises(ValidationError) as refused:
            meeting_services.participant_add(
                actor=people.follower, meeting=meeting, kind=Kind.GUARDIAN, guardian=mother(youth)
            )
        assert "18th birthday" in refused.value.message_dict["guardian"][0]
        guardian_member = TeamMember.objects.get(youth=youth, kind=TeamMember.Kind.GUARDIAN)
        with pytest.raises(ValidationError) as named:
            meeting_at(people, youth, oslo(2026, 5, 12, 10, 0), invite=[guardian_member])
        assert "invite" in named.value.message_dict
        assert guardians_invited(meeting) == 0

        involve(people, youth)
        meeting_services.participant_add(
            actor=people.follower, meeting=meeting, kind=Kind.GUARDIAN, guardian=mother(youth)
        )
        assert guardians_invited(meeting) == 1
        assert guardians_invited(meeting_at(people, youth, oslo(2026, 5, 12, 10, 0))) == 1


def test_an_invitation_made_before_is_shown_as_stopped_once_the_meeting_moves_past_the_birthday(
    people: People, youth: Youth, as_user: Any
) -> None:
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        meeting = meeting_at(people, youth, oslo(2026, 5, 8, 10, 0))
        assert not any(p.stopped for p in meeting_selectors.participants_of(meeting=meeting))
        meeting = meeting_services.meeting_change(
            actor=people.follower,
            meeting=meeting,
            starts_at=oslo(2026, 5, 11, 10, 0),
            ends_at=oslo(2026, 5, 11, 11, 0),
        )
        [guardian] = [p for p in meeting_selectors.participants_of(meeting=meeting) if p.kind == Kind.GUARDIAN]
        assert guardian.stopped
        api = api_client(people.follower).get(f"/api/v1/meetings/{meeting.pk}/")
        assert api.status_code == 200, api.content
        rows = {row["kind"]: row["stopped"] for row in api.json()["participants"]}
        assert rows == {"staff": False, "youth": False, "guardian": True}
        page = as_user(people.follower).get(f"/moter/{meeting.pk}/").content.decode()
        assert "Ikke invitert: ungdommen er 18 år" in page

        involve(people, youth)
        assert not any(p.stopped for p in meeting_selectors.participants_of(meeting=meeting))


# --- The team -------------------------------------------------------------------------------


def test_a_guardian_does_not_join_the_team_of_an_18_year_old_without_consent(people: People, youth: Youth) -> None:
    father = Guardian.objects.create(first_name="Frode", last_name=youth.last_name)
    Guardianship.objects.create(youth=youth, guardian=father, relation=Guardianship.Relation.FATHER)
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        with pytest.raises(ValidationError) as refused:
            team_services.team_member_add(
                actor=people.follower, youth=youth, kind=TeamMember.Kind.GUARDIAN, guardian=father
            )
        assert "turned 18 on 10.5.2026" in refused.value.message_dict["guardian"][0]
        response = api_client(people.follower).generic(
            "POST",
            f"/api/v1/youths/{youth.pk}/team/members/",
            json.dumps({"kind": "guardian", "guardian": father.pk}),
            content_type="application/json",
        )
        assert response.status_code == 400, response.content
        assert "guardian" in response.json()["error"]["fields"]
        assert not TeamMember.objects.filter(guardian=father).exists()

        involve(people, youth)
        team_services.team_member_add(
            actor=people.follower, youth=youth, kind=TeamMember.Kind.GUARDIAN, guardian=father
        )


def test_the_team_page_and_api_say_the_guardians_in_the_team_are_no_longer_told(
    people: People, youth: Youth, as_user: Any
) -> None:
    with time_machine.travel(oslo(2026, 5, 9, 23, 59), tick=False):
        assert api_client(people.follower).get(f"/api/v1/youths/{youth.pk}/team/").json()["guardians_stopped"] is None
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        team = api_client(people.follower).get(f"/api/v1/youths/{youth.pk}/team/").json()
        assert "fylte 18 år 10.5.2026" in team["guardians_stopped"]  # the API speaks bokmål
        assert "guardian" in {m["kind"] for m in team["members"]}  # kept: the rows are the history
        page = as_user(people.follower).get(f"/ungdommer/{youth.pk}/lag/").content.decode()
        assert "Får ikke vite noe etter 18 år" in page


# --- The plan -------------------------------------------------------------------------------


def _version(people: People, youth: Youth) -> PlanVersion:
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        plan = plan_services.plan_get_or_create(actor=people.follower, youth=youth)
        plan_services.plan_goal_add(
            actor=people.follower, plan=plan, area=PlanArea.objects.get(code="work"), in_own_words="Få jobb"
        )
    return PlanVersion.objects.get(plan=plan)


def test_the_guardian_is_asked_to_acknowledge_the_plan_until_midnight_and_refused_from_then(
    people: People, youth: Youth
) -> None:
    version = _version(people, youth)
    with time_machine.travel(oslo(2026, 5, 9, 23, 59), tick=False):
        status = plan_selectors.plan_acknowledgement_status(version=version)
        assert status.missing_guardians == [mother(youth)]
        assert status.asks_guardians
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        status = plan_selectors.plan_acknowledgement_status(version=version)
        assert status.guardians_stopped
        assert not status.asks_guardians
        assert status.missing_names == [youth.display_name]
        with pytest.raises(ValidationError) as refused:
            plan_services.plan_acknowledge(
                actor=people.follower, version=version, party="guardian", guardian=mother(youth), how="paper"
            )
        assert "turned 18" in refused.value.message_dict["guardian"][0]
        response = api_client(people.follower).generic(
            "POST",
            f"/api/v1/youths/{youth.pk}/plan/acknowledgements/",
            json.dumps({"version": version.number, "party": "guardian", "guardian": mother(youth).pk, "how": "paper"}),
            content_type="application/json",
        )
        assert response.status_code == 400, response.content
        assert "guardian" in response.json()["error"]["fields"]
        assert not version.acknowledgements.exists()


def test_with_the_youths_consent_the_guardian_is_asked_again(people: People, youth: Youth) -> None:
    version = _version(people, youth)
    involve(people, youth)
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        status = plan_selectors.plan_acknowledgement_status(version=version)
        assert not status.guardians_stopped
        assert status.missing_guardians == [mother(youth)]


def test_a_guardian_is_not_offered_nor_taken_as_a_helper_from_the_birthday(people: People, youth: Youth) -> None:
    version = _version(people, youth)
    goal = version.plan.goals.get()
    guardian_member = TeamMember.objects.get(youth=youth, kind=TeamMember.Kind.GUARDIAN)
    with time_machine.travel(oslo(2026, 5, 9, 23, 59), tick=False):
        choices = plan_selectors.plan_helper_choices(user=people.follower, youth=youth)
        assert guardian_member in choices.members
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        choices = plan_selectors.plan_helper_choices(user=people.follower, youth=youth)
        assert guardian_member not in choices.members
        with pytest.raises(ValidationError) as refused:
            plan_services.plan_step_add(
                actor=people.follower, goal=goal, what="Mor hjelper med CV", helper=guardian_member
            )
        assert "helper" in refused.value.message_dict


# --- The youth's own copy ---------------------------------------------------------------------


def test_the_youths_own_copy_tells_from_18_whether_the_parents_are_told(people: People, youth: Youth) -> None:
    _version(people, youth)
    with time_machine.travel(oslo(2026, 5, 9, 23, 59), tick=False):
        assert plan_selectors.plan_youth_copy(user=people.follower, youth=youth).who_knows.guardians == ""
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        line = plan_selectors.plan_youth_copy(user=people.follower, youth=youth).who_knows.guardians
        assert line.startswith("You are 18: your parents are told nothing")
        involve(people, youth)
        line = plan_selectors.plan_youth_copy(user=people.follower, youth=youth).who_knows.guardians
        assert line.startswith("You have said yes")
