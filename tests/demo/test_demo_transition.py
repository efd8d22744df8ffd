"""The demo's youths near 18 (issue 14, point 6): four at 11, 5, 2 and half a month from the 18th
birthday with their checklists in different states, a handover meeting about turning 18 planned,
and one who turned 18 last month with the handover done."""

from __future__ import annotations

import datetime

import pytest

from cases.models import FollowUp
from consent.models import ConsentVersion
from core import access
from core.dates import add_months
from demo import builders as demo
from demo import transition as demo_transition
from demo.builders import DEMO_DISTRICT
from demo.followups import DEMO_TODAY
from teams.models import Meeting, MeetingKind, MeetingParticipant, Minutes, TeamMember, TransitionItem
from teams.transition.selectors import transition_progress, youth_consents

T = demo_transition
BEFORE_18 = {T.ELEVEN_MONTHS: 11, T.FIVE_MONTHS: 5, T.TWO_MONTHS: 2, T.HALF_MONTH: None}
TOLERANCE = datetime.timedelta(days=14)


def _aimed(months: int | None) -> datetime.date:
    return DEMO_TODAY + datetime.timedelta(days=15) if months is None else add_months(DEMO_TODAY, months)


def _items(youth_id: int) -> dict[str, TransitionItem]:
    return {item.point: item for item in TransitionItem.objects.filter(youth_id=youth_id)}


@pytest.mark.parametrize(("label", "months"), BEFORE_18.items())
def test_a_youth_in_follow_up_is_at_each_distance_from_18(built: demo.Demo, label: str, months: int | None) -> None:
    youth = built.turning_18[label]

    assert abs(youth.eighteenth_birthday - _aimed(months)) <= TOLERANCE
    followup = FollowUp.objects.get(youth=youth)
    assert followup.state == FollowUp.State.ACTIVE
    assert followup.unit == built.units[DEMO_DISTRICT].followup  # the demo leader's unit


def test_the_checklists_come_further_the_nearer_the_birthday(built: demo.Demo) -> None:
    youths = [built.turning_18[label] for label in BEFORE_18]
    progress = transition_progress(youths, today=DEMO_TODAY)
    settled = [progress[youth.pk].settled for youth in youths]

    assert settled == sorted(settled)
    assert len(set(settled)) == len(settled)
    assert settled[0] <= 1
    half = progress[built.turning_18[T.HALF_MONTH].pk]
    assert half.total - half.settled == 1
    assert progress[built.turning_18[T.TWO_MONTHS].pk].overdue >= 1


def test_five_months_from_18_aftercare_and_school_are_settled_and_one_point_does_not_apply(built: demo.Demo) -> None:
    items = _items(built.turning_18[T.FIVE_MONTHS].pk)

    assert items["aftercare"].state == TransitionItem.State.SETTLED
    assert items["aftercare"].aftercare_answer
    assert items["school_work"].state == TransitionItem.State.SETTLED
    assert [item.point for item in items.values() if item.state == TransitionItem.State.NOT_APPLICABLE] == ["health"]
    assert all(item.how and item.settled_by_id for item in items.values())


def test_two_months_from_18_nav_is_named_and_the_lead_handed_over_to_a_person(built: demo.Demo) -> None:
    youth = built.turning_18[T.TWO_MONTHS]
    items = _items(youth.pk)
    barnevern = built.units[DEMO_DISTRICT].barnevern

    assert items["nav"].contact_name
    assert items["nav"].unit == built.units[DEMO_DISTRICT].nav
    lead = items["lead"]
    assert lead.lead_outcome == TransitionItem.LeadOutcome.HANDED_OVER
    assert lead.unit == barnevern
    assert lead.lead_user in built.staff[DEMO_DISTRICT].caseworkers
    assert "health" not in items  # open, and overdue (settle by three months before 18)


def test_half_a_month_from_18_the_youth_alone_consented_from_the_birthday(built: demo.Demo) -> None:
    youth = built.turning_18[T.HALF_MONTH]
    version = youth_consents([youth], today=DEMO_TODAY)[youth.pk]

    assert version.valid_from == youth.eighteenth_birthday
    assert version.age_rule == ConsentVersion.AgeRule.ADULT
    assert [answer.party for answer in version.answers.all()] == [ConsentVersion.Party.YOUTH]
    assert "consent" not in _items(youth.pk)  # settled by the consent, never by hand


def test_a_handover_meeting_about_turning_18_is_planned_with_the_receiving_services(built: demo.Demo) -> None:
    youth = built.turning_18[T.HALF_MONTH]
    meeting = Meeting.objects.get(youth=youth, about_turning_18=True)
    staff = set(meeting.participants.filter(kind=MeetingParticipant.Kind.STAFF).values_list("user_id", "unit__kind"))
    receiver = _items(youth.pk)["lead"].lead_user
    assert receiver is not None

    assert meeting.kind == MeetingKind.HANDOVER
    assert meeting.state == Meeting.State.PLANNED
    assert DEMO_TODAY < meeting.starts_at.date() < youth.eighteenth_birthday
    assert (receiver.pk, "barnevern") in staff
    assert any(kind == "nav" for _, kind in staff)
    assert meeting.participants.filter(kind=MeetingParticipant.Kind.YOUTH).exists()


def test_the_youth_who_turned_18_last_month_had_every_point_settled_before_the_birthday(built: demo.Demo) -> None:
    youth = built.turning_18[T.TURNED]
    birthday = youth.eighteenth_birthday
    items = _items(youth.pk)
    progress = transition_progress([youth], today=DEMO_TODAY)[youth.pk]

    assert (birthday.year, birthday.month) == (add_months(DEMO_TODAY, -1).year, add_months(DEMO_TODAY, -1).month)
    assert progress.complete
    assert all(item.settled_at is not None and item.settled_at.date() < birthday for item in items.values())


def test_the_youth_who_turned_18_had_the_handover_meeting_with_approved_minutes(built: demo.Demo) -> None:
    youth = built.turning_18[T.TURNED]
    meeting = Meeting.objects.select_related("minutes").get(youth=youth, about_turning_18=True)

    assert meeting.state == Meeting.State.HELD
    assert meeting.starts_at.date() < youth.eighteenth_birthday
    assert meeting.minutes.state == Minutes.State.APPROVED


def test_the_follow_up_closed_at_18_and_the_receiving_service_holds_the_lead(built: demo.Demo) -> None:
    youth = built.turning_18[T.TURNED]
    followup = FollowUp.objects.get(youth=youth)
    lead_point = _items(youth.pk)["lead"]
    team = TeamMember.objects.filter(youth=youth, ends_on__isnull=True)
    lead = team.get(is_lead=True)

    assert followup.state == FollowUp.State.CLOSED
    assert followup.closing_reason == FollowUp.ClosingReason.TURNED_18
    assert followup.ended_on == youth.eighteenth_birthday
    assert lead.user == lead_point.lead_user
    assert lead.unit == lead_point.unit
    assert lead.starts_on == followup.ended_on
    assert not team.filter(unit=followup.unit).exists()
    assert not team.filter(kind=TeamMember.Kind.GUARDIAN).exists()
    follower = TeamMember.objects.get(youth=youth, unit=followup.unit, is_lead=True)
    assert lead.user is not None
    assert follower.user is not None
    assert access.can(lead.user, youth)
    assert not access.can(follower.user, youth)


def test_the_demo_logins_meet_the_youths_near_18(built: demo.Demo) -> None:
    staff = built.staff[DEMO_DISTRICT]
    half = built.turning_18[T.HALF_MONTH]
    turned = built.turning_18[T.TURNED]

    assert staff.coordinator.email == "coordinator@demo.laget.no"
    assert TeamMember.objects.filter(youth=half, user=staff.coordinator, is_lead=True, ends_on__isnull=True).exists()
    assert TeamMember.objects.filter(
        youth=turned, user__email="caseworker@demo.laget.no", is_lead=True, ends_on__isnull=True
    ).exists()
    assert TeamMember.objects.filter(
        youth=built.turning_18[T.TWO_MONTHS], user__email="teammate@demo.laget.no", ends_on__isnull=True
    ).exists()
