"""The handover at 18 (issue 14, point 3): the handover meeting planned from the checklist with
the receiving services, its minutes under the checklist's points (each with its point's
category), action items as usual, and the team and access moving to the service that takes over
(the receiving person joins when the lead point is settled; lead responsibility passes and the
old follow-up service leaves when the follow-up closes at 18)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from cases import services as case_services
from cases.models import FollowUp, Youth
from consent import policy as consent_policy
from core import access
from core.dates import add_months, today_in_oslo
from core.models import AuditEvent, User
from org.models import StaffRole, Unit
from teams import services as team_services
from teams.meetings import selectors as meeting_selectors
from teams.meetings import services as meeting_services
from teams.meetings.minutes_template import headings_for, headings_for_meeting
from teams.models import Meeting, MeetingKind, MeetingParticipant, TeamMember, TransitionPoint
from teams.transition import invitees, selectors, services
from teams.transition.policy import POINT_CATEGORY

from ...conftest import People
from ...factories import StaffRoleFactory, UnitFactory
from ..factories_meetings import at, team_meeting, youth_with_team

pytestmark = pytest.mark.django_db
P = TransitionPoint
URL = "/ungdommer/{pk}/plan/etter-18/overgangsmote/"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def born_months_before_18(months: int) -> datetime.date:
    return add_months(add_months(today_in_oslo(), months), -18 * 12)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(2))


@pytest.fixture
def barnevern(people: People) -> Unit:
    return UnitFactory(name="Barneverntjenesten Bjerke", district=people.district, kind=Unit.Kind.BARNEVERN)


@pytest.fixture
def caseworker(barnevern: Unit) -> User:
    user: User = StaffRoleFactory(
        unit=barnevern, role=StaffRole.Role.CASEWORKER, user__full_name="Cato Caseworker"
    ).user
    return user


def _hand_lead_to(people: People, youth: Youth, barnevern: Unit, caseworker: User) -> None:
    services.transition_point_settle(
        actor=people.follower,
        youth=youth,
        point=P.LEAD,
        how="Ettervern i barnevernet til 25.",
        lead_outcome="handed_over",
        unit=barnevern,
        lead_user=caseworker,
    )


def _nav_contact(people: People, youth: Youth) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.NAV, how="Møte med NAV avtalt.", contact_name="Nina NAV-veileder"
    )


def _plan(people: People, youth: Youth, **more: Any) -> Meeting:
    return services.transition_handover_meeting_plan(
        actor=people.follower, youth=youth, starts_at=at(7), ends_at=at(7, 11), place="Bydelshuset", **more
    )


# --- Planning the meeting --------------------------------------------------------------------


def test_the_handover_meeting_invites_the_receiving_services_named_on_the_checklist(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    _hand_lead_to(people, youth, barnevern, caseworker)
    _nav_contact(people, youth)
    meeting = _plan(people, youth)
    assert meeting.kind == MeetingKind.HANDOVER
    assert meeting.about_turning_18
    assert meeting.title == "Handover meeting at 18"
    participants = list(meeting.participants.all())
    staff = {p.user_id: p.unit_id for p in participants if p.kind == MeetingParticipant.Kind.STAFF}
    assert staff[caseworker.pk] == barnevern.pk
    assert staff[people.follower.pk] == people.unit.pk
    external = [p for p in participants if p.kind == MeetingParticipant.Kind.EXTERNAL]
    assert [(p.name, p.organisation) for p in external] == [("Nina NAV-veileder", "Handover to NAV")]
    assert "Handover to adult health services" in meeting.agenda
    assert meeting.agenda.index("Still open") < meeting.agenda.index("Settled, to confirm")
    event = AuditEvent.objects.get(action="transition.handover_planned")
    assert event.detail["invited"] == ["lead", "nav"]
    assert AuditEvent.objects.filter(action="meeting.participant_added").count() == 1  # NAV; Cato is in the team


def test_a_contact_with_a_role_in_the_named_service_is_invited_as_staff(people: People, youth: Youth) -> None:
    nav = UnitFactory(name="NAV Bjerke", district=people.district, kind=Unit.Kind.NAV)
    advisor = StaffRoleFactory(unit=nav, role=StaffRole.Role.CASEWORKER, user__full_name="Nina Nav").user
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.NAV, how="Avtalt.", contact_name="nina nav", unit=nav
    )
    meeting = _plan(people, youth, invite=["nav"])
    assert meeting.participants.filter(kind=MeetingParticipant.Kind.STAFF, user=advisor, unit=nav).exists()


def test_only_the_receivers_ticked_are_invited_and_an_unknown_one_is_refused(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    _nav_contact(people, youth)
    meeting = _plan(people, youth, invite=[])
    assert not meeting.participants.filter(kind=MeetingParticipant.Kind.EXTERNAL).exists()
    with pytest.raises(ValidationError) as error:
        _plan(people, youth, invite=["health"])
    assert set(error.value.message_dict) == {"invite"}
    assert Meeting.objects.count() == 1


def test_bad_time_is_refused_with_nothing_saved(people: People, youth: Youth) -> None:
    with pytest.raises(ValidationError) as error:
        services.transition_handover_meeting_plan(
            actor=people.follower, youth=youth, starts_at=at(7, 11), ends_at=at(7, 10), place=""
        )
    assert {"ends_at", "place"} <= set(error.value.message_dict)
    assert not Meeting.objects.exists()


def test_outsiders_get_404_and_only_a_handover_meeting_is_about_turning_18(people: People, youth: Youth) -> None:
    with pytest.raises(Http404):
        services.transition_handover_meeting_plan(
            actor=people.outsider, youth=youth, starts_at=at(7), ends_at=at(7, 11), place="x"
        )
    with pytest.raises(ValidationError):
        meeting_services.meeting_plan(
            actor=people.follower,
            kind=MeetingKind.TEAM,
            unit=people.unit,
            youth=youth,
            starts_at=at(7),
            ends_at=at(7, 11),
            place="x",
            about_turning_18=True,
        )
    assert not Meeting.objects.exists()


# --- The page --------------------------------------------------------------------------------


def test_the_page_proposes_time_place_and_receivers_and_plans_the_meeting(
    people: People, youth: Youth, barnevern: Unit, caseworker: User, as_user: object
) -> None:
    _hand_lead_to(people, youth, barnevern, caseworker)
    client = as_user(people.follower)  # type: ignore[operator]
    page = client.get(URL.format(pk=youth.pk))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["invite"] == ["lead"]
    assert form.initial["day"] < youth.eighteenth_birthday
    assert form.initial["day"].weekday() < 5
    assert "Cato Caseworker" in page.content.decode()
    day = (today_in_oslo() + datetime.timedelta(days=10)).isoformat()
    data = {"day": day, "starts": "10:00", "ends": "11:00", "place": "Bydelshuset", "invite": ["lead"]}
    data |= {"title": "", "agenda": "Sjekklisten."}
    response = client.post(URL.format(pk=youth.pk), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/moter/{meeting.pk}/"
    assert meeting.about_turning_18
    assert meeting.agenda == "Sjekklisten."


def test_the_page_gives_bad_input_back_in_norwegian_with_400(people: People, youth: Youth, as_user: object) -> None:
    client = as_user(people.follower)  # type: ignore[operator]
    day = (today_in_oslo() + datetime.timedelta(days=10)).isoformat()
    with translation.override("nb"):
        response = client.post(
            URL.format(pk=youth.pk),
            {"day": day, "starts": "11:00", "ends": "10:00", "place": "", "title": "", "agenda": ""},
            HTTP_ACCEPT_LANGUAGE="nb",
        )
    assert response.status_code == 400
    assert "Møtet må slutte etter at det starter." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_page_is_404_to_an_outsider_and_403_to_whoever_may_not_plan(
    people: People, youth: Youth, as_user: object
) -> None:
    assert as_user(people.outsider).get(URL.format(pk=youth.pk)).status_code == 404  # type: ignore[operator]
    assert as_user(people.police).get(URL.format(pk=youth.pk)).status_code in (403, 404)  # type: ignore[operator]


# --- The minutes -----------------------------------------------------------------------------


def test_a_handover_meeting_at_18_has_the_checklists_headings_with_their_categories(
    people: People, youth: Youth
) -> None:
    at_18 = _plan(people, youth)
    plain = team_meeting(people.follower, youth, people.unit, kind=MeetingKind.HANDOVER, days=8)
    keys = [h.key for h in headings_for_meeting(at_18)]
    assert keys == [*P.values, "youth_view", "next_steps"]
    assert {h.key: h.category for h in headings_for_meeting(at_18) if h.key in POINT_CATEGORY} == POINT_CATEGORY
    assert headings_for_meeting(plain) == headings_for(MeetingKind.HANDOVER)
    assert "aftercare" not in [h.key for h in headings_for_meeting(plain)]
    revision = meeting_services.minutes_save(
        actor=people.follower,
        meeting=at_18,
        sections={"aftercare": "Takker ja til ettervern.", "lead": "Barnevernet overtar."},
        decisions="",
        base_revision=0,
    )
    assert revision.sections["aftercare"] == "Takker ja til ettervern."
    with pytest.raises(ValidationError):
        meeting_services.minutes_save(
            actor=people.follower, meeting=plain, sections={"aftercare": "x"}, decisions="", base_revision=0
        )
    view = meeting_selectors.meeting_view(user=people.follower, meeting=at_18)
    assert [s.heading.key for s in view.sections][:2] == ["aftercare", "nav"]


def test_each_heading_is_withheld_by_its_points_category(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    _hand_lead_to(people, youth, barnevern, caseworker)  # Cato joins the team: sees the youth
    meeting = _plan(people, youth)
    parts = meeting_selectors.minutes_parts(user=caseworker, meeting=meeting)
    viewer = consent_policy.viewer(caseworker, youth)
    expected = [h.key for h in headings_for_meeting(meeting) if not viewer.show(h.category, meeting.unit)]
    assert [h.key for h in parts.withheld] == expected
    assert len(parts.headings) + len(parts.withheld) == 9


def test_action_items_follow_from_the_handover_meeting_as_usual(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    _hand_lead_to(people, youth, barnevern, caseworker)
    meeting = _plan(people, youth)
    item = meeting_services.action_item_add(
        actor=people.follower,
        meeting=meeting,
        title="Søke bostøtte",
        due_on=today_in_oslo() + datetime.timedelta(days=20),
        owner=caseworker,
    )
    assert item.youth_id == youth.pk
    later = team_meeting(people.follower, youth, people.unit, days=30)
    carried = meeting_selectors.action_items_carried(meeting=later)
    assert item in carried


# --- The team and access move -----------------------------------------------------------------


def test_the_person_taking_over_joins_the_team_and_sees_the_youth(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    assert not access.can(caseworker, youth)
    _hand_lead_to(people, youth, barnevern, caseworker)
    member = TeamMember.objects.get(youth=youth, user=caseworker, ends_on__isnull=True)
    assert member.unit == barnevern
    assert member.role == TeamMember.Role.BARNEVERN_CASEWORKER
    assert not member.is_lead
    assert access.can(caseworker, youth)
    _hand_lead_to(people, youth, barnevern, caseworker)  # settled again: not added twice
    assert TeamMember.objects.filter(youth=youth, user=caseworker).count() == 1


def test_closing_the_follow_up_at_18_moves_lead_and_the_old_service_leaves(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.teammate,
        unit=people.unit,
        role=TeamMember.Role.FAMILY_FOLLOWER,
    )
    _hand_lead_to(people, youth, barnevern, caseworker)
    followup = FollowUp.objects.get(youth=youth)
    case_services.followup_close(actor=people.leader, followup=followup, reason="turned_18", summary="Fylte 18.")
    active = TeamMember.objects.filter(youth=youth, ends_on__isnull=True, kind=TeamMember.Kind.STAFF)
    assert [(m.user, m.is_lead) for m in active] == [(caseworker, True)]
    ended = TeamMember.objects.filter(youth=youth, unit=people.unit, user=people.teammate).get()
    assert "Barneverntjenesten Bjerke" in ended.end_reason
    assert access.can(caseworker, youth)
    assert not access.can(people.teammate, youth)
    assert TeamMember.objects.filter(youth=youth, kind=TeamMember.Kind.YOUTH, ends_on__isnull=True).exists()
    moved = AuditEvent.objects.get(action="transition.team_moved")
    assert moved.detail["to_unit"] == barnevern.pk
    assert AuditEvent.objects.filter(action="team.lead_transferred").exists()


def test_the_team_stays_when_the_follow_up_closes_for_another_reason_or_nothing_is_handed_over(
    people: People, youth: Youth, barnevern: Unit, caseworker: User
) -> None:
    _hand_lead_to(people, youth, barnevern, caseworker)
    followup = FollowUp.objects.get(youth=youth)
    case_services.followup_close(actor=people.leader, followup=followup, reason="moved", summary="Flyttet.")
    lead = TeamMember.objects.get(youth=youth, is_lead=True, ends_on__isnull=True)
    assert lead.user == people.follower
    assert not AuditEvent.objects.filter(action="transition.team_moved").exists()


def test_a_refused_move_leaves_the_follow_up_open(
    people: People, youth: Youth, barnevern: Unit, caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hand_lead_to(people, youth, barnevern, caseworker)

    def refuse(**kwargs: object) -> None:
        raise PermissionDenied

    monkeypatch.setattr(services, "team_lead_transfer", refuse)
    followup = FollowUp.objects.get(youth=youth)
    with pytest.raises(PermissionDenied):
        case_services.followup_close(actor=people.leader, followup=followup, reason="turned_18", summary="18.")
    followup.refresh_from_db()
    assert followup.state != FollowUp.State.CLOSED
    assert TeamMember.objects.get(youth=youth, is_lead=True, ends_on__isnull=True).user == people.follower


def test_invitees_leave_out_points_not_settled_and_the_lead_that_ends(people: People, youth: Youth) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.LEAD, how="Oppfølgingen avsluttes.", lead_outcome="ends"
    )
    checklist = selectors.transition_checklist_for(consent_policy.viewer(people.follower, youth), youth)
    assert invitees.handover_invitees(checklist) == []


def test_the_plan_links_to_the_page_and_the_meeting_page_shows_the_checklist_beside_the_minutes(
    people: People, youth: Youth, as_user: object
) -> None:
    client = as_user(people.follower)  # type: ignore[operator]
    plan_page = client.get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert URL.format(pk=youth.pk) in plan_page
    at_18 = _plan(people, youth)
    plain = team_meeting(people.follower, youth, people.unit, kind=MeetingKind.HANDOVER, days=8)
    assert 'id="etter-18"' in client.get(f"/moter/{at_18.pk}/").content.decode()
    assert 'id="etter-18"' not in client.get(f"/moter/{plain.pk}/").content.decode()
    # The section links the planned handover meeting at 18 (not a plain handover meeting), to
    # whoever may see it, and offers to plan another.
    plan_page = client.get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert f'href="/moter/{at_18.pk}/"' in plan_page
    assert f'href="/moter/{plain.pk}/"' not in plan_page
    assert "Planlegg et nytt overgangsmøte" in plan_page
    assert [m.pk for m in selectors.handover_meetings(user=people.follower, youth=youth)] == [at_18.pk]
    assert selectors.handover_meetings(user=people.outsider, youth=youth) == []


def test_the_api_tells_a_handover_meeting_at_18_and_gives_its_minutes_the_checklists_headings(
    people: People, youth: Youth, as_user: object
) -> None:
    meeting = _plan(people, youth)
    client = as_user(people.follower)  # type: ignore[operator]
    body = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["meeting"]["about_turning_18"] is True
    keys = [s["key"] for s in body["minutes"]["sections"]]
    assert keys == [*P.values, "youth_view", "next_steps"]
