"""The demo's plans, "Min plan" (issue 13, point 9): every youth in active follow-up has a plan
with goals in at least three life areas in the youth's own words, steps in every state with
helpers from the youth's team, some plans at version 2 or 3 changed in team meetings, one
review overdue and one version awaiting acknowledgement, the others acknowledged by the age
rules; the plan's rules are asked before the bulk save, and a second run adds nothing."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import FollowUp, Guardianship
from consent.models import ConsentVersion
from consent.services import consent_age_rule
from core.dates import oslo_date
from demo import builders as demo
from demo import plans as demo_plans
from demo import steps
from demo.followups import DEMO_FOLLOWER, DEMO_TODAY
from teams.models import (
    ActionItem,
    Meeting,
    MeetingKind,
    Plan,
    PlanAcknowledgement,
    PlanGoal,
    PlanStep,
    PlanVersion,
    TeamMember,
)
from teams.plans import selectors, services


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages are asserted on their English source."""
    with translation.override("en"):
        yield


def _plans() -> list[Plan]:
    return list(Plan.objects.select_related("youth").order_by("id"))


def test_every_youth_in_active_follow_up_has_a_plan_in_three_life_areas_in_their_own_words(
    seeded: demo.DemoResult,
) -> None:
    active = set(FollowUp.objects.filter(state=FollowUp.State.ACTIVE).values_list("youth_id", flat=True))
    plans = _plans()
    assert active
    assert active <= {plan.youth_id for plan in plans}
    followed = set(
        FollowUp.objects.filter(state__in=[FollowUp.State.ACTIVE, FollowUp.State.PAUSED]).values_list(
            "youth_id", flat=True
        )
    )
    assert {plan.youth_id for plan in plans} <= followed
    goals = list(PlanGoal.objects.select_related("area"))
    for plan in plans:
        areas = {goal.area.code for goal in goals if goal.plan_id == plan.pk}
        assert len(areas) >= 3, plan.youth
        assert "leisure" in areas
        assert areas & {"school", "work"}
    assert all(goal.in_own_words.startswith("Jeg ") for goal in goals), "in the youth's own voice"
    assert all(goal.why_it_matters for goal in goals)
    texts = Counter(goal.in_own_words for goal in goals)
    assert len(texts) >= 20, "varied"
    assert "Jeg vil klare å stå opp til første time" in texts
    assert {goal.area.code for goal in goals} >= {"school", "leisure", "health", "crime_safety", "family"}
    assert Counter(goal.status for goal in goals)[PlanGoal.Status.REACHED] >= 1


def test_steps_are_in_every_state_with_helpers_from_the_youths_team(seeded: demo.DemoResult) -> None:
    steps_ = list(
        PlanStep.objects.select_related(
            "goal__plan", "helper__user", "helper__guardian", "helper__youth", "action_item__meeting"
        )
    )
    statuses = Counter(step.current_status for step in steps_)
    assert set(statuses) == set(ActionItem.Status.values)
    assert Counter(step.helper.kind for step in steps_ if step.helper).keys() >= {
        TeamMember.Kind.STAFF,
        TeamMember.Kind.YOUTH,
        TeamMember.Kind.GUARDIAN,
    }
    assert any(step.helper is None for step in steps_), "a step nobody is named for yet"
    for step in steps_:
        youth_id = step.goal.plan.youth_id
        if step.helper is not None:
            assert step.helper.youth_id == youth_id
            assert step.helper.ends_on is None
        item = step.action_item
        if step.helper is None or step.due_on is None:
            assert item is None
            continue
        assert item is not None
        assert step.status == "open", "the status lives on the action item"
        assert item.from_plan
        assert item.youth_id == youth_id
        assert (item.title, item.due_on) == (step.what, step.due_on)
        if step.helper.kind == TeamMember.Kind.STAFF:
            assert (item.owner, item.owner_name) == (step.helper.user, "")
        else:
            assert (item.owner, item.owner_name) == (None, step.helper.name)
        assert item.meeting is not None
        assert item.meeting.youth_id == youth_id
        assert item.meeting.state == Meeting.State.HELD
        if item.status == ActionItem.Status.DONE:
            assert item.done_note
            assert item.done_at is not None
            assert item.done_at > item.meeting.ends_at
            assert oslo_date(item.done_at) < DEMO_TODAY
    items = [step.action_item for step in steps_ if step.action_item is not None]
    assert any(item.is_open and item.due_on < DEMO_TODAY for item in items), "overdue: carried to the next meeting"
    assert any(item.due_on > DEMO_TODAY for item in items)


def test_some_plans_are_at_version_2_or_3_changed_in_the_youths_team_meetings(seeded: demo.DemoResult) -> None:
    plans = _plans()
    assert Counter(plan.version for plan in plans).keys() >= {1, 2, 3}
    versions: dict[int, list[PlanVersion]] = {}
    for version in PlanVersion.objects.select_related("meeting").order_by("number"):
        versions.setdefault(version.plan_id, []).append(version)
    for plan in plans:
        numbers = [v.number for v in versions[plan.pk]]
        assert numbers == list(range(1, plan.version + 1))
        for version in versions[plan.pk]:
            assert version.meeting is not None
            assert version.meeting.youth_id == plan.youth_id
            assert version.meeting.state == Meeting.State.HELD
            assert version.summary
            if version.number > 1:
                assert version.meeting.kind == MeetingKind.TEAM
        # The latest version is the plan as it is now, as the services would have saved it.
        assert versions[plan.pk][-1].snapshot == services.plan_snapshot(plan)
    later = [v for vs in versions.values() for v in vs if v.number > 1]
    assert later
    diff = selectors.plan_version_diff(versions[later[0].plan_id][0], later[0])
    assert not diff.empty, "a later version changed something"


def test_one_review_is_overdue_and_one_version_awaits_acknowledgement(seeded: demo.DemoResult) -> None:
    plans = _plans()
    overdue = [plan for plan in plans if plan.next_review_on < DEMO_TODAY]
    assert len(overdue) == 1
    assert all(plan.next_review_on > DEMO_TODAY for plan in plans if plan not in overdue)
    waiting = [plan for plan in plans if selectors.plan_unacknowledged(plan=plan, on=DEMO_TODAY)]
    assert len(waiting) == 1
    mine = {
        plan.youth_id
        for plan in Plan.objects.filter(
            youth__followups__assignments__user__email=DEMO_FOLLOWER,
            youth__followups__assignments__ends_on__isnull=True,
        )
    }
    assert overdue[0].youth_id in mine
    assert waiting[0].youth_id in mine
    assert overdue[0] != waiting[0]


def test_versions_are_acknowledged_in_their_meeting_by_the_age_rules(seeded: demo.DemoResult) -> None:
    responsible: dict[int, set[int]] = {}
    for youth_id, guardian_id in Guardianship.objects.filter(parental_responsibility=True).values_list(
        "youth_id", "guardian_id"
    ):
        responsible.setdefault(youth_id, set()).add(guardian_id)
    acks: dict[int, list[PlanAcknowledgement]] = {}
    for ack in PlanAcknowledgement.objects.all():
        acks.setdefault(ack.version_id, []).append(ack)
    rules: Counter[str] = Counter()
    for version in PlanVersion.objects.select_related("plan__youth"):
        given = acks.get(version.pk, [])
        if not given:
            assert version.number == version.plan.version, "only the current version may await"
            continue
        youth = version.plan.youth
        day = oslo_date(version.created_at)
        rule = consent_age_rule(youth, day, day)
        rules[rule] += 1
        guardians = {a.guardian_id for a in given if a.party == PlanAcknowledgement.Party.GUARDIAN}
        assert [a.party for a in given].count(PlanAcknowledgement.Party.YOUTH) == 1
        if rule == ConsentVersion.AgeRule.ADULT:
            assert guardians == set()
        else:
            assert guardians == responsible.get(youth.pk, set())
        for ack in given:
            assert ack.how == PlanAcknowledgement.How.MEETING
            assert ack.meeting_id == version.meeting_id
            assert ack.recorded_at >= version.created_at
        assert selectors.plan_acknowledgement_status(version=version, on=day).complete
    assert len(rules) >= 2, "youths of different ages"


def test_a_second_run_adds_no_version_or_acknowledgement_and_changes_no_plan(seeded: demo.DemoResult) -> None:
    def contents() -> list[tuple[object, ...]]:
        return [
            *Plan.objects.order_by("pk").values_list("pk", "version", "next_review_on"),
            *PlanGoal.objects.order_by("pk").values_list("pk", "in_own_words", "status"),
            *PlanStep.objects.order_by("pk").values_list("pk", "what", "helper", "due_on", "action_item"),
            *ActionItem.objects.filter(from_plan=True).order_by("pk").values_list("pk", "status", "done_note"),
            *PlanVersion.objects.order_by("pk").values_list("pk", "number"),
            *PlanAcknowledgement.objects.order_by("pk").values_list("pk", "version", "party", "guardian"),
        ]

    before = contents()
    result = steps.build(seed=2026)

    assert contents() == before
    assert result.counts["plans"] == Plan.objects.count() >= 20
    assert result.counts["plan versions"] == PlanVersion.objects.count()


# --- The plan's rules, asked before the bulk save ------------------------------------------


def _draft(built: demo.Demo) -> demo_plans.PlanDraft:
    """The first planned youth's plan, drawn again as the build draws it."""
    case = next(
        case
        for number in sorted(built.cases)
        for case in built.cases[number]
        if case.state == FollowUp.State.ACTIVE and case.started_on is not None
    )
    held = list(Meeting.objects.filter(youth=case.youth, state=Meeting.State.HELD).order_by("starts_at", "id"))
    members = list(
        TeamMember.objects.filter(youth=case.youth, ends_on__isnull=True).select_related("user", "guardian", "youth")
    )
    areas = {area.code: area for area in selectors.plan_areas()}
    plan = demo_plans._draw(built, case, held, members, areas)
    demo_plans._check(plan)
    return plan


def test_a_goal_without_the_youths_words_is_refused(built: demo.Demo) -> None:
    plan = _draft(built)
    plan.goals[0].words = {1: ""}
    with pytest.raises(ValidationError, match="in the youth's own words"):
        demo_plans._check(plan)


def test_a_step_helped_by_someone_outside_the_youths_team_is_refused(built: demo.Demo) -> None:
    plan = _draft(built)
    stranger = TeamMember.objects.exclude(youth=plan.youth).filter(ends_on__isnull=True).first()
    assert stranger is not None
    step = copy.copy(plan.goals[0].steps[0])
    step.helper = stranger
    plan.goals[0].steps[0] = step
    with pytest.raises(ValidationError, match="in the youth's team"):
        demo_plans._check(plan)


def test_a_step_done_without_a_note_is_refused(seeded: demo.DemoResult) -> None:
    item = ActionItem.objects.filter(from_plan=True, status=ActionItem.Status.DONE).first()
    assert item is not None
    demo_plans._check_item(item)
    item.done_note = ""
    with pytest.raises(ValidationError, match="Write what was done"):
        demo_plans._check_item(item)
