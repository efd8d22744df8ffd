"""The intake queue and intake mode: proposing (once per youth, only what the proposer may
see), deciding (taken in opens the follow-up under the capacity rule and starts the team; the
waiting list keeps its order; an anonymous case is never taken in unnamed), the minutes drafted
from the decisions, and what the shared screen shows: only what every service present may see,
anonymous candidates by alias only. Views: outsider 404, a member without the right 403, bad
input 400 with what was typed kept, a constant number of queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import timezone

from cases.models import FollowUp, FollowUpAssignment, Youth
from consent import policy as consent_policy
from consent.models import Category, Disclosure, DiscussionCase
from core.models import AuditEvent
from referrals.intake import selectors, services
from referrals.intake.selectors import waiting_positions
from referrals.models import IntakeCandidate, IntakeDecision, Outcome, Urgency
from teams.models import MinutesRevision, TeamMember

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, UnitFactory
from ..sharing import open_to
from .helpers import World, anonymous_case, build_world, candidate, consent_for, named_youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people: People) -> World:
    return build_world(people)


def _mode(meeting: Any, number: int = 1) -> str:
    return f"/inntak/mote/{meeting.pk}/?kandidat={number}"


def _said(text: str, *wordings: str) -> bool:
    """The interface speaks bokmål once the catalogue is merged; until then new messages come in
    their English source. Either wording counts."""
    return any(wording in text for wording in wordings)


NAMED = ("En navngitt ungdom", "A named youth")


# --- Proposing -----------------------------------------------------------------------------


def test_a_proposal_puts_a_named_youth_in_the_queue_and_is_audited(world: World) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")

    made = services.intake_candidate_propose(
        actor=world.coordinator, district=world.district, youth=youth, reason="  Mye fravær.  ", urgency=Urgency.URGENT
    )

    assert (made.youth, made.reason, made.urgency, made.proposed_by_unit) == (
        youth,
        "Mye fravær.",
        "urgent",
        world.people.unit,
    )
    event = AuditEvent.objects.get(action="intake.proposed")
    assert (event.actor, event.youth_id, event.object_id) == (world.coordinator, youth.pk, str(made.pk))


def test_a_youth_already_in_the_queue_is_refused(world: World) -> None:
    youth = named_youth(world)
    services.intake_candidate_propose(actor=world.coordinator, district=world.district, youth=youth, reason="Første.")

    with pytest.raises(ValidationError) as refused:
        services.intake_candidate_propose(
            actor=world.coordinator, district=world.district, youth=youth, reason="Andre."
        )

    assert "youth" in refused.value.message_dict
    assert IntakeCandidate.objects.count() == 1


def test_the_proposer_must_be_able_to_see_the_youth(world: World) -> None:
    youth = named_youth(world)

    with pytest.raises(PermissionDenied):
        services.intake_candidate_propose(actor=world.people.outsider, district=world.district, youth=youth, reason="x")
    assert not IntakeCandidate.objects.exists()


def test_a_named_youth_without_consent_is_refused_and_pointed_to_an_anonymous_discussion(world: World) -> None:
    youth = named_youth(world, consent=False)

    with pytest.raises(ValidationError) as refused:
        services.intake_candidate_propose(actor=world.coordinator, district=world.district, youth=youth, reason="x")

    message = " ".join(refused.value.message_dict["youth"])
    assert _said(message, "anonym drøfting", "anonymous discussion")
    assert not IntakeCandidate.objects.exists()
    assert not AuditEvent.objects.filter(action="intake.proposed").exists()


def test_only_a_consent_in_force_opening_identity_to_the_follow_up_unit_counts(world: World, people: People) -> None:
    youth = named_youth(world, consent=False)
    # To barnevern and the police, but not to the follow-up unit that decides the intake.
    consent_for(world, youth, units=[world.barnevern, people.police_unit])
    # To the follow-up unit, but for school only.
    consent_for(world, youth, units=[people.unit], categories=[Category.SCHOOL])
    # A legal basis is no consent.
    open_to(youth, people.unit, [Category.IDENTITY_CONTACT], actor=world.coordinator)
    # Ended yesterday.
    consent_for(world, youth, units=[people.unit], valid_to=timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(ValidationError):
        services.intake_candidate_propose(actor=world.coordinator, district=world.district, youth=youth, reason="x")

    consent_for(world, youth, units=[people.unit])
    made = services.intake_candidate_propose(
        actor=world.coordinator, district=world.district, youth=youth, reason="Nå med samtykke."
    )
    assert made.youth == youth


def test_a_withdrawn_consent_no_longer_names_the_youth(world: World, people: People) -> None:
    from consent.services import consent_withdraw

    youth = named_youth(world, consent=False)
    version = consent_for(world, youth, units=[people.unit])
    consent_withdraw(
        actor=world.coordinator,
        consent=version.consent,
        party="youth",
        reason="Vil ikke at tjenestene snakker sammen om meg nå.",
    )

    with pytest.raises(ValidationError):
        services.intake_candidate_propose(actor=world.coordinator, district=world.district, youth=youth, reason="x")


def test_an_anonymous_case_of_another_district_is_refused(world: World, people: People) -> None:
    case = anonymous_case(world)
    alna = people.other_unit.district
    assert alna is not None

    with pytest.raises(ValidationError):
        services.intake_candidate_propose(actor=world.caseworker, district=alna, discussion=case, reason="x")


# --- Deciding ------------------------------------------------------------------------------


def test_taking_in_opens_the_follow_up_with_the_follower_and_starts_the_team(world: World, people: People) -> None:
    youth = named_youth(world, first_name="Sara")
    made = candidate(world, youth=youth)

    decision = services.intake_decide(
        actor=world.coordinator,
        candidate=made,
        meeting=world.intake,
        outcome=Outcome.TAKEN_IN,
        follower=people.follower,
    )

    made.refresh_from_db()
    followup = FollowUp.objects.get(youth=youth)
    assert (made.outcome, made.followup, decision.follower) == (Outcome.TAKEN_IN, followup, people.follower)
    assert followup.state == FollowUp.State.ACTIVE
    assert followup.assignments.get(ends_on__isnull=True, role=FollowUpAssignment.Role.LEAD).user == people.follower
    lead = TeamMember.objects.get(youth=youth, is_lead=True, ends_on__isnull=True)
    assert lead.user == people.follower
    assert AuditEvent.objects.filter(action="intake.decided", youth_id=youth.pk).exists()


def test_an_anonymous_case_is_not_taken_in_before_it_is_named(world: World, people: People) -> None:
    made = candidate(world, discussion=anonymous_case(world))

    with pytest.raises(ValidationError) as refused:
        services.intake_decide(
            actor=world.coordinator, candidate=made, outcome=Outcome.TAKEN_IN, follower=people.follower
        )

    assert "outcome" in refused.value.message_dict
    made.refresh_from_db()
    assert made.outcome == ""
    assert not IntakeDecision.objects.exists()


def test_a_named_anonymous_case_is_taken_in_as_its_youth(world: World, people: People) -> None:
    youth = named_youth(world)
    case = anonymous_case(world)
    made = candidate(world, discussion=case)
    DiscussionCase.objects.filter(pk=case.pk).update(
        state=DiscussionCase.State.CONVERTED, youth=youth, converted_at=timezone.now(), converted_by=world.caseworker
    )

    services.intake_decide(actor=world.coordinator, candidate=made, outcome=Outcome.TAKEN_IN, follower=people.follower)

    made.refresh_from_db()
    assert made.youth == youth
    assert made.followup is not None
    assert made.followup.youth == youth


def _fill(world: World, follower: Any, n: int) -> None:
    for _ in range(n):
        followed_youth(world.people.unit, lead=follower)


def test_a_sixth_youth_is_refused_without_a_leaders_override(world: World, people: People) -> None:
    _fill(world, people.follower, 5)
    made = candidate(world, youth=named_youth(world))

    with pytest.raises(ValidationError, match="grensen er 5"):
        services.intake_decide(
            actor=world.coordinator, candidate=made, outcome=Outcome.TAKEN_IN, follower=people.follower
        )
    made.refresh_from_db()
    assert made.outcome == ""

    with pytest.raises(ValidationError) as coordinator_tries:
        services.intake_decide(
            actor=world.coordinator,
            candidate=made,
            outcome=Outcome.TAKEN_IN,
            follower=people.follower,
            override_reason="Kjenner familien godt.",
        )
    assert "override_reason" in coordinator_tries.value.message_dict

    services.intake_decide(
        actor=people.leader,
        candidate=made,
        outcome=Outcome.TAKEN_IN,
        follower=people.follower,
        override_reason="Kjenner familien godt.",
    )
    assert AuditEvent.objects.filter(action="followup.capacity_override").exists()


def test_the_waiting_list_is_ordered_by_urgency_then_time_waited(world: World) -> None:
    first = candidate(world, youth=named_youth(world))
    second = candidate(world, youth=named_youth(world))
    urgent = candidate(world, youth=named_youth(world), urgency=Urgency.URGENT)
    for made in (first, second, urgent):
        services.intake_decide(actor=world.coordinator, candidate=made, outcome=Outcome.WAITING_LIST)

    assert waiting_positions(district=world.district) == {urgent.pk: 1, first.pk: 2, second.pk: 3}
    since = IntakeCandidate.objects.get(pk=first.pk).waiting_since
    services.intake_decide(actor=world.coordinator, candidate=first, outcome=Outcome.WAITING_LIST)
    assert IntakeCandidate.objects.get(pk=first.pk).waiting_since == since  # keeps its place


def test_another_service_must_be_named(world: World) -> None:
    made = candidate(world, youth=named_youth(world))

    with pytest.raises(ValidationError) as refused:
        services.intake_decide(actor=world.coordinator, candidate=made, outcome=Outcome.OTHER_SERVICE)
    assert "referred_to" in refused.value.message_dict

    services.intake_decide(actor=world.coordinator, candidate=made, outcome=Outcome.OTHER_SERVICE, referred_to="BUP")
    made.refresh_from_db()
    assert made.outcome == Outcome.OTHER_SERVICE
    assert not made.in_queue


def test_only_the_coordinators_and_leaders_of_the_follow_up_decide(world: World, people: People) -> None:
    made = candidate(world, youth=named_youth(world))

    for person in (people.follower, world.caseworker, people.police):
        with pytest.raises(PermissionDenied):
            services.intake_decide(actor=person, candidate=made, outcome=Outcome.DECLINED)
    assert not IntakeDecision.objects.exists()


def test_a_decided_candidate_is_not_decided_again(world: World) -> None:
    made = candidate(world, youth=named_youth(world))
    services.intake_decide(actor=world.coordinator, candidate=made, outcome=Outcome.DECLINED)

    with pytest.raises(ValidationError):
        services.intake_decide(actor=world.coordinator, candidate=made, outcome=Outcome.WAITING_LIST)


def test_the_minutes_are_drafted_from_the_decisions_with_aliases_for_anonymous_cases(
    world: World, people: People
) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    case = anonymous_case(world, alias="Jente B")
    named = candidate(world, youth=youth)
    anonymous = candidate(world, discussion=case)
    # The case was named after the meeting discussed it: the minutes still use the alias.
    other = named_youth(world, first_name="Hemmelig", last_name="Navnesen")
    DiscussionCase.objects.filter(pk=case.pk).update(
        state=DiscussionCase.State.CONVERTED, youth=other, converted_at=timezone.now(), converted_by=world.caseworker
    )
    services.intake_decide(
        actor=world.coordinator,
        candidate=named,
        meeting=world.intake,
        outcome=Outcome.TAKEN_IN,
        follower=people.follower,
    )
    services.intake_decide(
        actor=world.coordinator, candidate=anonymous, meeting=world.intake, outcome=Outcome.AWAITING_CONSENT
    )

    revision = services.intake_minutes_draft(actor=world.coordinator, meeting=world.intake)

    text = " ".join(revision.sections.values()) + revision.decisions
    assert "Sara Berg" in revision.sections["candidates"]
    assert "Jente B" in revision.sections["candidates"]
    assert "Hemmelig" not in text
    assert "Navnesen" not in text
    assert "Politiet Øst" in revision.sections["present_services"]
    assert "Alice Follower" in revision.sections["capacity"]
    assert MinutesRevision.objects.filter(minutes__meeting=world.intake).count() == 1
    assert AuditEvent.objects.filter(action="intake.minutes_drafted").exists()


# --- The shared screen -----------------------------------------------------------------------


def test_intake_mode_never_shows_the_name_of_an_anonymous_candidate(world: World, as_user: Any) -> None:
    case = anonymous_case(world, alias="Gutt A")
    candidate(world, discussion=case)
    youth = named_youth(world, first_name="Hemmelig", last_name="Navnesen")
    DiscussionCase.objects.filter(pk=case.pk).update(
        state=DiscussionCase.State.CONVERTED, youth=youth, converted_at=timezone.now(), converted_by=world.caseworker
    )

    response = as_user(world.coordinator).get(_mode(world.intake))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Gutt A" in body
    assert "Hemmelig" not in body
    assert "Navnesen" not in body
    assert "Mye fravær" in body  # the concern, described without identifying the youth


def _with_school(world: World) -> Any:
    school = UnitFactory(name="Bjerke videregående skole", district=world.district, kind="school")
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    youth.school = school
    youth.school_class = "10B"
    youth.save()
    candidate(world, youth=youth)
    return youth


def test_intake_mode_withholds_a_category_a_present_service_may_not_see(world: World, as_user: Any) -> None:
    youth = _with_school(world)

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Sara Berg" in body  # named with consent: the name is the referral's own
    assert "Bjerke videregående skole" not in body  # the police present have no consent for school
    assert "intake-withheld" in body
    assert not Disclosure.objects.filter(youth=youth, categories__contains=[Category.SCHOOL]).exists()


def test_intake_mode_shows_a_category_every_present_service_may_see_and_logs_it(
    world: World, people: People, as_user: Any
) -> None:
    youth = _with_school(world)
    open_to(youth, people.police_unit, [Category.SCHOOL, Category.POLICE], actor=world.coordinator)
    open_to(youth, people.unit, [Category.POLICE], actor=world.coordinator)

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Bjerke videregående skole, 10B" in body
    assert "intake-withheld" not in body
    shown_to = set(
        Disclosure.objects.filter(youth=youth, categories__contains=[Category.SCHOOL]).values_list("user_id", flat=True)
    )
    assert shown_to == {world.coordinator.pk, people.police.pk}
    assert AuditEvent.objects.filter(action="intake.candidate_shown", youth_id=youth.pk).exists()


def _without_police(world: World, **fields: Any) -> Any:
    """A named youth whose consent opens identity and school to the follow-up unit and
    barnevern, not to the police (who take part in the meeting)."""
    youth = named_youth(world, consent=False, first_name="Sara", last_name="Berg", **fields)
    consent_for(
        world,
        youth,
        units=[world.people.unit, world.barnevern],
        categories=[Category.IDENTITY_CONTACT, Category.SCHOOL],
    )
    return youth


def test_intake_mode_withholds_the_name_and_exact_age_when_one_present_service_may_not_see_identity(
    world: World, people: People, as_user: Any
) -> None:
    youth = _without_police(world)
    made = candidate(world, youth=youth)
    age = youth.age_on(timezone.localdate())

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Sara" not in body
    assert "Berg" not in body
    assert _said(body, *NAMED)
    assert f"{age} år" not in body
    assert f"{age} years" not in body
    assert "15–17" in body  # the age band instead
    assert "intake-withheld" in body
    assert _said(body, "Identitet og kontaktopplysninger", "Identity and contact details")
    # Nothing of the youth was shown, so no disclosure is logged for anyone.
    assert not Disclosure.objects.filter(youth=youth).exists()
    event = AuditEvent.objects.get(action="intake.candidate_shown", object_id=str(made.pk))
    assert event.detail["named"] is False


def test_intake_mode_shows_the_name_when_every_present_service_may_see_identity_and_logs_it(
    world: World, people: People, as_user: Any
) -> None:
    youth = named_youth(world, first_name="Sara", last_name="Berg")
    candidate(world, youth=youth)
    age = youth.age_on(timezone.localdate())

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Sara Berg" in body
    assert _said(body, f"{age} år", f"{age} years")
    shown_to = set(
        Disclosure.objects.filter(youth=youth, categories__contains=[Category.IDENTITY_CONTACT]).values_list(
            "user_id", flat=True
        )
    )
    assert shown_to == {world.coordinator.pk, people.police.pk}
    assert not Disclosure.objects.filter(youth=youth, categories__contains=[Category.SCHOOL]).exists()


def test_the_queue_and_the_screen_agree_about_the_name(world: World, people: People, as_user: Any) -> None:
    _without_police(world)
    candidate(world, youth=Youth.objects.get(first_name="Sara"))
    queue = f"/inntak/?bydel={world.district.pk}"

    coordinator = as_user(world.coordinator)
    assert "Sara Berg" in coordinator.get(queue).content.decode()  # the coordinator's service may see it
    # With the police in the room, the screen shows what the police's queue shows (below) ...
    screen = coordinator.get(_mode(world.intake)).content.decode()
    assert "Sara Berg" not in screen
    assert _said(screen, *NAMED)
    # ... and with the police marked absent, what the coordinator's queue shows.
    world.intake.participants.filter(user=people.police).update(present=False)
    screen = coordinator.get(_mode(world.intake)).content.decode()
    assert "Sara Berg" in screen
    coordinator.logout()

    police_queue = as_user(people.police).get(queue).content.decode()
    assert "Sara Berg" not in police_queue
    assert _said(police_queue, *NAMED)


def test_someone_without_a_laget_account_in_the_room_sees_no_name(world: World, as_user: Any) -> None:
    from teams.models import MeetingParticipant

    candidate(world, youth=named_youth(world, first_name="Sara", last_name="Berg"))
    MeetingParticipant.objects.create(
        meeting=world.intake, kind=MeetingParticipant.Kind.EXTERNAL, name="Eva Ekstern", organisation="Frivillig"
    )

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Sara Berg" not in body
    assert _said(body, *NAMED)


def test_the_summary_and_the_minutes_name_a_youth_only_when_every_participant_may_see_identity(
    world: World, people: People, as_user: Any
) -> None:
    hidden = candidate(world, youth=_without_police(world))
    shown = candidate(world, youth=named_youth(world, first_name="Per", last_name="Olsen"))
    for made in (hidden, shown):
        services.intake_decide(
            actor=world.coordinator, candidate=made, meeting=world.intake, outcome=Outcome.WAITING_LIST
        )
    # The police did not come: the screen's summary may name her, the minutes (sent to every
    # participant, the police too) may not.
    world.intake.participants.filter(user=people.police).update(present=False)
    summary = as_user(world.coordinator).get(_mode(world.intake, 3)).content.decode()
    assert "Sara Berg" in summary
    assert "Per Olsen" in summary

    revision = services.intake_minutes_draft(actor=world.coordinator, meeting=world.intake)

    text = " ".join(revision.sections.values()) + revision.decisions
    assert "Sara" not in text
    assert "Berg" not in text
    assert _said(revision.sections["candidates"], f"En navngitt ungdom (#{hidden.pk})", f"A named youth (#{hidden.pk})")
    assert "Per Olsen" in revision.sections["candidates"]
    assert _said(revision.sections["capacity"], f"(#{hidden.pk})")

    # With the police present, the screen's summary withholds her name as well.
    world.intake.participants.filter(user=people.police).update(present=True)
    summary = as_user(world.coordinator).get(_mode(world.intake, 3)).content.decode()
    assert "Sara Berg" not in summary
    assert "Per Olsen" in summary


def test_a_participant_marked_absent_does_not_count(world: World, people: People, as_user: Any) -> None:
    _with_school(world)
    world.intake.participants.filter(user=people.police).update(present=False)

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Bjerke videregående skole" in body


def test_intake_mode_lists_the_followers_with_their_load(world: World, people: People, as_user: Any) -> None:
    candidate(world, youth=named_youth(world))
    _fill(world, people.follower, 2)

    body = as_user(world.coordinator).get(_mode(world.intake)).content.decode()

    assert "Alice Follower – 2 av 5" in body or "Alice Follower – 2 of 5" in body


# --- Views: access and wiring ------------------------------------------------------------------


def test_the_queue_shows_the_district_to_its_staff_and_an_outsider_gets_404(
    world: World, people: People, as_user: Any
) -> None:
    candidate(world, discussion=anonymous_case(world, alias="Gutt A"))

    client = as_user(world.caseworker)
    response = client.get("/inntak/")
    assert response.status_code == 200
    assert "Gutt A" in response.content.decode()

    client.logout()
    outsider = as_user(people.outsider)
    assert outsider.get(f"/inntak/?bydel={world.district.pk}").status_code == 404
    assert "Gutt A" not in outsider.get("/inntak/").content.decode()


def test_the_queue_hides_the_name_from_a_service_without_consent(world: World, people: People, as_user: Any) -> None:
    youth = named_youth(world, consent=False, first_name="Sara", last_name="Berg")
    consent_for(world, youth, units=[world.people.unit, world.barnevern])
    candidate(world, youth=youth)
    StaffRoleFactory(user=people.police, unit=UnitFactory(name="Ungdomsklubben", district=world.district))

    body = as_user(people.police).get(f"/inntak/?bydel={world.district.pk}").content.decode()

    assert "Sara Berg" not in body
    assert "Fire anmeldte forhold" in body  # the referral's own reason


def test_someone_without_case_work_gets_403(world: World, people: People, as_user: Any) -> None:
    client = as_user(people.admin)
    assert client.get("/inntak/").status_code == 403
    assert client.get("/inntak/ny/").status_code == 403


def test_the_queue_page_has_a_constant_number_of_queries(
    world: World, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(world.coordinator)
    for _ in range(3):
        candidate(world, youth=named_youth(world))
    candidate(world, discussion=anonymous_case(world))
    client.get("/inntak/")
    with django_assert_max_num_queries(40) as few:
        client.get("/inntak/")
    for _ in range(6):
        candidate(world, youth=named_youth(world))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/inntak/")


def test_proposing_through_the_page(world: World, as_user: Any) -> None:
    youth = named_youth(world)
    client = as_user(world.coordinator)

    response = client.post(
        "/inntak/ny/",
        {
            "district": world.district.pk,
            "youth": youth.pk,
            "unit": world.people.unit.pk,
            "reason": "Mye fravær.",
            "urgency": "normal",
        },
    )

    assert response.status_code == 302
    assert IntakeCandidate.objects.get().youth == youth


def test_a_proposal_without_a_reason_comes_back_with_400_and_what_was_typed(world: World, as_user: Any) -> None:
    youth = named_youth(world)
    client = as_user(world.coordinator)
    client.post(
        "/inntak/ny/",
        {
            "district": world.district.pk,
            "youth": youth.pk,
            "unit": world.people.unit.pk,
            "reason": "x",
            "urgency": "normal",
        },
    )

    response = client.post(
        "/inntak/ny/",
        {
            "district": world.district.pk,
            "youth": youth.pk,
            "unit": world.people.unit.pk,
            "reason": "Igjen",
            "urgency": "urgent",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Igjen" in body
    assert IntakeCandidate.objects.count() == 1


def test_proposing_a_named_youth_without_consent_comes_back_with_400_and_the_way_to_an_anonymous_discussion(
    world: World, as_user: Any
) -> None:
    youth = named_youth(world, consent=False)
    client = as_user(world.coordinator)

    response = client.post(
        "/inntak/ny/",
        {
            "district": world.district.pk,
            "youth": youth.pk,
            "unit": world.people.unit.pk,
            "reason": "Mye fravær og nye venner.",
            "urgency": "urgent",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Mye fravær og nye venner." in body
    assert f'value="{youth.pk}" selected' in body
    assert re.search(r'value="urgent" id="[^"]+" checked', body)
    assert _said(body, "anonym drøfting", "anonymous discussion")
    assert 'href="/samtykke/drofting/ny/"' in body
    assert not IntakeCandidate.objects.exists()


def test_intake_mode_404_for_an_outsider_403_for_a_member_without_the_right(
    world: World, people: People, as_user: Any
) -> None:
    made = candidate(world, youth=named_youth(world))
    assert as_user(people.outsider).get(_mode(world.intake)).status_code == 404
    assert as_user(people.outsider).post(f"/inntak/mote/{world.intake.pk}/kandidat/{made.pk}/").status_code == 404
    follower = as_user(people.follower)
    assert follower.get(_mode(world.intake)).status_code == 403
    assert (
        follower.post(f"/inntak/mote/{world.intake.pk}/kandidat/{made.pk}/", {"outcome": "declined"}).status_code == 403
    )
    assert follower.post(f"/inntak/mote/{world.intake.pk}/referat/").status_code == 403
    assert not IntakeDecision.objects.exists()


def test_deciding_on_the_page_moves_to_the_next_candidate(world: World, people: People, as_user: Any) -> None:
    made = candidate(world, youth=named_youth(world))
    candidate(world, youth=named_youth(world))
    client = as_user(world.coordinator)

    response = client.post(
        f"/inntak/mote/{world.intake.pk}/kandidat/{made.pk}/", {"outcome": "taken_in", "follower": people.follower.pk}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?kandidat=2")
    assert IntakeDecision.objects.get().meeting == world.intake


def test_taken_in_without_a_follower_comes_back_with_400(world: World, as_user: Any) -> None:
    made = candidate(world, youth=named_youth(world))
    client = as_user(world.coordinator)

    response = client.post(
        f"/inntak/mote/{world.intake.pk}/kandidat/{made.pk}/", {"outcome": "taken_in", "note": "Tas inn straks"}
    )

    assert response.status_code == 400
    assert "Tas inn straks" in response.content.decode()
    assert not IntakeDecision.objects.exists()
    assert not FollowUpAssignment.objects.filter(followup__youth=made.youth).exists()


def test_the_summary_follows_the_last_candidate_and_drafts_the_minutes(world: World, as_user: Any) -> None:
    made = candidate(world, discussion=anonymous_case(world, alias="Gutt A"))
    client = as_user(world.coordinator)
    client.post(f"/inntak/mote/{world.intake.pk}/kandidat/{made.pk}/", {"outcome": "awaiting_consent"})

    summary = client.get(_mode(world.intake, 2))
    assert summary.status_code == 200
    assert "Gutt A" in summary.content.decode()

    response = client.post(f"/inntak/mote/{world.intake.pk}/referat/")
    assert response.status_code == 302
    revision = MinutesRevision.objects.get(minutes__meeting=world.intake)
    assert "Gutt A" in revision.sections["candidates"]


def test_the_meeting_time_is_in_the_past_week_or_later(world: World) -> None:
    assert world.intake.starts_at > timezone.now() - datetime.timedelta(days=7)


# --- The card asks the sharing policy's map -------------------------------------------------------


def test_each_field_the_card_shows_has_the_category_the_policy_map_gives_it() -> None:
    mapped = consent_policy.FIELD_CATEGORY[Youth]
    assert selectors.shared_categories(selectors.CARD_SCHOOL_FIELDS) == [Category.SCHOOL.value]
    assert selectors.shared_categories(selectors.CARD_CRIME_FIELDS) == [mapped["repeated_crime_years"]]
    # The name is the frame, shown on a shared screen as identity; the exact age is the birth date.
    assert selectors.shared_categories(selectors.CARD_NAME_FIELDS) == [mapped["birth_date"]]


def test_a_change_to_the_policy_map_changes_the_card(
    world: World, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    youth = _with_school(world)
    made = IntakeCandidate.objects.get(youth=youth)
    audience = selectors.audience_for(meeting=world.intake, user=world.coordinator)

    def card() -> selectors.Card:
        return selectors.intake_card(user=world.coordinator, meeting=world.intake, candidate=made, audience=audience)

    before = card()
    assert before.school == ""  # the police present have no consent for school
    assert not before.police_shown

    # Were school and the repeated-crime flag identity information, everyone present (named with
    # consent) would see them, and the card would show them and log them.
    mapped = dict(consent_policy.FIELD_CATEGORY[Youth])
    for name in ("school", "school_class", "repeated_crime_years"):
        mapped[name] = Category.IDENTITY_CONTACT.value
    model: type[Model] = Youth
    monkeypatch.setitem(consent_policy.FIELD_CATEGORY, model, mapped)

    after = card()
    assert after.school == "Bjerke videregående skole, 10B"
    assert after.police_shown
    assert after.withheld == []
