"""The youth's plan (issue 13): goals and steps, versions append-only in PostgreSQL, a step with a
helper and a date is the same row as a meeting action item (done in one place is done in both),
acknowledgement by the consent age rules, masking by the sharing policy, outsiders 404."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.utils import timezone, translation

from cases.models import Guardian, Guardianship, Youth
from consent import services as consent_services
from consent.models import ConsentVersion, Disclosure
from core.dates import add_months, birthday, today_in_oslo
from core.models import AuditEvent
from teams import services as team_services
from teams.calendar.feed import action_items_open_for_user
from teams.meetings import selectors as meeting_selectors
from teams.meetings import services as meeting_services
from teams.models import ActionItem, Meeting, Plan, PlanAcknowledgement, PlanArea, PlanStep, PlanVersion, TeamMember
from teams.plans import selectors, services

from ...conftest import People
from ..factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def area(code: str) -> PlanArea:
    return PlanArea.objects.get(code=code)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")


@pytest.fixture
def plan(people: People, youth: Youth) -> Plan:
    return services.plan_get_or_create(actor=people.follower, youth=youth)


def member(youth: Youth, kind: str) -> TeamMember:
    return TeamMember.objects.get(youth=youth, kind=kind, ends_on__isnull=True)


def in_days(days: int) -> datetime.date:
    return today_in_oslo() + datetime.timedelta(days=days)


# --- The plan, goals and steps -----------------------------------------------------------


def test_the_life_areas_are_data_with_their_consent_category() -> None:
    codes = dict(PlanArea.objects.values_list("code", "category"))
    assert codes["health"] == "health"
    assert codes["substance_use"] == "substance_use"
    assert codes["crime_safety"] == "police"
    assert codes["school"] == "school"
    assert codes["leisure"] == "identity_contact"
    assert PlanArea.objects.get(code="housing_economy").name == "Bolig og økonomi"
    assert PlanArea.objects.count() == 9


def test_a_plan_is_made_once_with_the_review_three_months_ahead(people: People, youth: Youth, plan: Plan) -> None:
    assert plan.next_review_on == add_months(today_in_oslo(), 3)
    assert plan.version == 0
    assert services.plan_get_or_create(actor=people.follower, youth=youth) == plan
    assert AuditEvent.objects.filter(action="plan.created", youth_id=youth.pk).count() == 1


def test_an_outsider_gets_404_and_cannot_change_the_plan(people: People, youth: Youth, plan: Plan) -> None:
    with pytest.raises(Http404):
        selectors.plan_shown(user=people.outsider, youth=youth)
    with pytest.raises(Http404):
        services.plan_goal_add(actor=people.outsider, plan=plan, area=area("school"), in_own_words="Bestå matte")
    with pytest.raises(Http404):
        services.plan_get_or_create(actor=people.outsider, youth=youth)


def test_each_saved_change_is_a_new_version_with_its_snapshot(people: People, youth: Youth, plan: Plan) -> None:
    goal = services.plan_goal_add(
        actor=people.follower,
        plan=plan,
        area=area("school"),
        in_own_words="Jeg vil bestå matte",
        why_it_matters="Så jeg kommer inn på elektro",
    )
    step = services.plan_step_add(actor=people.follower, goal=goal, what="Leksehjelp på tirsdager")
    services.plan_goal_change(
        actor=people.follower, goal=goal, in_own_words="Jeg vil få 3 i matte", why_it_matters="Elektro"
    )
    plan.refresh_from_db()
    assert plan.version == 3
    numbers = list(PlanVersion.objects.filter(plan=plan).order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    latest = PlanVersion.objects.get(plan=plan, number=3)
    [snap_goal] = latest.snapshot["goals"]
    assert snap_goal["in_own_words"] == "Jeg vil få 3 i matte"
    assert snap_goal["area"] == "school"
    assert snap_goal["steps"][0]["what"] == step.what
    assert snap_goal["steps"][0]["status"] == "open"
    # A change that changes nothing is no new version.
    services.plan_goal_change(
        actor=people.follower, goal=goal, in_own_words="Jeg vil få 3 i matte", why_it_matters="Elektro"
    )
    plan.refresh_from_db()
    assert plan.version == 3
    assert AuditEvent.objects.filter(action="plan.goal_changed", youth_id=youth.pk).count() == 1


def test_versions_are_append_only_in_postgresql(people: People, youth: Youth, plan: Plan) -> None:
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("leisure"), in_own_words="Begynne på fotball")
    version = PlanVersion.objects.get(plan=plan)
    for statement in (
        "UPDATE teams_planversion SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM teams_planversion WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [version.pk])
    version.refresh_from_db()
    assert version.summary == "Goal added"


def test_the_diff_says_what_was_added_changed_and_removed(people: People, youth: Youth, plan: Plan) -> None:
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    step = services.plan_step_add(actor=people.follower, goal=goal, what="Stå opp 07")
    services.plan_step_change(actor=people.follower, step=step, what="Stå opp kl. 07.00")
    services.plan_goal_change(actor=people.follower, goal=goal, in_own_words="Møte opp", status="reached")
    versions = {v.number: v for v in PlanVersion.objects.filter(plan=plan)}
    first = selectors.plan_version_diff(None, versions[1])
    assert [(c.kind, c.change, c.label) for c in first.changes] == [("goal", "added", "Møte opp")]
    diff = selectors.plan_version_diff(versions[2], versions[4])
    changes = {(c.kind, c.change): c for c in diff.changes}
    assert changes[("step", "changed")].before == {"what": "Stå opp 07"}
    assert changes[("step", "changed")].after == {"what": "Stå opp kl. 07.00"}
    assert changes[("goal", "changed")].after == {"status": "reached"}
    back = selectors.plan_version_diff(versions[4], versions[1])
    assert ("step", "removed") in {(c.kind, c.change) for c in back.changes}


def test_bad_input_is_refused_with_a_message(people: People, youth: Youth, plan: Plan) -> None:
    with pytest.raises(ValidationError) as error:
        services.plan_goal_add(actor=people.follower, plan=plan, area=None, in_own_words=" ")
    assert set(error.value.message_dict) == {"area", "in_own_words"}
    with pytest.raises(ValidationError) as error:
        services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="x" * 1001)
    assert "in_own_words" in error.value.message_dict
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    with pytest.raises(ValidationError) as error:
        services.plan_step_add(
            actor=people.follower, goal=goal, what="Ringe", helper=member(youth, "youth"), due_on=in_days(6 * 366)
        )
    assert "due_on" in error.value.message_dict
    other = youth_with_team(people.unit, lead=people.teammate)
    with pytest.raises(ValidationError) as error:
        services.plan_step_add(actor=people.follower, goal=goal, what="Ringe", helper=member(other, "youth"))
    assert "helper" in error.value.message_dict


# --- Steps are action items --------------------------------------------------------------


def test_a_step_with_a_helper_and_a_date_is_an_action_item_where_action_items_appear(
    people: People, youth: Youth, plan: Plan
) -> None:
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("work"), in_own_words="Sommerjobb")
    lead = member(youth, "staff")
    step = services.plan_step_add(actor=people.follower, goal=goal, what="Søke på tre jobber", helper=lead)
    assert step.action_item is None  # no date yet: a step of the plan only
    step = services.plan_step_change(
        actor=people.follower, step=step, what="Søke på tre jobber", helper=lead, due_on=in_days(10)
    )
    item = step.action_item
    assert item is not None
    assert (item.owner, item.title, item.due_on, item.youth, item.meeting, item.from_plan) == (
        people.follower,
        "Søke på tre jobber",
        in_days(10),
        youth,
        None,
        True,
    )
    assert item in action_items_open_for_user(user=people.follower)  # home page and calendar feed
    assert item.get_absolute_url().endswith(f"/{youth.pk}/plan/")
    # Carried onto the youth's next team meeting until done.
    meeting = team_meeting(people.follower, youth, people.unit, days=3)
    assert item in meeting_selectors.action_items_carried(meeting=meeting)
    # Changing the step changes the one row.
    services.plan_step_change(
        actor=people.follower, step=step, what="Søke på fem jobber", helper=member(youth, "youth"), due_on=in_days(12)
    )
    item.refresh_from_db()
    assert (item.title, item.owner, item.owner_name, item.due_on) == (
        "Søke på fem jobber",
        None,
        "Søren Øvrebø",
        in_days(12),
    )
    # A step that is an action item keeps its helper and date.
    with pytest.raises(ValidationError):
        services.plan_step_change(actor=people.follower, step=step, what="Søke", helper=None, due_on=in_days(12))


def test_a_step_done_on_the_plan_is_done_as_an_action_item(people: People, youth: Youth, plan: Plan) -> None:
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    step = services.plan_step_add(
        actor=people.follower, goal=goal, what="Ringe skolen", helper=member(youth, "staff"), due_on=in_days(5)
    )
    with pytest.raises(ValidationError):  # done says what was done, as for any action item
        services.plan_step_set_status(actor=people.follower, step=step, status="done")
    services.plan_step_set_status(actor=people.follower, step=step, status="done", done_note="Snakket med rektor")
    assert step.action_item is not None
    item = ActionItem.objects.get(pk=step.action_item.pk)
    assert (item.status, item.done_note, item.done_by) == ("done", "Snakket med rektor", people.follower)
    step.refresh_from_db()
    assert step.status == "open"  # the step's own field is unused: the status lives on the item
    assert step.current_status == "done"
    meeting = team_meeting(people.follower, youth, people.unit, days=3)
    assert item not in meeting_selectors.action_items_carried(meeting=meeting)
    assert item not in action_items_open_for_user(user=people.follower)
    plan.refresh_from_db()
    assert PlanVersion.objects.get(plan=plan, number=plan.version).snapshot["goals"][0]["steps"][0]["status"] == "done"


def test_an_action_item_done_on_the_meeting_page_is_done_on_the_plan(people: People, youth: Youth, plan: Plan) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=-1)
    goal = services.plan_goal_add(
        actor=people.follower, plan=plan, area=area("leisure"), in_own_words="Begynne på boksing", meeting=meeting
    )
    step = services.plan_step_add(
        actor=people.follower,
        goal=goal,
        what="Prøvetime i bokseklubben",
        helper=member(youth, "staff"),
        due_on=in_days(4),
        meeting=meeting,
    )
    assert step.action_item in meeting_selectors.action_items_of(meeting=meeting)  # agreed in the meeting
    before = Plan.objects.get(pk=plan.pk).version
    meeting_services.action_item_set_status(
        actor=people.follower, item=step.action_item, status="done", done_note="Var der torsdag"
    )
    step.refresh_from_db()
    assert step.current_status == "done"
    plan.refresh_from_db()
    assert plan.version == before + 1
    version = PlanVersion.objects.get(plan=plan, number=plan.version)
    assert version.snapshot["goals"][0]["steps"][0]["status"] == "done"
    shown = selectors.plan_shown(user=people.follower, youth=youth)
    assert shown.goals[0].steps[0].status == "done"


def test_an_action_item_belongs_to_a_meeting_or_a_plan_in_the_database(people: People, youth: Youth) -> None:
    with pytest.raises(Exception, match="actionitem_from_meeting_or_plan"), transaction.atomic():
        ActionItem.objects.create(
            youth=youth, title="Løs", owner=people.follower, due_on=in_days(2), created_by=people.follower
        )


def test_the_step_status_lives_on_the_action_item_in_the_database(people: People, youth: Youth, plan: Plan) -> None:
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    step = services.plan_step_add(
        actor=people.follower, goal=goal, what="Ringe", helper=member(youth, "staff"), due_on=in_days(5)
    )
    with pytest.raises(Exception, match="planstep_status_lives_on_action_item"), transaction.atomic():
        PlanStep.objects.filter(pk=step.pk).update(status="done")
    with pytest.raises(Exception, match="planstep_helper_and_date_is_action_item"), transaction.atomic():
        PlanStep.objects.filter(pk=step.pk).update(due_on=None)


# --- Acknowledgement by the age rules --------------------------------------------------------


def _youth_aged(people: People, *, years: int, days: int = 0) -> Youth:
    """A youth who turns `years` in `days` days (today when 0), with a team and one guardian."""
    born = birthday(today_in_oslo() + datetime.timedelta(days=days), -years)
    return youth_with_team(people.unit, lead=people.follower, birth_date=born)


def _days_ago(days: int) -> Any:
    """The clock moved back `days` days (time_machine), to save a version then."""
    moment = timezone.make_aware(
        datetime.datetime.combine(today_in_oslo() - datetime.timedelta(days=days), datetime.time(12))
    )
    return time_machine.travel(moment, tick=False)


def _guardian(youth: Youth) -> Guardian:
    return Guardianship.objects.get(youth=youth).guardian


def test_under_15_the_guardians_acknowledge_and_the_youth_is_heard(people: People) -> None:
    youth = _youth_aged(people, years=14, days=100)
    plan = services.plan_get_or_create(actor=people.follower, youth=youth)
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    version = PlanVersion.objects.get(plan=plan)
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    status = selectors.plan_acknowledgement_status(version=version)
    assert status.rule == ConsentVersion.AgeRule.UNDER_15
    assert not status.youth_required
    assert status.missing_guardians == [_guardian(youth)]
    services.plan_acknowledge(
        actor=people.follower, version=version, party="youth", how="meeting", meeting=meeting
    )  # heard, but not what counts
    assert not selectors.plan_acknowledgement_status(version=version).complete
    services.plan_acknowledge(
        actor=people.follower,
        version=version,
        party="guardian",
        guardian=_guardian(youth),
        how="meeting",
        meeting=meeting,
    )
    assert selectors.plan_acknowledgement_status(version=version).complete
    assert not selectors.plan_unacknowledged(plan=plan)
    assert AuditEvent.objects.filter(action="plan.acknowledged", youth_id=youth.pk).count() == 2


def test_a_youth_who_turns_15_between_versions_acknowledges_the_later_one_too(people: People) -> None:
    youth = _youth_aged(people, years=15, days=-10)  # turned 15 ten days ago
    with _days_ago(30):  # at 14
        plan = services.plan_get_or_create(actor=people.follower, youth=youth)
        goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    first = PlanVersion.objects.get(plan=plan, number=1)
    day_before = today_in_oslo() - datetime.timedelta(days=20)
    rule_then = selectors.plan_acknowledgement_status(version=first, on=day_before)
    assert rule_then.rule == ConsentVersion.AgeRule.UNDER_15
    assert not rule_then.youth_required
    services.plan_goal_change(actor=people.follower, goal=goal, in_own_words="Møte opp hver dag")
    plan.refresh_from_db()
    second = PlanVersion.objects.get(plan=plan, number=2)  # at 15
    status = selectors.plan_acknowledgement_status(version=second)
    assert status.rule == ConsentVersion.AgeRule.FROM_15
    assert status.youth_required
    assert status.missing_guardians == [_guardian(youth)]
    services.plan_acknowledge(
        actor=people.follower,
        version=second,
        party="guardian",
        guardian=_guardian(youth),
        how="paper",
        document=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    assert selectors.plan_acknowledgement_status(version=second).missing_names == [youth.display_name]
    services.plan_acknowledge(
        actor=people.follower,
        version=second,
        party="youth",
        how="paper",
        document=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    assert selectors.plan_acknowledgement_status(version=second).complete


def test_a_youth_who_turns_18_between_versions_acknowledges_the_later_one_alone(people: People) -> None:
    youth = _youth_aged(people, years=18, days=-10)  # turned 18 ten days ago
    with _days_ago(30):  # at 17
        plan = services.plan_get_or_create(actor=people.follower, youth=youth)
        goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("work"), in_own_words="Få jobb")
    first = PlanVersion.objects.get(plan=plan, number=1)
    status = selectors.plan_acknowledgement_status(version=first)
    assert status.rule == ConsentVersion.AgeRule.FROM_15
    assert status.youth_required
    # Made at 17, but from the birthday the guardians are not asked without the youth's consent
    # to involving them (consent.policy.guardians_told; tests/teams/test_guardians_after_18.py).
    assert status.guardians_stopped
    assert status.guardians_required == []
    assert status.missing_names == [youth.display_name]
    services.plan_goal_change(actor=people.follower, goal=goal, in_own_words="Få fast jobb")
    plan.refresh_from_db()
    second = PlanVersion.objects.get(plan=plan, number=2)  # at 18
    status = selectors.plan_acknowledgement_status(version=second)
    assert status.rule == ConsentVersion.AgeRule.ADULT
    assert status.guardians_required == []
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    with pytest.raises(ValidationError, match="18 or older"):
        services.plan_acknowledge(
            actor=people.follower,
            version=second,
            party="guardian",
            guardian=_guardian(youth),
            how="meeting",
            meeting=meeting,
        )
    services.plan_acknowledge(actor=people.follower, version=second, party="youth", how="meeting", meeting=meeting)
    assert selectors.plan_acknowledgement_status(version=second).complete


def test_only_the_current_version_is_acknowledged_and_a_paper_is_checked_by_content(
    people: People, youth: Youth, plan: Plan
) -> None:
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    services.plan_goal_change(actor=people.follower, goal=goal, in_own_words="Møte opp kl. 8")
    old = PlanVersion.objects.get(plan=plan, number=1)
    current = PlanVersion.objects.get(plan=plan, number=2)
    with pytest.raises(ValidationError, match="replaced"):
        services.plan_acknowledge(
            actor=people.follower, version=old, party="youth", how="paper", document=SimpleUploadedFile("plan.pdf", PDF)
        )
    with pytest.raises(ValidationError) as error:
        services.plan_acknowledge(
            actor=people.follower,
            version=current,
            party="youth",
            how="paper",
            document=SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "document" in error.value.message_dict
    stranger = Guardian.objects.create(first_name="Per", last_name="Fremmed")
    with pytest.raises(ValidationError) as error:
        services.plan_acknowledge(
            actor=people.follower,
            version=current,
            party="guardian",
            guardian=stranger,
            how="paper",
            document=SimpleUploadedFile("plan.pdf", PDF),
        )
    assert "guardian" in error.value.message_dict
    ack = services.plan_acknowledge(
        actor=people.follower, version=current, party="youth", how="paper", document=SimpleUploadedFile("plan.pdf", PDF)
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM teams_planacknowledgement WHERE id = %s", [ack.pk])
    assert PlanAcknowledgement.objects.filter(pk=ack.pk).exists()


def test_an_unacknowledged_change_is_marked_on_what_is_shown(people: People, youth: Youth, plan: Plan) -> None:
    goal = services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    version = PlanVersion.objects.get(plan=plan)
    for party, guardian in (("youth", None), ("guardian", _guardian(youth))):
        services.plan_acknowledge(
            actor=people.follower, version=version, party=party, guardian=guardian, how="meeting", meeting=meeting
        )
    assert not selectors.plan_shown(user=people.follower, youth=youth).unacknowledged
    services.plan_goal_change(actor=people.follower, goal=goal, in_own_words="Møte opp hver dag")
    shown = selectors.plan_shown(user=people.follower, youth=youth)
    assert shown.unacknowledged
    assert shown.version is not None
    assert shown.version.number == 2


# --- Consent and access -------------------------------------------------------------------


def _police_in_team(people: People, youth: Youth) -> None:
    """The police contact joins the youth's team (so sees the youth), with no consent for police."""
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )


def test_goals_are_shown_by_the_category_of_their_life_area(people: People, youth: Youth, plan: Plan) -> None:
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre")
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("leisure"), in_own_words="Fotball")
    _police_in_team(people, youth)
    own = selectors.plan_shown(user=people.follower, youth=youth)
    assert [g.goal.in_own_words for g in own.goals] == ["Fotball", "Sove bedre"]
    police = selectors.plan_shown(user=people.police, youth=youth, channel="api")
    assert police.goals == []  # no consent: neither health nor identity and contact
    assert dict(police.withheld)
    assert AuditEvent.objects.filter(action="plan.viewed", youth_id=youth.pk).count() == 2
    assert Disclosure.objects.filter(youth=youth, user=people.follower).exists()
    with pytest.raises(PermissionDenied):
        services.plan_goal_add(actor=people.police, plan=plan, area=area("health"), in_own_words="Noe")


def test_a_service_sees_the_goals_and_steps_its_consent_covers_on_the_plan_and_the_meeting_page(
    people: People, youth: Youth, plan: Plan
) -> None:
    crime = services.plan_goal_add(
        actor=people.follower, plan=plan, area=area("crime_safety"), in_own_words="Holde meg unna bråk"
    )
    health = services.plan_goal_add(actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre")
    lead = member(youth, "staff")
    crime_step = services.plan_step_add(
        actor=people.follower, goal=crime, what="Møte konfliktrådet", helper=lead, due_on=in_days(5)
    )
    services.plan_step_add(
        actor=people.follower, goal=health, what="Time hos fastlegen", helper=lead, due_on=in_days(6)
    )
    _police_in_team(people, youth)
    guardian = _guardian(youth)
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid med politiet om trygghet",
        categories=["identity_contact", "police"],
        units=[people.police_unit],
        form="oral",
        valid_from=today_in_oslo(),
        valid_to=in_days(180),
        youth_answer="given",
        guardian_answers={guardian: "given"},
    )
    police = selectors.plan_shown(user=people.police, youth=youth)
    assert [g.goal.in_own_words for g in police.goals] == ["Holde meg unna bråk"]
    assert [s.step.what for s in police.goals[0].steps] == ["Møte konfliktrådet"]
    assert police.goals[0].steps[0].helper_name == "Alice Follower"
    meeting = team_meeting(people.follower, youth, people.unit, days=2)
    view = meeting_selectors.meeting_view(user=people.police, meeting=meeting)
    assert [i.title for i in view.carried] == [crime_step.what]
    own = meeting_selectors.meeting_view(user=people.follower, meeting=meeting)
    assert {i.title for i in own.carried} == {"Møte konfliktrådet", "Time hos fastlegen"}
    with pytest.raises(PermissionDenied):  # a withheld step is not moved on from the meeting page
        meeting_services.action_item_set_status(
            actor=people.police,
            item=ActionItem.objects.get(title="Time hos fastlegen"),
            status="in_progress",
        )


def test_what_changed_between_versions_keeps_withheld_areas_and_guardians_out(
    people: People, youth: Youth, plan: Plan
) -> None:
    crime = services.plan_goal_add(actor=people.follower, plan=plan, area=area("crime_safety"), in_own_words="Trygg")
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre")
    services.plan_step_add(
        actor=people.follower, goal=crime, what="Følge meg hjem", helper=member(youth, "guardian"), due_on=in_days(3)
    )
    _police_in_team(people, youth)
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid med politiet om trygghet",
        categories=["identity_contact", "police"],
        units=[people.police_unit],
        form="oral",
        valid_from=today_in_oslo(),
        valid_to=in_days(180),
        youth_answer="given",
        guardian_answers={_guardian(youth): "given"},
    )
    police = selectors.plan_versions_compared(user=people.police, youth=youth, old=0, new=3)
    assert {(c.kind, c.label) for c in police.changes} == {("goal", "Trygg"), ("step", "Følge meg hjem")}
    assert police.withheld == 1
    [step] = [c for c in police.changes if c.kind == "step"]
    assert step.after["helper_name"] == ""
    own = selectors.plan_versions_compared(user=people.follower, youth=youth, old=0, new=3)
    [step] = [c for c in own.changes if c.kind == "step"]
    assert step.after["helper_name"] == str(_guardian(youth))
    assert AuditEvent.objects.filter(action="plan.versions_compared", youth_id=youth.pk).count() == 2
    with pytest.raises(Http404):
        selectors.plan_versions_compared(user=people.outsider, youth=youth, old=0, new=3)


def test_plan_mode_shows_only_what_everyone_present_may_see(people: People, youth: Youth, plan: Plan) -> None:
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre")
    _police_in_team(people, youth)
    alone = selectors.plan_shown_to_audience(user=people.follower, youth=youth, audience=[people.follower, None])
    assert [g.goal.in_own_words for g in alone.goals] == ["Sove bedre"]
    room = selectors.plan_shown_to_audience(
        user=people.follower, youth=youth, audience=[people.follower, people.police]
    )
    assert room.goals == []
    assert AuditEvent.objects.filter(action="plan.shown_in_meeting", youth_id=youth.pk).count() == 2


def test_a_review_set_in_a_meeting_moves_the_next_review(people: People, youth: Youth, plan: Plan) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    services.plan_review_set(actor=people.follower, plan=plan, meeting=meeting)
    assert Plan.objects.get(pk=plan.pk).next_review_on == add_months(today_in_oslo(), 3)
    with pytest.raises(ValidationError):
        services.plan_review_set(actor=people.follower, plan=plan, next_review_on=in_days(-1))
    other = team_meeting(people.teammate, youth_with_team(people.unit, lead=people.teammate), people.unit, days=0)
    with pytest.raises(ValidationError):
        services.plan_review_set(actor=people.follower, plan=plan, meeting=other)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
