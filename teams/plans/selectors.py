"""Every read of a youth's plan (issue 13) that a page, the plan mode, the PDF, the API or a
task needs. Outputs call `plan_shown` (one person) or `plan_shown_to_audience` (everyone in
the room, plan mode): the youth through core.access (404 to outsiders), the read audited,
goals and steps masked by the sharing policy by the category of their life area, and what was
shown logged as a disclosure, in one call, so no output can forget one of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Guardian, Guardianship, Youth
from consent import policy as consent_policy
from consent.models import Category, ConsentVersion
from consent.selectors import WhoKnowsWhat, who_knows_what
from consent.services import consent_age_rule, disclosure_record
from core import access, audit
from core.dates import oslo_date, today_in_oslo
from teams.models import (
    ActionItem,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    Plan,
    PlanAcknowledgement,
    PlanArea,
    PlanGoal,
    PlanStep,
    PlanVersion,
    TeamMember,
    TransitionItem,
)
from teams.plans.policy import goal_categories, may_print_youth_copy
from teams.policy import may_change_plan
from teams.transition.selectors import Checklist, checklist_due, transition_checklist, transition_checklist_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

AgeRule = ConsentVersion.AgeRule
IDENTITY = Category.IDENTITY_CONTACT.value
FAMILY = Category.FAMILY.value


def plan_for_youth(*, youth: Youth | int) -> Plan | None:
    """The youth's plan, or None while there is none (no access check: for services and tasks)."""
    return Plan.objects.filter(youth=youth).first()


def plan_areas() -> list[PlanArea]:
    """The life areas in use, in order (for a form's choices)."""
    return list(PlanArea.objects.filter(active=True).order_by("order", "id"))


@dataclass(frozen=True)
class HelperChoices:
    members: list[TeamMember]
    names_withheld: frozenset[int]  # the guardians among them, for someone who may not see family information


def plan_helper_choices(*, user: User | AnonymousUser, youth: Youth) -> HelperChoices:
    """Who can help with a step: the members of the youth's team in force, the lead first. A
    guardian's name is family information: offered by name only to those the sharing policy
    shows it (plan_guardians_shown logs the disclosure), otherwise as «a guardian». From the
    18th birthday the guardians are offered only when the youth has consented to involving them
    (consent.policy.guardians_told; teams.plans.services.plan_step_check refuses the same)."""
    members = list(
        TeamMember.objects.filter(youth=youth, ends_on__isnull=True)
        .select_related("user", "guardian", "youth", "unit")
        .order_by("-is_lead", "kind", "id")
    )
    if any(m.kind == TeamMember.Kind.GUARDIAN for m in members) and not consent_policy.guardians_told(youth):
        members = [m for m in members if m.kind != TeamMember.Kind.GUARDIAN]
    guardians = frozenset(m.pk for m in members if m.kind == TeamMember.Kind.GUARDIAN)
    if guardians and plan_guardians_shown(user=user, youth=youth):
        guardians = frozenset()
    return HelperChoices(members, guardians)


def plan_review_overdue(plan: Plan, *, today: datetime.date | None = None) -> bool:
    return plan.next_review_on < (today or today_in_oslo())


# --- Acknowledgement ---------------------------------------------------------------------


@dataclass
class AcknowledgementStatus:
    """Who must acknowledge a version, by the consent age rules, and who has.

    rule: consent.models.ConsentVersion.AgeRule (under_15, from_15, adult), from
      consent.services.consent_age_rule for the youth's age on the version's day and `on`.
    youth_required: the youth's own acknowledgement counts (from 15).
    guardians_required: the guardians with parental responsibility whose acknowledgement counts
      (under 18 on the version's day).
    missing_youth / missing_guardians: who of them has not acknowledged yet.
    guardians_stopped: the youth is 18 on `on` and has not consented to involving the guardians
      (consent.policy.guardians_told): the guardians are not asked, whatever the rule.
    complete: everyone required has acknowledged (never with nobody required: a youth under
      15 with no guardian registered is missing the guardians, named by `no_guardians`).
    """

    version: PlanVersion
    rule: str
    youth_required: bool
    guardians_required: list[Guardian]
    acknowledgements: list[PlanAcknowledgement]
    missing_youth: bool
    missing_guardians: list[Guardian]
    no_guardians: bool = False
    guardians_stopped: bool = False

    @property
    def asks_guardians(self) -> bool:
        return self.rule != AgeRule.ADULT and not self.guardians_stopped

    @property
    def complete(self) -> bool:
        return not self.missing_youth and not self.missing_guardians and not self.no_guardians

    @property
    def missing_names(self) -> list[str]:
        """Who has not acknowledged yet, named for the plan's own people (the youth, guardians)."""
        names = [self.version.plan.youth.display_name] if self.missing_youth else []
        return names + [str(g) for g in self.missing_guardians]


def plan_acknowledgement_status(*, version: PlanVersion, on: datetime.date | None = None) -> AcknowledgementStatus:
    """Who must acknowledge `version` and who is missing: the consent age rules
    (consent.services.consent_age_rule, the strictest of the rules for the youth's age on the
    version's day and on `on`, today by default): under 15 the guardians with parental
    responsibility, 15 to 17 the youth and the guardians, from 18 the youth alone. So a version
    made before the 15th birthday and acknowledged after it needs the youth too, and a version
    made on or after the 18th birthday is the youth's alone. From the 18th birthday (00:00 Oslo
    time) the guardians are not asked at all unless the youth has consented to involving them
    (consent.policy.guardians_told on `on`): a version made at 17 is then the youth's alone."""
    plan = version.plan
    youth = plan.youth
    made_on = oslo_date(version.created_at)
    day = on or today_in_oslo()
    rule = consent_age_rule(youth, made_on, day)
    acks = list(version.acknowledgements.select_related("guardian", "recorded_by", "meeting").order_by("recorded_at"))
    youth_required = rule != AgeRule.UNDER_15
    stopped = rule != AgeRule.ADULT and not consent_policy.guardians_told(youth, at=day)
    guardians: list[Guardian] = []
    if rule != AgeRule.ADULT and not stopped:
        guardians = [
            g.guardian
            for g in Guardianship.objects.filter(youth=youth, parental_responsibility=True)
            .select_related("guardian")
            .order_by("guardian__last_name", "guardian__first_name", "guardian_id")
        ]
    acked_guardians = {a.guardian_id for a in acks if a.guardian_id is not None}
    youth_acked = any(a.party == PlanAcknowledgement.Party.YOUTH for a in acks)
    return AcknowledgementStatus(
        version=version,
        rule=rule,
        youth_required=youth_required,
        guardians_required=guardians,
        acknowledgements=acks,
        missing_youth=youth_required and not youth_acked,
        missing_guardians=[g for g in guardians if g.pk not in acked_guardians],
        no_guardians=rule != AgeRule.ADULT and not stopped and not guardians,
        guardians_stopped=stopped,
    )


def plan_version_current(*, plan: Plan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan, number=plan.version).select_related("plan__youth").first()


def plan_unacknowledged(*, plan: Plan, on: datetime.date | None = None) -> bool:
    """Is the plan's current version awaiting acknowledgement? ("an unacknowledged change is
    marked as such everywhere the plan is shown": every output asks this, or reads
    PlanShown.unacknowledged.)"""
    version = plan_version_current(plan=plan)
    return version is not None and not plan_acknowledgement_status(version=version, on=on).complete


# --- The plan as one person, or a room, may see it -----------------------------------------


@dataclass
class StepShown:
    step: PlanStep
    status: str  # the action item's, when the step is one
    helper_name: str
    helper_withheld: bool = False  # a guardian helper, to someone who may not see family information


@dataclass
class GoalShown:
    goal: PlanGoal
    area: PlanArea
    steps: list[StepShown] = field(default_factory=list)


@dataclass
class PlanShown:
    """What one person (or everyone in a room) may see of a youth's plan.

    plan: None while the youth has no plan yet.
    goals: the goals shown, each with its steps, in the areas' order.
    withheld: (category label, how many goals) withheld, so the output says so plainly.
    lead / team: the youth's team in force (TeamMember), read from the team, never copied;
      guardians only to whoever may see family information.
    version / acknowledgement / unacknowledged: the current version and who is missing;
      `unacknowledged` is what every output marks ("not yet acknowledged").
    checklist: "Etter 18", the transition checklist (teams.transition.selectors), asked with the
      same viewer as the goals, so its read and disclosure are logged with theirs; None while it
      is not due (12 months before 18) and no point is written.
    """

    youth: Youth
    plan: Plan | None
    goals: list[GoalShown]
    withheld: list[tuple[str, int]]
    lead: TeamMember | None
    team: list[TeamMember]
    version: PlanVersion | None
    acknowledgement: AcknowledgementStatus | None
    review_overdue: bool
    checklist: Checklist | None = None

    @property
    def unacknowledged(self) -> bool:
        return self.acknowledgement is not None and not self.acknowledgement.complete

    @property
    def next_review_on(self) -> datetime.date | None:
        return self.plan.next_review_on if self.plan is not None else None


def _goals(plan: Plan) -> list[PlanGoal]:
    steps = PlanStep.objects.select_related(
        "helper__user", "helper__guardian", "helper__youth", "action_item__meeting"
    ).order_by("order", "id")
    return list(
        PlanGoal.objects.filter(plan=plan)
        .select_related("area")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("area__order", "order", "id")
    )


def _assemble(
    youth: Youth,
    plan: Plan | None,
    sees_goal: Any,
    sees_family: bool,
    withheld: list[tuple[str, int]] | None = None,
) -> PlanShown:
    goals: list[GoalShown] = []
    counts: dict[str, int] = {}
    if plan is not None:
        for goal in _goals(plan):
            if not sees_goal(goal.area):
                label = str(Category(goal.area.category).label)
                counts[label] = counts.get(label, 0) + 1
                continue
            shown = GoalShown(goal=goal, area=goal.area)
            for step in goal.steps.all():
                guardian_helper = step.helper is not None and step.helper.kind == TeamMember.Kind.GUARDIAN
                hidden = guardian_helper and not sees_family
                shown.steps.append(
                    StepShown(
                        step=step,
                        status=step.current_status,
                        helper_name="" if hidden or step.helper is None else step.helper.name,
                        helper_withheld=hidden,
                    )
                )
            goals.append(shown)
    members = [
        m
        for m in TeamMember.objects.filter(youth=youth, ends_on__isnull=True)
        .select_related("user", "unit", "guardian", "youth")
        .order_by("-is_lead", "kind", "id")
        if sees_family or m.kind != TeamMember.Kind.GUARDIAN
    ]
    version = plan_version_current(plan=plan) if plan is not None else None
    return PlanShown(
        youth=youth,
        plan=plan,
        goals=goals,
        withheld=withheld if withheld is not None else sorted(counts.items()),
        lead=next((m for m in members if m.is_lead), None),
        team=members,
        version=version,
        acknowledgement=plan_acknowledgement_status(version=version) if version is not None else None,
        review_overdue=plan is not None and plan_review_overdue(plan),
    )


def _checklist_shown(youth: Youth) -> bool:
    """Is "Etter 18" part of the plan: due (from the first alert's day), or a point written."""
    return checklist_due(youth) or TransitionItem.objects.filter(youth=youth).exists()


def _points_shown(checklist: Checklist | None) -> list[str] | None:
    return None if checklist is None else [p.point for p in checklist.points if not p.withheld]


def _has_guardians(youth: Youth) -> bool:
    return TeamMember.objects.filter(youth=youth, kind=TeamMember.Kind.GUARDIAN, ends_on__isnull=True).exists()


def plan_youth_get(*, user: User | AnonymousUser, pk: int) -> Youth:
    """The youth whose plan is asked for, through core.access: 404 to whoever may not see them."""
    return access.get(user, Youth.objects.select_related("district"), pk=pk)


def plan_shown(
    *,
    user: User | AnonymousUser,
    youth: Youth | int,
    channel: str = "view",
    purpose: str = "viewed",
    checklist: bool = True,
) -> PlanShown:
    """The plan as `user` may see it, for the plan page, the API and the staff PDF: the youth
    through core.access (404 to outsiders), the read audited (plan.<purpose>: viewed, printed,
    shared), each goal shown only when the sharing policy opens its life area's category to the
    person (consent.policy, recorded by the service that keeps the youth's record), guardians
    (as helpers and in the team) only with family information, and what was shown logged as a
    disclosure on `channel` (view, pdf, api). `checklist`: with "Etter 18" when it is due (an
    output that does not show it says False, so it is neither asked nor logged)."""
    youth = plan_youth_get(user=user, pk=youth if isinstance(youth, int) else youth.pk)
    plan = plan_for_youth(youth=youth)
    viewer = consent_policy.viewer(user, youth)
    record_unit = viewer.facts.record_unit
    # Guardians (in the team, or helping with a step) are family information: asked only when
    # there are any, so a plan without them discloses no family information.
    family = _has_guardians(youth) and viewer.show_record(FAMILY)
    shown = _assemble(youth, plan, lambda area: viewer.show(goal_categories(area), record_unit), family, withheld=None)
    shown.withheld = viewer.withheld_categories()
    # After the goals' withheld count: a withheld checklist point says so on its own.
    shown.checklist = transition_checklist_for(viewer, youth) if checklist and _checklist_shown(youth) else None
    audit.record(
        actor=user,
        action=f"plan.{purpose}",
        target=plan or youth,
        youth=youth,
        detail={
            "version": plan.version if plan is not None else None,
            "goals": [g.goal.pk for g in shown.goals],
            "transition": _points_shown(shown.checklist),
            "channel": channel,
        },
    )
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return shown


def plan_shown_to_audience(
    *,
    user: User | AnonymousUser,
    youth: Youth | int,
    audience: Sequence[User | None],
    meeting: Meeting | None = None,
    unknown: int = 0,
) -> PlanShown:
    """The plan on a shared screen (plan mode): only what every person present may see (as
    referrals.intake.selectors.intake_card does for a candidate). `audience` is every person in
    the room who is in Laget (None for someone who is not: the youth, a guardian, an external
    person, who see only what the youth's own goals are when every staff member present may).
    The person at the keyboard must see the youth (404 otherwise); the showing is audited and
    each person's disclosures logged, only of what was shown. `unknown`: how many people
    present the sharing policy knows nothing of (plan_mode_audience); with any of them, no
    goal is shown."""
    youth = plan_youth_get(user=user, pk=youth if isinstance(youth, int) else youth.pk)
    plan = plan_for_youth(youth=youth)
    people = [p for p in audience if p is not None]
    if user not in people:
        people.insert(0, user)  # type: ignore[arg-type]
    viewers = [consent_policy.viewer(p, youth) for p in people]
    record_unit = viewers[0].facts.record_unit

    def all_see(categories: list[str]) -> bool:
        # Someone present the sharing policy knows nothing of (`unknown`: an external person,
        # staff without an account) may be shown nothing it decides.
        return not unknown and all(v.sees(categories, record_unit) for v in viewers)

    def show(categories: list[str]) -> bool:
        if not all_see(categories):
            return False
        for v in viewers:
            v.show(categories, record_unit)
        return True

    family = _has_guardians(youth) and show([FAMILY])
    counts: dict[str, int] = {}

    def sees_goal(area: PlanArea) -> bool:
        if show(goal_categories(area)):
            return True
        label = str(Category(area.category).label)
        counts[label] = counts.get(label, 0) + 1
        return False

    shown = _assemble(youth, plan, sees_goal, family, withheld=[])
    shown.withheld = sorted(counts.items())
    shown.checklist = transition_checklist(youth=youth, show=show) if _checklist_shown(youth) else None
    for person, v in zip(people, viewers, strict=True):
        disclosure_record(user=person, youth=youth, decisions=v.shown, channel="view")
    audit.record(
        actor=user,
        action="plan.shown_in_meeting",
        target=plan or youth,
        youth=youth,
        detail={
            "meeting": getattr(meeting, "pk", None),
            "audience": sorted(p.pk for p in people),
            "unknown": unknown,
            "version": plan.version if plan is not None else None,
            "goals": [g.goal.pk for g in shown.goals],
            "transition": _points_shown(shown.checklist),
        },
    )
    return shown


def plan_step_withheld(*, user: User | AnonymousUser, item: ActionItem) -> bool:
    """Is the plan step behind this action item withheld from the person (its goal's life
    area, consent.policy)? A question with no side effect, for services."""
    step = PlanStep.objects.filter(action_item=item).select_related("goal__area", "goal__plan__youth").first()
    if step is None or item.youth is None:
        return False
    viewer = consent_policy.viewer(user, item.youth)
    return not viewer.sees(goal_categories(step.goal.area), viewer.facts.record_unit)


def plan_items_shown(*, viewer: consent_policy.Viewer, items: list[ActionItem]) -> list[ActionItem]:
    """The action items a person is shown of a youth's meeting: a plan's step only when its
    goal's life area is open to them (remembered as shown or withheld, `Viewer.show`, for the
    selector that logs the disclosure); items agreed in a meeting as they are."""
    plan_ids = [i.pk for i in items if i.from_plan]
    if not plan_ids:
        return items
    areas = {
        s.action_item_id: s.goal.area
        for s in PlanStep.objects.filter(action_item_id__in=plan_ids).select_related("goal__area")
    }
    record_unit = viewer.facts.record_unit
    return [
        i
        for i in items
        if not i.from_plan or (i.pk in areas and viewer.show(goal_categories(areas[i.pk]), record_unit))
    ]


# --- Versions and what changed -------------------------------------------------------------


def plan_versions(*, user: User | AnonymousUser, youth: Youth | int) -> list[PlanVersion]:
    """The plan's versions, the newest first, through core.access (404 to outsiders); the
    read is audited (plan.versions_viewed). Their content is shown only through
    `plan_version_diff` with the person's viewer."""
    youth = plan_youth_get(user=user, pk=youth if isinstance(youth, int) else youth.pk)
    versions = list(
        PlanVersion.objects.filter(plan__youth=youth)
        .select_related("created_by", "meeting")
        .prefetch_related("acknowledgements__guardian")
        .order_by("-number")
    )
    audit.record(actor=user, action="plan.versions_viewed", target=youth, youth=youth, detail={"count": len(versions)})
    return versions


@dataclass
class Change:
    """One goal or step added, removed or changed between two versions. `before` and `after`
    hold the texts and values that changed (field → value), empty for an addition or a removal
    on that side."""

    kind: str  # goal | step
    change: str  # added | removed | changed
    id: int
    area: str  # the area's code
    area_name: str
    label: str  # the goal's or step's text (the newer one)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanDiff:
    old: int  # version numbers (0: the empty plan)
    new: int
    changes: list[Change]
    withheld: int = 0  # changes left out: their life area is withheld from the person

    @property
    def empty(self) -> bool:
        return not self.changes


GOAL_FIELDS = ("area", "in_own_words", "why_it_matters", "status")
STEP_FIELDS = ("what", "helper_name", "due_on", "status")


def _index(
    snapshot: dict[str, Any], *, hide_guardian_helpers: bool = False
) -> tuple[dict[int, dict[str, Any]], dict[int, tuple[dict[str, Any], dict[str, Any]]]]:
    goals: dict[int, dict[str, Any]] = {}
    steps: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for goal in (snapshot or {}).get("goals", []):
        goals[goal["id"]] = goal
        for step in goal.get("steps", []):
            if hide_guardian_helpers and step.get("helper_kind") == TeamMember.Kind.GUARDIAN:
                step = {**step, "helper_name": ""}  # a guardian's name is family information
            steps[step["id"]] = (goal, step)
    return goals, steps


def _guardian_helped(*versions: PlanVersion | None) -> set[int]:
    """The steps a guardian helps with in these versions."""
    return {
        step["id"]
        for version in versions
        if version is not None
        for goal in version.snapshot.get("goals", [])
        for step in goal.get("steps", [])
        if step.get("helper_kind") == TeamMember.Kind.GUARDIAN
    }


def _differ(
    before: dict[str, Any], after: dict[str, Any], names: Sequence[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [n for n in names if before.get(n) != after.get(n)]
    return {n: before.get(n) for n in changed}, {n: after.get(n) for n in changed}


def plan_version_diff(
    old: PlanVersion | None,
    new: PlanVersion,
    *,
    visible_areas: set[str] | None = None,
    hide_guardian_helpers: bool = False,
) -> PlanDiff:
    """What changed from `old` (None: the empty plan) to `new`: goals and steps added, removed
    and changed, with the texts before and after. `visible_areas` (codes) leaves out what is
    written under the areas the person may not see (`plan_visible_areas`), and
    `hide_guardian_helpers` the names of guardians who help with a step (family information):
    a page passes them (`plan_versions_compared`), so a diff never shows what the plan itself
    withholds."""
    old_goals, old_steps = _index(old.snapshot if old is not None else {}, hide_guardian_helpers=hide_guardian_helpers)
    new_goals, new_steps = _index(new.snapshot, hide_guardian_helpers=hide_guardian_helpers)
    changes: list[Change] = []
    hidden = 0

    def keep(*areas: str) -> bool:
        nonlocal hidden
        if visible_areas is None or all(a in visible_areas for a in areas):
            return True
        hidden += 1
        return False

    for pk, goal in new_goals.items():
        if pk not in old_goals:
            if keep(goal["area"]):
                changes.append(
                    Change(
                        "goal",
                        "added",
                        pk,
                        goal["area"],
                        goal["area_name"],
                        goal["in_own_words"],
                        after={n: goal.get(n) for n in GOAL_FIELDS},
                    )
                )
            continue
        before, after = _differ(old_goals[pk], goal, GOAL_FIELDS)
        if before and keep(goal["area"], old_goals[pk]["area"]):
            changes.append(
                Change("goal", "changed", pk, goal["area"], goal["area_name"], goal["in_own_words"], before, after)
            )
    for pk, goal in old_goals.items():
        if pk not in new_goals and keep(goal["area"]):
            changes.append(
                Change(
                    "goal",
                    "removed",
                    pk,
                    goal["area"],
                    goal["area_name"],
                    goal["in_own_words"],
                    before={n: goal.get(n) for n in GOAL_FIELDS},
                )
            )
    for pk, (goal, step) in new_steps.items():
        if pk not in old_steps:
            if keep(goal["area"]):
                changes.append(
                    Change(
                        "step",
                        "added",
                        pk,
                        goal["area"],
                        goal["area_name"],
                        step["what"],
                        after={n: step.get(n) for n in STEP_FIELDS},
                    )
                )
            continue
        before, after = _differ(old_steps[pk][1], step, STEP_FIELDS)
        if before and keep(goal["area"], old_steps[pk][0]["area"]):
            changes.append(Change("step", "changed", pk, goal["area"], goal["area_name"], step["what"], before, after))
    for pk, (goal, step) in old_steps.items():
        if pk not in new_steps and keep(goal["area"]):
            changes.append(
                Change(
                    "step",
                    "removed",
                    pk,
                    goal["area"],
                    goal["area_name"],
                    step["what"],
                    before={n: step.get(n) for n in STEP_FIELDS},
                )
            )
    return PlanDiff(old=old.number if old is not None else 0, new=new.number, changes=changes, withheld=hidden)


def plan_visible_areas(*, user: User | AnonymousUser, youth: Youth) -> set[str]:
    """The codes of the life areas whose goals the person may see (a question, no side effect;
    the output that shows a diff logs the disclosure with `plan_versions_compared`)."""
    viewer = consent_policy.viewer(user, youth)
    return {a.code for a in PlanArea.objects.all() if viewer.sees(goal_categories(a), viewer.facts.record_unit)}


def plan_versions_compared(
    *, user: User | AnonymousUser, youth: Youth | int, old: int, new: int, channel: str = "view"
) -> PlanDiff:
    """What changed between versions `old` and `new` (numbers; 0 is the empty plan) as the
    person may see it, for the versions page and the API: through core.access (404 to
    outsiders and for a version that does not exist), masked by the life areas the person may
    see, audited (plan.versions_compared) and logged as a disclosure."""
    from django.http import Http404

    youth = plan_youth_get(user=user, pk=youth if isinstance(youth, int) else youth.pk)
    versions = {v.number: v for v in PlanVersion.objects.filter(plan__youth=youth, number__in=[old, new])}
    if new not in versions or (old != 0 and old not in versions):
        raise Http404
    viewer = consent_policy.viewer(user, youth)
    record_unit = viewer.facts.record_unit
    areas = {a.code: a for a in PlanArea.objects.all()}
    visible = {code for code, a in areas.items() if viewer.sees(goal_categories(a), record_unit)}
    family = viewer.sees(FAMILY, record_unit)
    diff = plan_version_diff(versions.get(old), versions[new], visible_areas=visible, hide_guardian_helpers=not family)
    for code in {c.area for c in diff.changes}:
        if code in areas:
            viewer.show(goal_categories(areas[code]), record_unit)
    helped = _guardian_helped(versions.get(old), versions[new])
    if family and any(c.kind == "step" and c.id in helped for c in diff.changes):
        viewer.show(FAMILY, record_unit)
    audit.record(
        actor=user,
        action="plan.versions_compared",
        target=versions[new],
        youth=youth,
        detail={"old": old, "new": new, "channel": channel},
    )
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return diff


# --- Plan mode and "Min plan" for the youth ------------------------------------------------


@dataclass
class MeetingAudience:
    """Who sees plan mode's shared screen: the staff present with a Laget account (`people`,
    the person at the keyboard among them), and how many others present the sharing policy
    knows nothing of (`unknown`: an external person, staff without an active account). The
    youth and the guardians present are the plan's own people: they restrict nothing."""

    people: list[User]
    unknown: int


def plan_mode_audience(*, meeting: Meeting, user: User | AnonymousUser) -> MeetingAudience:
    """The participants present (or invited, while presence is not marked: `present` empty),
    as referrals.intake.selectors.audience_for reads them, and the person showing the screen."""
    Kind = MeetingParticipant.Kind
    people: dict[int, User] = {}
    unknown = 0
    participants = (
        MeetingParticipant.objects.filter(meeting=meeting).exclude(present=False).select_related("user").order_by("id")
    )
    for participant in participants:
        if participant.kind in (Kind.YOUTH, Kind.GUARDIAN):
            continue
        person = participant.user
        if participant.kind == Kind.STAFF and person is not None and person.is_active:
            people.setdefault(person.pk, person)
        else:
            unknown += 1
    me = access.signed_in(user)
    people.setdefault(me.pk, me)
    return MeetingAudience(people=list(people.values()), unknown=unknown)


def plan_mode_meeting(*, user: User | AnonymousUser, youth: Youth, meeting_pk: int) -> Meeting:
    """The meeting plan mode runs in: a meeting about this youth (not cancelled) that the
    person may see (core.access: 404 otherwise), run by someone who may change the plan
    (teams.policy.may_change_plan: 403 otherwise)."""
    meeting = access.get(user, Meeting.objects.select_related("unit", "youth"), pk=meeting_pk)
    if meeting.youth_id != youth.pk or meeting.state == Meeting.State.CANCELLED:
        raise Http404
    if not may_change_plan(user, youth):
        raise PermissionDenied
    return meeting


@dataclass
class TeamContact:
    """A member of the youth's team as the youth's own copy names them: who, what they do,
    and how to reach them (staff: their e-mail and phone in Laget; others: what the team holds)."""

    name: str
    role: str
    service: str
    phone: str
    email: str
    is_lead: bool
    is_youth: bool


@dataclass
class YouthCopy:
    """ "Min plan", the youth's own copy: the plan as the printer may see it (`shown`), the
    team and how to reach them, the next team meeting and the next review, and who may see
    which kinds of the youth's information and who has looked lately (`who_knows`)."""

    shown: PlanShown
    contacts: list[TeamContact]
    next_meeting: Meeting | None
    who_knows: WhoKnowsWhat


def _contacts(members: list[TeamMember]) -> list[TeamContact]:
    contacts = []
    for m in members:
        if m.kind == TeamMember.Kind.STAFF and m.user is not None:
            phone, email = m.user.phone, m.user.email
        elif m.kind == TeamMember.Kind.EXTERNAL:
            phone, email = m.external_phone, m.external_email
        else:
            phone, email = "", ""
        contacts.append(
            TeamContact(
                name=m.name,
                role=str(m.get_role_display()),
                service=(m.unit.name if m.unit is not None else m.external_organisation),
                phone=phone,
                email=email,
                is_lead=m.is_lead,
                is_youth=m.kind == TeamMember.Kind.YOUTH,
            )
        )
    return contacts


def plan_youth_copy(*, user: User | AnonymousUser, youth: Youth | int) -> YouthCopy:
    """The youth's own copy of the plan ("Min plan" as PDF): 404 to outsiders, 403 to whoever
    may not print it (teams.plans.policy.may_print_youth_copy: those who work the youth's
    follow-up and the lead), then the plan through `plan_shown` (audited as
    plan.printed_for_youth, what was shown logged as a disclosure on the PDF channel), with
    the consents and legal bases in force and the last 90 days of the disclosure log
    (consent.selectors.who_knows_what), told by service."""
    youth = plan_youth_get(user=user, pk=youth if isinstance(youth, int) else youth.pk)
    if not may_print_youth_copy(user, youth):
        raise PermissionDenied
    shown = plan_shown(user=user, youth=youth, channel="pdf", purpose="printed_for_youth")
    next_meeting = (
        Meeting.objects.filter(youth=youth, kind=MeetingKind.TEAM, starts_at__gte=timezone.now())
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("starts_at", "id")
        .first()
    )
    return YouthCopy(
        shown=shown,
        contacts=_contacts(shown.team),
        next_meeting=next_meeting,
        who_knows=who_knows_what(youth=youth),
    )


# --- For the plan's pages (teams.plans.views) ---------------------------------------------


def plan_goal_get(*, youth: Youth, pk: int) -> PlanGoal:
    """One goal of the youth's plan (the youth already fetched through core.access): 404 when
    the goal is not in this youth's plan."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(PlanGoal.objects.select_related("plan__youth", "area"), plan__youth=youth, pk=pk)


def plan_step_get(*, youth: Youth, pk: int) -> PlanStep:
    """One step of the youth's plan (as `plan_goal_get`), with its goal and action item."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        PlanStep.objects.select_related(
            "goal__plan__youth", "goal__area", "action_item__meeting", "helper__user", "helper__guardian"
        ),
        goal__plan__youth=youth,
        pk=pk,
    )


def _read_for_change(user: User | AnonymousUser, youth: Youth, area: PlanArea, target: Any, **detail: Any) -> None:
    viewer = consent_policy.viewer(user, youth)
    if not viewer.show(goal_categories(area), viewer.facts.record_unit):
        raise Http404
    audit.record(actor=user, action="plan.viewed", target=target, youth=youth, detail={**detail, "channel": "view"})
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel="view")


def plan_goal_for_change(*, user: User | AnonymousUser, youth: Youth, pk: int) -> PlanGoal:
    """A goal on its own form (to change it, or to add a step to it): 404 when it is not in the
    youth's plan or its life area is withheld from the person (as if it did not exist); the
    read is audited (plan.viewed) and logged as a disclosure, as the plan page's is."""
    goal = plan_goal_get(youth=youth, pk=pk)
    _read_for_change(user, youth, goal.area, goal, goals=[goal.pk])
    return goal


def plan_step_for_change(*, user: User | AnonymousUser, youth: Youth, pk: int) -> PlanStep:
    """A step on its own form, as `plan_goal_for_change`."""
    step = plan_step_get(youth=youth, pk=pk)
    _read_for_change(user, youth, step.goal.area, step, goals=[step.goal_id], step=step.pk)
    return step


def plan_guardians_shown(*, user: User | AnonymousUser, youth: Youth) -> bool:
    """May the plan's pages name the guardians (who has acknowledged, who is awaited, who is
    offered to acknowledge)? Their names are family information (consent.policy); when they may,
    the disclosure is logged, since the page is about to show them. Otherwise the page says
    how many (plan_waiting_for)."""
    viewer = consent_policy.viewer(user, youth)
    if not viewer.show_record(FAMILY):
        return False
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel="view")
    return True


def plan_meetings(*, user: User | AnonymousUser, youth: Youth, limit: int = 20) -> list[Meeting]:
    """The meetings about the youth the person sees, not cancelled, newest first: where a plan
    was shown on screen and acknowledged, or changed."""
    from teams.meetings.selectors import meetings_visible
    from teams.models import Meeting

    return list(
        meetings_visible(user=user)
        .filter(youth=youth)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("-starts_at", "-id")[:limit]
    )


# Which outcome measure (cases.models.OutcomeMeasure) tells how a goal in a life area goes.
OUTCOME_FOR_AREA = {
    "school": "school_attendance",
    "crime_safety": "offences_last_period",
    "substance_use": "substance_use",
    "leisure": "organised_activity",
    "work": "occupation",
}


@dataclass
class Progress:
    """One outcome measure over time, beside the goals of its life area: the values from the
    first measure to the last (date, value as shown)."""

    label: str
    values: list[tuple[datetime.date, str]]

    @property
    def latest(self) -> str:
        return self.values[-1][1] if self.values else ""


def _measure_value(measure: Any, name: str) -> str:
    from django.utils.translation import gettext as _

    value = getattr(measure, name)
    if name == "school_attendance":
        return "–" if value is None else f"{value} %"
    if name == "offences_last_period":
        return str(value)
    if name == "organised_activity":
        return str(_("Yes") if value else _("No"))
    return str(getattr(measure, f"get_{name}_display")())


def plan_outcomes(*, user: User | AnonymousUser, youth: Youth) -> dict[str, Progress]:
    """The youth's outcome measures as the person may see them (consent.policy, as on the youth's
    page: school, police matters, substance use), by the code of the life area they tell about
    (OUTCOME_FOR_AREA), so the plan page shows progress beside the goals. What was shown is
    logged as a disclosure. Two queries and the policy's, however many measures."""
    from cases.models import OutcomeMeasure
    from cases.selectors import outcome_series

    viewer = consent_policy.viewer(user, youth)
    measures = viewer.filter(
        outcome_series(youth=youth), lambda m: set(consent_policy.OUTCOME_CATEGORIES), consent_policy.source_of_item
    )
    if measures:
        disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel="view")
    fields = {f.name: f for f in OutcomeMeasure._meta.get_fields() if hasattr(f, "verbose_name")}
    return {
        area: Progress(
            label=str(fields[name].verbose_name),
            values=[(m.measured_on, _measure_value(m, name)) for m in measures],
        )
        for area, name in OUTCOME_FOR_AREA.items()
        if measures
    }


@dataclass
class PlanSummary:
    """The plan on the youth's page: when it is reviewed next, and whether a change awaits
    acknowledgement (no goals: the plan page shows them, through `plan_shown`)."""

    youth: Youth
    plan: Plan | None
    review_overdue: bool
    unacknowledged: bool
    version: int

    @property
    def next_review_on(self) -> datetime.date | None:
        return self.plan.next_review_on if self.plan is not None else None


def plan_summary(*, user: User | AnonymousUser, youth: Youth) -> PlanSummary:
    """For the youth's page (cases.sections "plan"; the youth already fetched through
    core.access and the read audited there): the review date and the acknowledgement marker."""
    plan = plan_for_youth(youth=youth)
    return PlanSummary(
        youth=youth,
        plan=plan,
        review_overdue=plan is not None and plan_review_overdue(plan),
        unacknowledged=plan is not None and plan_unacknowledged(plan=plan),
        version=plan.version if plan is not None else 0,
    )


def plan_mode_area_open(*, youth: Youth, audience: MeetingAudience, area: PlanArea) -> bool:
    """Is this life area open to every person present (a question, no side effect)? A goal
    or step is changed from plan mode only when it is on the screen."""
    if audience.unknown:
        return False
    viewers = [consent_policy.viewer(p, youth) for p in audience.people]
    record_unit = viewers[0].facts.record_unit
    return all(v.sees(goal_categories(area), record_unit) for v in viewers)


def plan_mode_goal(*, youth: Youth, audience: MeetingAudience, pk: int) -> PlanGoal:
    """A goal of the youth's plan that is on plan mode's screen: 404 otherwise."""
    goal = PlanGoal.objects.filter(pk=pk, plan__youth=youth).select_related("area", "plan__youth").first()
    if goal is None or not plan_mode_area_open(youth=youth, audience=audience, area=goal.area):
        raise Http404
    return goal


def plan_mode_step(*, youth: Youth, audience: MeetingAudience, pk: int) -> PlanStep:
    """A step of the youth's plan that is on plan mode's screen: 404 otherwise."""
    step = (
        PlanStep.objects.filter(pk=pk, goal__plan__youth=youth)
        .select_related("goal__area", "goal__plan__youth", "helper")
        .first()
    )
    if step is None or not plan_mode_area_open(youth=youth, audience=audience, area=step.goal.area):
        raise Http404
    return step


def plan_waiting_for(acknowledgement: AcknowledgementStatus | None) -> str:
    """Who must still acknowledge the current version, in words for a shared screen or a
    service's copy: "the youth" and how many guardians, never the guardians' names (family
    information, which not every service present or printing may see)."""
    if acknowledgement is None or acknowledgement.complete:
        return ""
    parts = [_("the youth")] if acknowledgement.missing_youth else []
    guardians = len(acknowledgement.missing_guardians) or (1 if acknowledgement.no_guardians else 0)
    if guardians:
        parts.append(ngettext("%(count)s guardian", "%(count)s guardians", guardians) % {"count": guardians})
    if len(parts) == 2:
        return _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    return parts[0] if parts else ""
