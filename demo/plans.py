"""The demo's plans, "Min plan" (issue 13): every youth in active (or paused) follow-up has one.

Each plan, drawn from the youth's own stream:
- goals in three to five life areas (teams.models.PlanArea), always school or work and leisure,
  and one to three of family, friends, health, substance use, housing and money, crime and
  safety (crime and safety for a youth with an offence), each in the youth's own words with why
  it matters to the youth;
- two steps toward each goal: who helps is a member of the youth's team in force (the lead or
  another staff member, the youth, a guardian), most with a date, which makes the step an
  action item (teams.models.ActionItem, from_plan=True) agreed in the meeting where the step
  was added: on the helper's home page, calendar and the next meeting's agenda until done;
- made in the start-up meeting (version 1), and for youths with later team meetings changed in
  one or two of them (versions 2 and 3: steps moved on, done with a note of what was done or
  cancelled, a new step, a goal reached or put in the youth's words again), each version's
  meeting one of the youth's held meetings, its snapshot the plan as it was then;
- acknowledged in the meeting of each version by the consent age rules
  (consent.services.consent_age_rule on the version's day: under 15 the guardians with parental
  responsibility, 15 to 17 the youth and the guardians, from 18 the youth alone; the youth is
  heard under 15 as well), except the current version of the demo follower's first youth, which
  awaits acknowledgement;
- the next review three months after the latest version, at the earliest two weeks after the
  demo is shown from (meetings.SHOWN_FROM), except one plan of the demo follower's whose review
  is overdue.

Rows are written in bulk (upsert) after the rules the plan's services keep, in their own
functions: each goal teams.plans.services.plan_goal_check (a life area in use, the youth's words,
the bounds), each step plan_step_check (a helper in the youth's team in force, a date in
bounds, and for an action item action_item_check) and its status action_item_status_check
(done with a note); who acknowledges follows consent_age_rule, and a guardian who does has
parental responsibility. Versions and acknowledgements are append-only in PostgreSQL: they are
only inserted when missing, never updated. Goals are keyed on (plan, area, order), steps on
(goal, order), action items on (meeting, title), as the meetings' own.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from cases.models import FollowUp, Guardianship, Youth
from consent.models import ConsentVersion
from consent.services import consent_age_rule
from core.dates import OSLO, add_months
from teams.meetings.services import action_item_status_check
from teams.models import (
    ActionItem,
    Meeting,
    MeetingKind,
    Plan,
    PlanAcknowledgement,
    PlanArea,
    PlanGoal,
    PlanStep,
    PlanVersion,
    TeamMember,
)
from teams.plans.services import plan_goal_check, plan_step_check

from .builders import FULL_DISTRICTS, Demo, upsert
from .followups import DEMO_FOLLOWER, DEMO_TODAY, Case
from .meetings import SHOWN_FROM

DAY = datetime.timedelta(days=1)
PLANNED_STATES = (FollowUp.State.ACTIVE, FollowUp.State.PAUSED)
Status = ActionItem.Status
Kind = TeamMember.Kind
AgeRule = ConsentVersion.AgeRule

# Who helps with a step: the lead, another staff member of the team (the family follower, the
# school's contact…), the youth, a guardian; None for a step nobody is named for yet.
LEAD, STAFF, YOUTH, GUARDIAN = "lead", "staff", "youth", "guardian"

# Goals in the youth's own words: (the goal, why it matters, the youth's later wording or "").
GOALS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "school": (
        ("Jeg vil klare å stå opp til første time", "Da slipper jeg å henge etter", ""),
        ("Jeg vil bestå matte i år", "Jeg trenger det for å komme inn på elektro", "Jeg vil få minst 3 i matte"),
        ("Jeg vil ha mindre fravær før jul", "Da får jeg karakter i alle fag", ""),
        (
            "Jeg vil tørre å si fra når jeg ikke skjønner noe i timen",
            "Jeg orker ikke sitte der og føle meg dum",
            "",
        ),
        ("Jeg vil fullføre ungdomsskolen", "Så jeg kan velge selv hva jeg skal gjøre etterpå", ""),
        (
            "Jeg vil komme inn på bygg og anlegg",
            "Jeg liker å jobbe med hendene",
            "Jeg vil komme inn på bygg og anlegg til høsten",
        ),
    ),
    "work": (
        ("Jeg vil ha en sommerjobb", "Jeg vil ha mine egne penger", ""),
        ("Jeg vil finne ut hva jeg skal jobbe med", "Jeg vil ikke bare gå rundt og drive", ""),
        ("Jeg vil få lærlingplass som elektriker", "Da får jeg lønn mens jeg lærer", ""),
    ),
    "leisure": (
        ("Jeg vil begynne på fotball igjen", "Da treffer jeg gutta og får brukt kroppen", ""),
        ("Jeg vil ha noe fast å gjøre på fredagskveldene", "Det er da det pleier å gå galt", ""),
        ("Jeg vil lære å klatre ordentlig", "Når jeg klatrer tenker jeg ikke på noe annet", ""),
        (
            "Jeg vil spille mindre og være mer ute",
            "Jeg blir sur og trøtt av å sitte inne hele helgen",
            "Jeg vil spille maks to timer om dagen",
        ),
        ("Jeg vil lage musikk i studioet på klubben", "Det er noe jeg er god på", ""),
    ),
    "family": (
        ("Jeg vil krangle mindre hjemme", "Det er slitsomt for alle", ""),
        ("Jeg vil at vi skal spise middag sammen oftere", "Da snakker vi faktisk sammen", ""),
        ("Jeg vil at de hjemme skal stole mer på meg", "Da får jeg være mer ute", ""),
    ),
    "friends": (
        ("Jeg vil ha venner som ikke får meg i trøbbel", "Jeg vil ikke bli dratt med på ting", ""),
        ("Jeg vil bli bedre kjent med noen i klassen", "Det er kjipt å være alene i friminuttene", ""),
    ),
    "health": (
        ("Jeg vil sove bedre", "Jeg orker ingenting når jeg er trøtt", "Jeg vil legge meg før midnatt"),
        ("Jeg vil klare å si fra når jeg har det dårlig", "Før holdt jeg alt inne til det smalt", ""),
        ("Jeg vil trene to ganger i uka", "Jeg blir i bedre humør av det", ""),
    ),
    "substance_use": (
        ("Jeg vil slutte å røyke", "Det koster for mye, og jeg blir andpusten på trening", ""),
        ("Jeg vil ikke ruse meg i helgene", "Det er da jeg gjør dumme ting", ""),
    ),
    "housing_economy": (
        ("Jeg vil lære å styre pengene mine selv", "Så jeg ikke er blakk midt i måneden", ""),
        ("Jeg vil ha et eget sted å gjøre lekser", "Jeg får ikke ro hjemme", ""),
    ),
    "crime_safety": (
        ("Jeg vil holde meg unna bråk", "Jeg vil ikke ha flere saker hos politiet", ""),
        ("Jeg vil gjøre ferdig det jeg har avtalt i konfliktrådet", "Så jeg kan legge det bak meg", ""),
        ("Jeg vil føle meg trygg på vei hjem", "Jeg er lei av å se meg over skulderen", ""),
    ),
}

# Steps toward a goal in each area, and who usually helps.
STEPS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "school": (
        ("Legge mobilen på kjøkkenet før klokka 23", YOUTH),
        ("Sette vekkerklokka på andre siden av rommet", YOUTH),
        ("Leksehjelp på biblioteket tirsdag og torsdag", LEAD),
        ("Avtale tilrettelagt matte med kontaktlæreren", STAFF),
        ("Ringe skolen før klokka 8 ved sykdom", GUARDIAN),
        ("Gå gjennom fraværet sammen hver fredag", LEAD),
        ("Spørre læreren etter timen når noe er uklart", YOUTH),
        ("Besøke en videregående skole på åpen dag", LEAD),
    ),
    "work": (
        ("Skrive CV sammen med oppfølgeren", LEAD),
        ("Søke på sommerjobbprosjektet i bydelen", YOUTH),
        ("Levere CV i tre butikker på senteret", YOUTH),
        ("Samtale med NAV-veilederen om lærlingplass", LEAD),
    ),
    "leisure": (
        ("Være med på prøvetrening på tirsdag", YOUTH),
        ("Søke om støtte til treningsavgiften", GUARDIAN),
        ("Klatre med oppfølgeren annenhver onsdag", LEAD),
        ("Melde meg på studiokurset på fritidsklubben", YOUTH),
        ("Finne gratis aktiviteter med Aktivitetskortet", LEAD),
    ),
    "family": (
        ("Avtale faste tider for når jeg skal være hjemme", GUARDIAN),
        ("Familiesamtale med familieoppfølgeren", STAFF),
        ("Spise middag sammen på søndager", GUARDIAN),
    ),
    "friends": (
        ("Bli med på klassetur i desember", YOUTH),
        ("Ta med en fra klassen på klubben", YOUTH),
        ("Snakke om hvem jeg henger med", None),
    ),
    "health": (
        ("Time hos helsesykepleier", LEAD),
        ("Skjermfri den siste timen før jeg legger meg", YOUTH),
        ("Bli med i samtalegruppe på helsestasjonen for ungdom", None),
    ),
    "substance_use": (
        ("Samtale med ruskonsulenten", LEAD),
        ("Lage en plan for hva jeg sier når noen tilbyr meg noe", YOUTH),
    ),
    "housing_economy": (
        ("Sette opp et enkelt budsjett sammen", LEAD),
        ("Søke om bostøtte", GUARDIAN),
    ),
    "crime_safety": (
        ("Møte til ungdomsstormøtet i konfliktrådet", LEAD),
        ("Gå hjem sammen med en voksen fra klubben på fredager", STAFF),
        ("Slette kontakter jeg ikke vil ha noe med å gjøre", YOUTH),
    ),
}

EXTRA_AREAS = {"family": 3, "friends": 3, "health": 3, "substance_use": 1, "housing_economy": 1}
DONE_NOTES = (
    "Gjort som avtalt.",
    "Gjennomført, og det gikk bra.",
    "Ferdig. {name} var fornøyd.",
    "Gjort; fikk plass fra januar.",
    "Ordnet i møtet med skolen.",
)
SUMMARIES = {
    1: "Planen laget sammen med {name} i oppstartsmøtet",
    2: "Gjennomgått i lagmøtet: steg oppdatert og ett nytt steg",
    3: "Justert i lagmøtet etter innspill fra {name}",
}


@dataclass
class StepDraft:
    order: int
    what: str
    helper: TeamMember | None
    due_on: datetime.date | None
    added_in: int  # the version that added it
    statuses: dict[int, str] = field(default_factory=lambda: {1: Status.OPEN})  # from this version on
    done_note: str = ""
    done_in: int | None = None  # the version whose meeting marked it done

    def status(self, version: int) -> str:
        return self.statuses[max(n for n in self.statuses if n <= version)]

    @property
    def is_item(self) -> bool:
        return self.helper is not None and self.due_on is not None


@dataclass
class GoalDraft:
    area: PlanArea
    order: int
    words: dict[int, str]  # from this version on
    why: str
    statuses: dict[int, str]
    added_in: int = 1
    steps: list[StepDraft] = field(default_factory=list)

    def at(self, values: dict[int, str], version: int) -> str:
        return values[max(n for n in values if n <= version)]


@dataclass
class PlanDraft:
    case: Case
    meetings: list[Meeting | None]  # the meeting of each version (index 0: version 1)
    goals: list[GoalDraft]
    next_review_on: datetime.date
    acknowledged: bool = True

    @property
    def youth(self) -> Youth:
        return self.case.youth

    def day(self, version: int) -> datetime.date:
        meeting = self.meetings[version - 1]
        if meeting is None:
            assert self.case.started_on is not None
            return self.case.started_on
        return meeting.starts_at.astimezone(OSLO).date()

    def moment(self, version: int) -> datetime.datetime:
        """When version `version` was saved: toward the end of its meeting."""
        meeting = self.meetings[version - 1]
        if meeting is None:
            return datetime.datetime.combine(self.day(version), datetime.time(15, 0), tzinfo=OSLO)
        return meeting.ends_at - datetime.timedelta(minutes=15)


# ---------------------------------------------------------------------------------------------
# Drawing the plans


def _helpers(members: list[TeamMember]) -> dict[str, list[TeamMember]]:
    found: dict[str, list[TeamMember]] = {LEAD: [], STAFF: [], YOUTH: [], GUARDIAN: []}
    for member in members:
        if member.ends_on is not None:
            continue
        if member.kind == Kind.STAFF:
            found[LEAD if member.is_lead else STAFF].append(member)
        elif member.kind == Kind.YOUTH:
            found[YOUTH].append(member)
        elif member.kind == Kind.GUARDIAN:
            found[GUARDIAN].append(member)
    return found


def _areas(rng: random.Random, case: Case, age: int, areas: dict[str, PlanArea]) -> list[PlanArea]:
    first = "work" if age >= 17 and rng.random() < 0.6 else "school"
    codes = [first, "leisure"]
    if case.offences:
        codes.append("crime_safety")
    extra = [code for code in EXTRA_AREAS if code not in codes]
    wanted = rng.randint(1, 2) if len(codes) > 2 else rng.randint(1, 3)
    while wanted:
        code = rng.choices(extra, weights=[EXTRA_AREAS[c] for c in extra])[0]
        codes.append(code)
        extra.remove(code)
        wanted -= 1
    return sorted((areas[code] for code in codes), key=lambda area: (area.order, area.pk))


def _step(
    rng: random.Random,
    plan: PlanDraft,
    goal: GoalDraft,
    text: tuple[str, str | None],
    helpers: dict[str, list[TeamMember]],
    version: int,
) -> StepDraft:
    what, who = text
    helper = None
    if who is not None:
        choices: list[TeamMember | None] = [*(helpers[who] or helpers[LEAD])] or [None]
        helper = rng.choice(choices)
    due_on = None
    if helper is not None and plan.meetings[version - 1] is not None and rng.random() < 0.85:
        due_on = plan.day(version) + DAY * rng.randint(14, 70)
    return StepDraft(
        order=len(goal.steps) + 1,
        what=what,
        helper=helper,
        due_on=due_on,
        added_in=version,
        statuses={version: Status.OPEN},
    )


def _draw(
    demo: Demo,
    case: Case,
    held: list[Meeting],
    members: list[TeamMember],
    areas: dict[str, PlanArea],
) -> PlanDraft:
    rng = demo.rng("plans", case.youth.national_id)
    name = case.youth.preferred_name or case.youth.first_name
    versions = 1
    if len(held) >= 2:
        versions = rng.choices((1, 2, 3), weights=(3, 4, 4))[0]
        versions = min(versions, len(held))
    meetings: list[Meeting | None] = [held[0] if held else None]
    if versions > 1:
        later = sorted(rng.sample(range(1, len(held)), versions - 1))
        meetings += [held[i] for i in later]
    assert case.started_on is not None
    plan = PlanDraft(case=case, meetings=meetings, goals=[], next_review_on=DEMO_TODAY)
    helpers = _helpers(members)
    used: set[str] = set()
    age = case.youth.age_on(plan.day(1))
    for area in _areas(rng, case, age, areas):
        words, why, later_words = rng.choice(GOALS[area.code])
        goal = GoalDraft(area=area, order=1, words={1: words}, why=why, statuses={1: PlanGoal.Status.ACTIVE})
        if later_words and versions >= 2 and rng.random() < 0.6:
            goal.words[versions] = later_words
        texts = [t for t in STEPS[area.code] if t[0] not in used]
        for text in rng.sample(texts, min(2, len(texts))):
            used.add(text[0])
            goal.steps.append(_step(rng, plan, goal, text, helpers, 1))
        plan.goals.append(goal)
    for version in range(2, versions + 1):
        steps = [s for g in plan.goals for s in g.steps if s.status(version - 1) in (Status.OPEN, Status.IN_PROGRESS)]
        rng.shuffle(steps)
        items = [s for s in steps if s.is_item]
        for step in items[:2]:  # marked done in this meeting, with what was done
            step.statuses[version] = Status.DONE
            step.done_note = rng.choice(DONE_NOTES).format(name=name)
            step.done_in = version
        for step in [s for s in steps if s.status(version) == Status.OPEN][:1]:
            step.statuses[version] = Status.IN_PROGRESS if version == 2 else Status.CANCELLED
        goal = rng.choice(plan.goals)
        texts = [t for t in STEPS[goal.area.code] if t[0] not in used]
        if texts:
            text = rng.choice(texts)
            used.add(text[0])
            goal.steps.append(_step(rng, plan, goal, text, helpers, version))
        if version == 3:
            reached = [g for g in plan.goals if g.steps and all(s.status(3) == Status.DONE for s in g.steps)]
            for done_goal in reached[:1]:
                done_goal.statuses[3] = PlanGoal.Status.REACHED
    plan.next_review_on = max(add_months(plan.day(versions), 3), SHOWN_FROM + DAY * rng.randint(14, 40))
    return plan


# ---------------------------------------------------------------------------------------------
# The rules, asked before the bulk save


def _check(plan: PlanDraft) -> None:
    """The rules plan_goal_add, plan_step_add and plan_step_set_status keep, in their own
    functions, asked of every goal and step as the plan's latest version holds it; and each
    version's meeting is one of the youth's, not cancelled (as the services' _meeting_check)."""
    latest = len(plan.meetings)
    for meeting in plan.meetings:
        assert meeting is None or (meeting.youth_id == plan.youth.pk and meeting.state == Meeting.State.HELD)
    for goal in plan.goals:
        plan_goal_check(
            area=goal.area,
            in_own_words=goal.at(goal.words, latest),
            why_it_matters=goal.why,
            status=goal.at(goal.statuses, latest),
        )
        for step in goal.steps:
            plan_step_check(youth=plan.youth, what=step.what, helper=step.helper, due_on=step.due_on)


def _check_item(item: ActionItem) -> None:
    """A step's action item moved on as action_item_set_status moves it (done with a note)."""
    action_item_status_check(status=item.status, done_note=item.done_note)


# ---------------------------------------------------------------------------------------------
# Saving


def build_plans(demo: Demo) -> None:
    cases = [
        case
        for district in FULL_DISTRICTS
        for case in demo.cases[district.number]
        if case.state in PLANNED_STATES and case.started_on is not None
    ]
    youths = [case.youth for case in cases]
    areas = {area.code: area for area in PlanArea.objects.filter(active=True)}
    members: dict[int, list[TeamMember]] = {}
    for member in (
        TeamMember.objects.filter(youth__in=youths, ends_on__isnull=True)
        .select_related("user", "guardian", "youth")
        .order_by("youth_id", "-is_lead", "kind", "id")
    ):
        members.setdefault(member.youth_id, []).append(member)
    held: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(
        youth__in=youths, state=Meeting.State.HELD, kind__in=[MeetingKind.STARTUP, MeetingKind.TEAM]
    ).order_by("starts_at", "id"):
        if meeting.youth_id is not None:
            held.setdefault(meeting.youth_id, []).append(meeting)

    plans = [_draw(demo, case, held.get(case.youth.pk, []), members.get(case.youth.pk, []), areas) for case in cases]
    _special(plans)
    for plan in plans:
        _check(plan)
    _save(plans)
    versions = sum(len(plan.meetings) for plan in plans)
    demo.say(f"Plans: {len(plans)}, versions: {versions}, goals: {sum(len(plan.goals) for plan in plans)}")


def _special(plans: list[PlanDraft]) -> None:
    """The demo follower's youths by (last name, first name): the first one's latest change
    awaits acknowledgement, and the review of the next one with a plan changed in a meeting is
    overdue (set after its last version, three months ago or more)."""
    mine = sorted(
        (plan for plan in plans if plan.case.lead.email == DEMO_FOLLOWER),
        key=lambda plan: (plan.youth.last_name, plan.youth.first_name),
    )
    if not mine:
        return
    mine[0].acknowledged = False
    for plan in mine[1:]:
        if plan.meetings[-1] is not None:
            plan.next_review_on = min(add_months(plan.day(len(plan.meetings)), 3), DEMO_TODAY - DAY * 9)
            break


def _lead_on(plan: PlanDraft, version: int) -> Any:
    return plan.case.lead_on(plan.day(version))


def _save(plans: list[PlanDraft]) -> None:
    saved = upsert(
        Plan,
        [
            {
                "youth": plan.youth,
                "next_review_on": plan.next_review_on,
                "version": len(plan.meetings),
                "created_by": _lead_on(plan, 1),
                "created_at": plan.moment(1),
            }
            for plan in plans
        ],
        key=("youth",),
    )
    goal_rows: list[dict[str, Any]] = []
    for plan, row in zip(plans, saved, strict=True):
        latest = len(plan.meetings)
        for goal in plan.goals:
            goal_rows.append(
                {
                    "plan": row,
                    "area": goal.area,
                    "order": goal.order,
                    "in_own_words": goal.at(goal.words, latest),
                    "why_it_matters": goal.why,
                    "status": goal.at(goal.statuses, latest),
                    "created_at": plan.moment(goal.added_in),
                }
            )
    goals = iter(upsert(PlanGoal, goal_rows, key=("plan", "area", "order")))
    goal_of: dict[int, PlanGoal] = {}
    for plan in plans:
        for goal in plan.goals:
            goal_of[id(goal)] = next(goals)

    item_rows: list[dict[str, Any]] = []
    item_steps: list[StepDraft] = []
    for plan in plans:
        latest = len(plan.meetings)
        for goal in plan.goals:
            for step in goal.steps:
                if not step.is_item:
                    continue
                assert step.helper is not None
                assert step.due_on is not None
                staff = step.helper.kind == Kind.STAFF
                done = step.status(latest) == Status.DONE
                item_rows.append(
                    {
                        "meeting": plan.meetings[step.added_in - 1],
                        "youth": plan.youth,
                        "from_plan": True,
                        "title": step.what,
                        "owner": step.helper.user if staff else None,
                        "owner_name": "" if staff else step.helper.name,
                        "due_on": step.due_on,
                        "status": step.status(latest),
                        "done_note": step.done_note if done else "",
                        "done_at": plan.moment(step.done_in) if done and step.done_in else None,
                        "done_by": _lead_on(plan, step.done_in) if done and step.done_in else None,
                        "created_by": _lead_on(plan, step.added_in),
                        "created_at": plan.moment(step.added_in),
                    }
                )
                item_steps.append(step)
    items = upsert(ActionItem, item_rows, key=("meeting", "title"), check=_check_item)
    item_of = {id(step): item for step, item in zip(item_steps, items, strict=True)}

    step_rows: list[dict[str, Any]] = []
    for plan in plans:
        latest = len(plan.meetings)
        for goal in plan.goals:
            for step in goal.steps:
                item = item_of.get(id(step))
                step_rows.append(
                    {
                        "goal": goal_of[id(goal)],
                        "order": step.order,
                        "what": step.what,
                        "helper": step.helper,
                        "due_on": step.due_on,
                        "status": Status.OPEN if item is not None else step.status(latest),
                        "action_item": item,
                        "created_at": plan.moment(step.added_in),
                    }
                )
    steps = iter(upsert(PlanStep, step_rows, key=("goal", "order")))
    step_of = {id(step): next(steps) for plan in plans for goal in plan.goals for step in goal.steps}
    versions = _insert_versions(plans, saved, goal_of, step_of)
    _insert_acknowledgements(plans, saved, versions)


def _snapshot(plan: PlanDraft, version: int, goal_of: dict[int, PlanGoal], step_of: dict[int, PlanStep]) -> Any:
    """The plan as version `version` held it, as teams.plans.services.plan_snapshot writes it."""
    goals = sorted(
        (goal for goal in plan.goals if goal.added_in <= version),
        key=lambda goal: (goal.area.order, goal.order, goal_of[id(goal)].pk),
    )
    return {
        "goals": [
            {
                "id": goal_of[id(goal)].pk,
                "area": goal.area.code,
                "area_name": goal.area.name,
                "in_own_words": goal.at(goal.words, version),
                "why_it_matters": goal.why,
                "status": goal.at(goal.statuses, version),
                "steps": [
                    {
                        "id": step_of[id(step)].pk,
                        "what": step.what,
                        "helper": step.helper.pk if step.helper is not None else None,
                        "helper_name": step.helper.name if step.helper is not None else "",
                        "helper_kind": step.helper.kind if step.helper is not None else "",
                        "due_on": step.due_on.isoformat() if step.due_on else None,
                        "status": step.status(version),
                        "action_item": step_of[id(step)].action_item_id,
                    }
                    for step in sorted(
                        (s for s in goal.steps if s.added_in <= version), key=lambda s: (s.order, step_of[id(s)].pk)
                    )
                ],
            }
            for goal in goals
        ]
    }


def _insert_versions(
    plans: list[PlanDraft], saved: list[Plan], goal_of: dict[int, PlanGoal], step_of: dict[int, PlanStep]
) -> dict[tuple[int, int], PlanVersion]:
    """Each plan's versions, inserted when missing (append-only: never updated)."""
    existing = {(v.plan_id, v.number): v for v in PlanVersion.objects.filter(plan__in=saved)}
    rows: list[dict[str, Any]] = []
    for plan, row in zip(plans, saved, strict=True):
        name = plan.youth.preferred_name or plan.youth.first_name
        for number in range(1, len(plan.meetings) + 1):
            if (row.pk, number) in existing:
                continue
            summary = SUMMARIES[number]
            if number == 1 and plan.meetings[0] is not None and plan.meetings[0].kind != MeetingKind.STARTUP:
                summary = "Planen laget sammen med {name} i lagmøtet"
            rows.append(
                {
                    "plan": row,
                    "number": number,
                    "snapshot": _snapshot(plan, number, goal_of, step_of),
                    "summary": summary.format(name=name),
                    "meeting": plan.meetings[number - 1],
                    "created_by": _lead_on(plan, number),
                    "created_at": plan.moment(number),
                }
            )
    for version in upsert(PlanVersion, rows, key=("plan", "number")):
        existing[(version.plan_id, version.number)] = version
    return existing


def _insert_acknowledgements(
    plans: list[PlanDraft], saved: list[Plan], versions: dict[tuple[int, int], PlanVersion]
) -> None:
    """Each version acknowledged in its meeting, by the consent age rules on the version's day:
    the youth (heard under 15, asked from 15, alone from 18) and, under 18, every guardian with
    parental responsibility; inserted when missing (append-only)."""
    responsible: dict[int, list[Any]] = {}
    for guardianship in Guardianship.objects.filter(
        youth__in=[plan.youth for plan in plans], parental_responsibility=True
    ).select_related("guardian"):
        responsible.setdefault(guardianship.youth_id, []).append(guardianship.guardian)
    existing = set(
        PlanAcknowledgement.objects.filter(version__in=list(versions.values())).values_list(
            "version_id", "party", "guardian_id"
        )
    )
    rows: list[dict[str, Any]] = []
    for plan, row in zip(plans, saved, strict=True):
        latest = len(plan.meetings)
        for number in range(1, latest + 1):
            meeting = plan.meetings[number - 1]
            if meeting is None or (number == latest and not plan.acknowledged):
                continue
            version = versions[(row.pk, number)]
            day = plan.day(number)
            rule = consent_age_rule(plan.youth, day, day)
            parties: list[tuple[str, Any]] = [(PlanAcknowledgement.Party.YOUTH, None)]
            if rule != AgeRule.ADULT:
                parties += [(PlanAcknowledgement.Party.GUARDIAN, g) for g in responsible.get(plan.youth.pk, [])]
            for party, guardian in parties:
                if (version.pk, party, getattr(guardian, "pk", None)) in existing:
                    continue
                rows.append(
                    {
                        "version": version,
                        "party": party,
                        "guardian": guardian,
                        "how": PlanAcknowledgement.How.MEETING,
                        "meeting": meeting,
                        "document": "",
                        "note": "",
                        "recorded_by": _lead_on(plan, number),
                        "recorded_at": plan.moment(number) + datetime.timedelta(minutes=5),
                    }
                )
    upsert(PlanAcknowledgement, rows, key=("version", "party", "guardian"))
