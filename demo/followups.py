"""The follow-up work of the demo: follow-ups and who holds them, contacts, offences,
criminal-justice steps and outcome measures, in the three districts with a full demo.

Dates. People's ages are counted from ANCHOR (1 August 2026), but a caseload has to look
current on the day the demo is shown: contacts up to last week, reporting dates coming up,
a youth with no contact for the last three weeks. Counting from the real today would give a
different demo every day, and a second run would add rows. So this work is laid out around a
fixed day instead, DEMO_TODAY (25 November 2026): six months of contacts up to the day before
it, follow-ups started 1 to 8 months before it, three reporting dates before it and three after.
Shown on another day, the demo is as it was (or will be) on DEMO_TODAY; to move it, change
DEMO_TODAY and run `manage.py seed_demo` on an empty database.

What the demo follower (follower@demo.laget.no, Bjerke) finds, so every screen has something:
five youths, the most a follower may have; one taken over from a colleague in late summer;
one not seen for 20 days (the 14-day flag); one with repeated crime (five offences in 2026);
one with a duty to report at the police station weekly; a Saturday group activity with three
of them; and one new youth in intake. Elsewhere in Bjerke: a youth sentence through
Konfliktrådet and a case on the fast track (hurtigspor).

Every random choice about one youth is drawn from a stream of that youth's own
(`demo.rng(step, national id)`), and every row is keyed on a natural key (the youth and the
team; the follow-up, person, role and start; the follow-up, author and time; …), so a second
run finds what the first made. No notifications and no audit entries are made: the demo shows
the work as logged, and the reminders are the reminder jobs' to make.

The rules of cases.services are asked of the rows before their bulk save (builders.py): each
follow-up reaches its state through FOLLOWUP_TRANSITIONS, closed with a reason and a summary
(followup_close_check), and under way with a lead (followup_lead_check); each assignment goes to
someone with a role in the unit (followup_assignee_check) and no follower holds more youths than
the district allows (followup_capacity_check); no contact, offence or outcome measure is dated
after DEMO_TODAY (contact_time_check, past_date_check); reporting dates belong to a reporting
duty (reporting_dates_check); the evening flag is the service's is_evening_or_weekend; each
contact's author followed the youth on the day it happened (contact_authors_check: contact_log's
rule on who may log, asked of a day of the history rather than of today's assignments).
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from cases.models import (
    FOLLOWUP_TRANSITIONS,
    Contact,
    ContactKind,
    ContactVersion,
    FollowUp,
    FollowUpAssignment,
    Guardian,
    Guardianship,
    JusticeStep,
    LifeArea,
    Offence,
    OutcomeMeasure,
    Participant,
    ReportingDate,
    Youth,
)
from cases.services import (
    CONTACT_FIELDS,
    contact_authors_check,
    contact_time_check,
    followup_assignee_check,
    followup_capacity_check,
    followup_close_check,
    followup_lead_check,
    is_evening_or_weekend,
    past_date_check,
    reporting_dates_check,
)
from core.dates import OSLO, add_months, birthday
from core.models import User
from core.workflow import transition_check
from org.models import StaffRole

from . import names
from .builders import DEMO_DISTRICT, FULL_DISTRICTS, Demo, _weighted, upsert

# The day the demo's caseloads are laid out around (see the module docstring).
DEMO_TODAY: datetime.date = datetime.date(2026, 11, 25)
CONTACT_DAYS = 182  # six months of contacts up to DEMO_TODAY
QUIET_DAYS = 20  # the demo follower's youth last seen this many days before DEMO_TODAY
# The services' clock for the rules that ask "now" (a contact cannot be in the future): the end of DEMO_TODAY.
DEMO_CLOCK = datetime.datetime.combine(DEMO_TODAY, datetime.time(23, 59), OSLO)

DEMO_FOLLOWER = "follower@demo.laget.no"
DEMO_FAMILY_FOLLOWER = "teammate@demo.laget.no"

State = FollowUp.State
Reason = FollowUp.ClosingReason
AssignmentRole = FollowUpAssignment.Role
Kind = ContactKind
Area = LifeArea
P = Participant

DAY = datetime.timedelta(days=1)


@dataclass
class Lead:
    """Who held lead responsibility, from when to when (None: still does)."""

    user: User
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclass
class Case:
    """One youth's follow-up as planned; `followup` is set when it is saved."""

    district: int
    youth: Youth
    state: str
    coordinator: User
    leads: list[Lead]
    decided_on: datetime.date  # the intake meeting's decision: the assignments start
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    last_contact_on: datetime.date | None = None  # contacts stop here (paused; the 14-day flag)
    closing_reason: str = ""
    closing_summary: str = ""
    family: User | None = None
    family_from: datetime.date | None = None
    tags: set[str] = field(default_factory=set)
    offences: list[datetime.date] = field(default_factory=list)
    parent: str = "mor"  # how the notes name the parent they meet: mor, far, or foresatte
    followup: FollowUp | None = None

    @property
    def lead(self) -> User:
        return self.leads[-1].user

    def lead_on(self, day: datetime.date) -> User:
        """The lead follower on this day (the new one on the day of a handover)."""
        for lead in reversed(self.leads):
            if lead.starts_on <= day:
                return lead.user
        return self.leads[0].user

    def fill(self, text: str, **more: str) -> str:
        """A note with the youth's name and the parent filled in."""
        name = self.youth.preferred_name or self.youth.first_name
        return text.format(name=name, parent=self.parent, Parent=self.parent.capitalize(), **more)

    def saved(self) -> FollowUp:
        assert self.followup is not None, "build_followups saves the follow-up first"
        return self.followup


# ---------------------------------------------------------------------------------------------
# Follow-ups and assignments


@dataclass
class Slot:
    lead: User
    state: str
    tags: set[str] = field(default_factory=set)


def build_followups(demo: Demo) -> None:
    for plan in FULL_DISTRICTS:
        cases = _plan_cases(demo, plan.number)
        _save_cases(demo, plan.number, cases)
        demo.cases[plan.number] = cases
    cases = [case for district_cases in demo.cases.values() for case in district_cases]
    open_count = sum(case.state != State.CLOSED for case in cases)
    demo.say(f"Follow-ups: {len(cases)} ({open_count} open)")


def _plan_cases(demo: Demo, number: int) -> list[Case]:
    """Slots first (each follower's load and the states), then a youth and dates for each."""
    rng = demo.rng("followups", number)
    staff = demo.staff[number]
    unit = demo.units[number].followup
    role_starts = dict(
        StaffRole.objects.filter(unit=unit, role=StaffRole.Role.FOLLOWER, ends_on=None).values_list(
            "user_id", "starts_on"
        )
    )
    followers = list(staff.followers)
    if staff.coordinator.pk in role_starts and staff.coordinator not in followers:
        followers.append(staff.coordinator)  # a small team: the coordinator follows a few youths too

    slots: list[Slot] = []
    for follower in followers:
        if follower.email == DEMO_FOLLOWER:
            slots += [
                Slot(follower, State.ACTIVE, {"reassigned", "group"}),
                Slot(follower, State.ACTIVE, {"quiet"}),
                Slot(follower, State.ACTIVE, {"repeated", "group"}),
                Slot(follower, State.ACTIVE, {"reporting", "group"}),
                Slot(follower, State.INTAKE),
            ]
        else:
            load = rng.randint(2, 3) if follower == staff.coordinator else rng.randint(2, 4)
            slots += [Slot(follower, State.ACTIVE) for _ in range(load)]
    # Of the other followers' slots: one paused, a couple in intake (with the demo follower's),
    # and in the demo district a youth sentence and a case on the fast track.
    others = [slot for slot in slots if slot.lead.email != DEMO_FOLLOWER]
    more_intake = 2 - sum(slot.state == State.INTAKE for slot in slots)
    paused, sentence, fast_track, *intake = rng.sample(others, 3 + more_intake)
    paused.state = State.PAUSED
    for slot in intake:
        slot.state = State.INTAKE
    if number == DEMO_DISTRICT:
        sentence.tags.add("sentence")
        fast_track.tags.add("fast_track")

    pool = [youth for youth in demo.youths[number] if _eligible(youth)]
    rng.shuffle(pool)

    def take(test: Callable[[Youth], bool]) -> Youth | None:
        for index, youth in enumerate(pool):
            if test(youth):
                return pool.pop(index)
        return None

    cases: list[Case] = []
    # The slots with a part to play first: their youths must be old enough for it.
    for slot in sorted(slots, key=lambda slot: not slot.tags):
        youth = take(_youth_test(slot.tags))
        if youth is not None:
            cases.append(_open_case(rng, number, slot, youth, staff.coordinator, followers))
    for _ in range(rng.randint(2, 3)):
        youth = take(lambda youth: youth.age_on(DEMO_TODAY - datetime.timedelta(days=540)) >= 12)
        if youth is not None:
            cases.append(_closed_case(rng, number, youth, staff.coordinator, followers, role_starts))

    parents = _parents([case.youth for case in cases])
    for case in cases:
        case.parent = parents.get(case.youth.pk, "foresatte")
        if case.ended_on is not None:
            case.closing_summary = case.fill(
                case.closing_summary, ended=f"{case.ended_on:%d.%m.%Y}", district=demo.districts[number].name
            )

    family_followers = staff.family_followers
    demo_family = next((user for user in family_followers if user.email == DEMO_FAMILY_FOLLOWER), None)
    for case in cases:
        if case.started_on is None:
            continue
        if demo_family is not None and case.tags & {"reassigned", "quiet", "repeated"}:
            family: User | None = demo_family  # Trygge foreldre: the two demo logins work as one team
        elif rng.random() < 0.45:
            family = rng.choice(family_followers)
        else:
            continue
        case.family = family
        latest = (case.ended_on or DEMO_TODAY) - datetime.timedelta(days=14)
        case.family_from = min(case.started_on + datetime.timedelta(days=rng.randint(0, 28)), latest)
    if number == DEMO_DISTRICT:
        cases += _turning_18_cases(demo, number, cases, followers, role_starts)
    return cases


TURNING_18 = "turning_18"  # the tag of the follow-ups of demo/transition.py's youths
TURNING_18_CLOSING = (
    "{name} fylte 18 år {ended}. Overføringsmøte med barnevernets ettervern og NAV ungdomsteam før bursdagen; "
    "{name} har takket ja til ettervern, og hovedansvaret er gitt videre til kontaktpersonen i barnevernet. "
    "Nytt samtykke fra {name} selv gjelder fra 18-årsdagen."
)


def _turning_18_cases(
    demo: Demo, number: int, cases: list[Case], followers: list[User], role_starts: dict[int, datetime.date]
) -> list[Case]:
    """The follow-ups of the youths about to turn 18 (demo/transition.py), drawn from a stream of
    their own after everyone else's, so the other youths' follow-ups stay as they were.

    The four before 18 are active, the closest to 18 first, each led by the follower with the
    fewest youths (the coordinator first: the coordinator login then follows the youth closest
    to 18), never the demo follower, who already holds the most a follower may; the one who turned 18 last month
    had a follow-up that closed on the birthday (turned_18), the lead passed to barnevern's
    aftercare (demo/transition.py). The family follower login works with the family of the
    youth two months from 18."""
    if not demo.turning_18:
        return []
    rng = demo.rng("followups", TURNING_18, number)
    staff = demo.staff[number]
    loads = {user.pk: 0 for user in followers}
    for case in cases:
        if case.state != State.CLOSED:
            loads[case.lead.pk] = loads.get(case.lead.pk, 0) + 1
    # One fewer than the district allows: the demo follower stays the only follower at the limit.
    limit = demo.districts[number].max_youths_per_follower - 1
    added: list[Case] = []
    for youth in demo.turning_18.values():
        if youth.eighteenth_birthday <= DEMO_TODAY:
            added.append(_turned_18_case(rng, number, youth, staff.coordinator, followers, role_starts))
            continue
        others = [user for user in followers if user.email != DEMO_FOLLOWER]
        # With no room left, the least busy still takes the youth, and followup_capacity_check stops the build.
        free = [user for user in others if loads.get(user.pk, 0) < limit] or others
        lead = min(free, key=lambda user: (loads.get(user.pk, 0), user != staff.coordinator, user.email))
        loads[lead.pk] = loads.get(lead.pk, 0) + 1
        case = _open_case(rng, number, Slot(lead, State.ACTIVE, {TURNING_18}), youth, staff.coordinator, followers)
        added.append(case)
    parents = _parents([case.youth for case in added])
    family = next((user for user in staff.family_followers if user.email == DEMO_FAMILY_FOLLOWER), None)
    for label, case in zip(demo.turning_18, added, strict=True):
        case.tags.add(TURNING_18)
        case.parent = parents.get(case.youth.pk, "foresatte")
        if case.ended_on is not None:
            case.closing_summary = case.fill(TURNING_18_CLOSING, ended=f"{case.ended_on:%d.%m.%Y}")
        if label == "2" and family is not None and case.started_on is not None:
            case.family = family
            case.family_from = case.started_on + datetime.timedelta(days=rng.randint(0, 21))
    return added


def _turned_18_case(
    rng: random.Random,
    number: int,
    youth: Youth,
    coordinator: User,
    followers: list[User],
    role_starts: dict[int, datetime.date],
) -> Case:
    """A follow-up that closed on the youth's 18th birthday, after eight to eleven months."""
    ended_on = youth.eighteenth_birthday
    started_on = _days_before(ended_on, 240, 330, rng)
    decided_on = _days_before(started_on, 7, 21, rng)
    in_post = [u for u in followers if u.email != DEMO_FOLLOWER and role_starts.get(u.pk, DEMO_TODAY) <= decided_on]
    lead = rng.choice(in_post or followers)
    return Case(
        district=number,
        youth=youth,
        state=State.CLOSED,
        coordinator=coordinator,
        leads=[Lead(lead, decided_on, ended_on)],
        decided_on=decided_on,
        started_on=started_on,
        ended_on=ended_on,
        closing_reason=Reason.TURNED_18,
        closing_summary=TURNING_18_CLOSING,
        tags={TURNING_18},
    )


def _parents(youths: list[Youth]) -> dict[int, str]:
    """The parent the notes name for each youth: the mother, or else the father."""
    relations: dict[int, set[str]] = {}
    for youth_id, relation in Guardianship.objects.filter(youth__in=youths).values_list("youth_id", "relation"):
        relations.setdefault(youth_id, set()).add(relation)
    parents = {}
    for youth_id, found in relations.items():
        if Guardianship.Relation.MOTHER in found:
            parents[youth_id] = "mor"
        elif Guardianship.Relation.FATHER in found:
            parents[youth_id] = "far"
    return parents


def _eligible(youth: Youth) -> bool:
    """In the one-to-one target group (12 to 18), and 12 for two months or more."""
    return 12 <= youth.age_on(DEMO_TODAY) <= 18 and youth.age_on(DEMO_TODAY - datetime.timedelta(days=60)) >= 12


def _youth_test(tags: set[str]) -> Callable[[Youth], bool]:
    """Sentences, fast track and a duty to report are for youths of 15 to 17."""
    if tags & {"repeated", "reporting", "sentence", "fast_track"}:
        return lambda youth: 15 <= youth.age_on(DEMO_TODAY) <= 17 and youth.age_on(datetime.date(2025, 1, 1)) >= 13
    if "reassigned" in tags:
        return lambda youth: youth.age_on(DEMO_TODAY - datetime.timedelta(days=250)) >= 12
    return lambda youth: True


def _days_before(day: datetime.date, low: int, high: int, rng: random.Random) -> datetime.date:
    return day - datetime.timedelta(days=rng.randint(low, max(low, high)))


def _open_case(
    rng: random.Random, number: int, slot: Slot, youth: Youth, coordinator: User, followers: list[User]
) -> Case:
    # How far back the follow-up can start: not before the youth turned 12.
    room = (DEMO_TODAY - birthday(youth.birth_date, 12)).days - 21
    case = Case(
        district=number,
        youth=youth,
        state=slot.state,
        coordinator=coordinator,
        leads=[],
        decided_on=DEMO_TODAY,
        tags=set(slot.tags),
    )
    if slot.state == State.INTAKE:
        case.decided_on = _days_before(DEMO_TODAY, 3, 25, rng)
    else:
        if slot.state == State.PAUSED:
            low, high = 150, 240
        elif "reassigned" in slot.tags:
            low, high = 160, 230
        elif "repeated" in slot.tags:
            low, high = 120, 220
        elif "quiet" in slot.tags:
            low, high = 75, 200
        elif TURNING_18 in slot.tags:
            low, high = 150, 240  # long enough for the transition checklist's history (demo/transition.py)
        else:
            low, high = 30, 243  # 1 to 8 months
        case.started_on = _days_before(DEMO_TODAY, low, min(high, room), rng)
        case.decided_on = _days_before(case.started_on, 7, 21, rng)
    if slot.state == State.PAUSED:
        case.last_contact_on = _days_before(DEMO_TODAY, 25, 40, rng)
    if "quiet" in slot.tags:
        case.last_contact_on = DEMO_TODAY - datetime.timedelta(days=QUIET_DAYS)

    if "reassigned" in slot.tags:
        # The youth's first follower handed over in late summer; the demo follower took over.
        colleagues = [user for user in followers if user not in (slot.lead, coordinator)]
        previous = rng.choice(colleagues)
        handover = _days_before(DEMO_TODAY, 70, 100, rng)
        case.leads = [Lead(previous, case.decided_on, handover), Lead(slot.lead, handover, None)]
    else:
        case.leads = [Lead(slot.lead, case.decided_on, None)]
    return case


def _closed_case(
    rng: random.Random,
    number: int,
    youth: Youth,
    coordinator: User,
    followers: list[User],
    role_starts: dict[int, datetime.date],
) -> Case:
    ended_on = _days_before(DEMO_TODAY, 20, 160, rng)
    started_on = _days_before(ended_on, 100, 300, rng)
    decided_on = _days_before(started_on, 7, 21, rng)
    in_post = [user for user in followers if role_starts.get(user.pk, DEMO_TODAY) <= decided_on]
    lead = rng.choice(in_post or followers)
    if youth.age_on(ended_on) >= 18:
        reason = Reason.TURNED_18
    else:
        reason = _weighted(
            rng,
            {
                Reason.GOALS_REACHED: 4,
                Reason.YOUTH_ENDED: 2,
                Reason.MOVED: 1,
                Reason.OTHER_MEASURE: 2,
                Reason.NO_CONTACT: 1,
            },
        )
    return Case(
        district=number,
        youth=youth,
        state=State.CLOSED,
        coordinator=coordinator,
        leads=[Lead(lead, decided_on, ended_on)],
        decided_on=decided_on,
        started_on=started_on,
        ended_on=ended_on,
        closing_reason=reason,
        closing_summary=rng.choice(CLOSING_SUMMARIES[reason]),  # a template, filled in by _plan_cases
    )


CLOSING_SUMMARIES: dict[str, tuple[str, ...]] = {
    Reason.GOALS_REACHED: (
        "{name} har gått fra høyt fravær til nesten fullt oppmøte, har fast plass på fotballaget og ingen nye "
        "anmeldelser siste halvår. Målene i Min plan er nådd. Avslutningssamtale med {name} og foreldrene "
        "{ended}; familien vet at de kan ta kontakt igjen.",
        "{name} har fått fritidsjobb og møter på skolen hver dag, og sier selv at det er lenge siden det var bråk. "
        "Vi ble enige om å avslutte i avslutningssamtalen {ended}. Skolen og helsesykepleier følger videre "
        "som vanlig.",
    ),
    Reason.YOUTH_ENDED: (
        "{name} ønsket ikke å fortsette oppfølgingen. Oppfølgingen er frivillig, og vi har respektert valget. "
        "Skolen og helsesykepleier følger videre. Foresatte er informert og vet hvordan de kan ta kontakt.",
        "{name} sa tydelig fra at det ble for mange voksne rundt og ville avslutte. Avtalt at {name} selv kan "
        "ta kontakt om det blir aktuelt igjen; foresatte og kontaktlærer er orientert.",
    ),
    Reason.MOVED: (
        "Familien flyttet ut av bydel {district}. Overføringsmøte med ny bydel med samtykke fra foresatte; "
        "Min plan og kontaktinformasjon er overlevert. Avsluttet {ended}.",
    ),
    Reason.OTHER_MEASURE: (
        "Barnevernet har satt inn MST (multisystemisk terapi) i familien. Avtalt med familien og barnevernet at "
        "én-til-én-oppfølgingen avsluttes, så det ikke blir for mange voksne rundt {name}. Overføringsmøte "
        "holdt før avslutning.",
        "{name} har fått plass i et arbeidstrening-tiltak gjennom NAV med egen veileder. Overføringsmøte med "
        "NAV, {name} og {parent}; oppfølgingen avsluttes {ended}.",
    ),
    Reason.TURNED_18: (
        "{name} har fylt 18 år. Overføringsmøte med NAV ungdomsteam; {name} har takket ja til ettervern og har "
        "fast kontakt i NAV. Nytt samtykke fra {name} selv er innhentet.",
    ),
    Reason.NO_CONTACT: (
        "Ingen kontakt på over to måneder til tross for SMS, telefon og hjemmebesøk. Drøftet med koordinator og "
        "foresatte; oppfølgingen avsluttes {ended}. {name} kan meldes opp i inntaksmøtet igjen.",
    ),
}


def _save_cases(demo: Demo, number: int, cases: list[Case]) -> None:
    unit = demo.units[number].followup
    leader = demo.staff[number].leader
    rows = [
        {
            "youth": case.youth,
            "unit": unit,
            "state": case.state,
            "started_on": case.started_on,
            "ended_on": case.ended_on,
            "closing_reason": case.closing_reason,
            "closing_summary": case.closing_summary,
        }
        for case in cases
    ]
    for case in cases:
        _check_way(case)
    for case, followup in zip(cases, upsert(FollowUp, rows, key=("youth", "unit")), strict=True):
        case.followup = followup

    assignments: list[dict[str, Any]] = []

    def assign(case: Case, user: User, role: str, starts_on: datetime.date, ends_on: datetime.date | None) -> None:
        assigned_by = leader if role == AssignmentRole.COORDINATOR else case.coordinator
        assignments.append(
            {
                "followup": case.followup,
                "user": user,
                "role": role,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "assigned_by": assigned_by,
            }
        )

    for case in cases:
        assign(case, case.coordinator, AssignmentRole.COORDINATOR, case.decided_on, case.ended_on)
        for lead in case.leads:
            assign(case, lead.user, AssignmentRole.LEAD, lead.starts_on, lead.ends_on)
        if case.family is not None and case.family_from is not None:
            assign(case, case.family, AssignmentRole.FAMILY, case.family_from, case.ended_on)
    upsert(
        FollowUpAssignment,
        assignments,
        key=("followup", "user", "role", "starts_on"),
        check=lambda assignment: followup_assignee_check(user=assignment.user, unit=unit),
    )
    # The rule followup_assign keeps (the Oslo standard's five youths), asked of every follower
    # once the district's assignments are saved: the demo never needs a leader's override.
    for user in {case.lead for case in cases}:
        followup_capacity_check(user=user, unit=unit, adding=0)
    # followup_set_state's rule: a follow-up under way has a lead follower in force.
    for case in cases:
        if case.state in (State.ACTIVE, State.PAUSED):
            followup_lead_check(followup=case.saved())


def _check_way(case: Case) -> None:
    """The follow-up got to its state the way the services take it: started (if it was), paused
    (if it is), closed with a reason and a summary (followup_close_check), each step allowed by
    the follow-up's table (FOLLOWUP_TRANSITIONS, core.workflow.transition_check)."""
    steps = ["start"] if case.started_on is not None else []
    if case.state == State.PAUSED:
        steps.append("pause")
    if case.state == State.CLOSED:
        followup_close_check(reason=case.closing_reason, summary=case.closing_summary)
        steps.append("close")
    state: str = State.INTAKE
    for step in steps:
        state = transition_check(FOLLOWUP_TRANSITIONS, step, state) or state
    if state != case.state:
        raise ValidationError(f"The demo's follow-up of {case.youth} is {case.state}; its steps lead to {state}.")


# ---------------------------------------------------------------------------------------------
# Contacts


# A youth in school is met after school on weekdays; school visits, calls and appointments
# are in school hours, and the family follower meets parents in office hours too.
AFTER_SCHOOL = (14, 16)
OFFICE_HOURS = (9, 15)
SCHOOL_HOURS = (8, 14)


@dataclass(frozen=True)
class Opener:
    """The first sentence of a contact note, with what the contact was."""

    kind: str
    place: str  # a key of names.PLACES, or one of: home, car, school, club, appointment, "" (none)
    text: str
    minutes: tuple[int, int]
    participants: tuple[str, ...] = (P.YOUTH,)
    areas: tuple[str, ...] = ()
    evening_share: float = 0.2
    weight: int = 10
    weekdays_only: bool = False  # schools, NAV and clinics are closed at weekends
    hours: tuple[int, int] = AFTER_SCHOOL  # when it starts, on a weekday in the daytime


YOUTH_OPENERS: tuple[Opener, ...] = (
    Opener(Kind.ACTIVITY, "walk", "Gikk tur rundt {place}.", (45, 90), areas=(Area.LEISURE,), weight=14),
    Opener(Kind.CONVERSATION, "centre", "Møttes på kafé på {place}.", (45, 90), weight=12),
    Opener(Kind.ACTIVITY, "sports", "Spilte fotball på {place}.", (60, 120), areas=(Area.LEISURE,), evening_share=0.5),
    Opener(Kind.ACTIVITY, "club", "Var på {place} sammen.", (60, 150), areas=(Area.LEISURE,), evening_share=0.7),
    Opener(
        Kind.ACTIVITY,
        "centre",
        "Trente sammen på treningssenteret på {place}.",
        (60, 90),
        areas=(Area.HEALTH, Area.LEISURE),
        evening_share=0.4,
        weight=6,
    ),
    Opener(Kind.CONVERSATION, "car", "Kjørte {name} hjem fra trening og snakket i bilen.", (15, 45), evening_share=0.6),
    Opener(
        Kind.SCHOOL_VISIT,
        "school",
        "Møte på skolen med kontaktlærer og {name}.",
        (45, 75),
        participants=(P.YOUTH, P.SCHOOL),
        areas=(Area.SCHOOL,),
        evening_share=0,
        weight=7,
        weekdays_only=True,
        hours=SCHOOL_HOURS,
    ),
    Opener(
        Kind.HOME_VISIT,
        "home",
        "Hjemmebesøk; {name} og {parent} var hjemme.",
        (45, 90),
        participants=(P.YOUTH, P.GUARDIANS),
        areas=(Area.FAMILY,),
        evening_share=0.4,
        weight=6,
    ),
    Opener(Kind.PHONE, "", "Telefonsamtale med {name}.", (15, 30), evening_share=0.4, weight=9, hours=(12, 16)),
    Opener(Kind.SMS, "", "SMS-kontakt med {name}.", (15, 15), evening_share=0.5, weight=6, hours=(8, 16)),
    Opener(
        Kind.ACCOMPANYING,
        "appointment",
        "Fulgte {name} til {place}.",
        (60, 180),
        participants=(P.YOUTH, P.OTHER_SERVICES),
        evening_share=0,
        weight=5,
        weekdays_only=True,
        hours=SCHOOL_HOURS,
    ),
)

# A call in the morning to get the youth out of bed and to school: logged before 08.
WAKE_UP = Opener(
    Kind.PHONE, "", "Ringte {name} kl. halv åtte for å vekke til skolen.", (15, 15), areas=(Area.SCHOOL,), weight=3
)

# What the conversation was about, by life area (the note's second sentence).
DETAILS: dict[str, tuple[str, ...]] = {
    Area.SCHOOL: (
        "Snakket om fraværet; {name} vil prøve å møte til første time hele neste uke.",
        "Gikk gjennom ukeplanen sammen. Matteprøve på torsdag, så vi avtalte leksehjelp onsdag.",
        "{name} fortalte at det går bedre i klassen etter at de byttet plasser.",
        "Snakket om søknad til videregående; {name} vurderer elektro eller idrettsfag.",
        "{name} var lei seg for en samtale med rektor i går. Vi snakket om hva som skjedde og hva {name} vil si.",
    ),
    Area.FRIENDS: (
        "Snakket om nye venner fra fotballen og om å holde seg unna gjengen ved senteret på kveldstid.",
        "{name} har en konflikt med en kamerat på Snapchat; vi snakket om hvordan den kan løses uten at det "
        "blir verre.",
        "{name} har begynt å henge med noen fra klassen i stedet for de eldre gutta. Det merkes på humøret.",
    ),
    Area.LEISURE: (
        "{name} vil begynne på boksing igjen; vi så på treningstider sammen.",
        "Snakket om hva {name} liker å gjøre på fritiden. Interessert i å prøve musikkstudioet på klubben.",
        "{name} har vært på alle treningene denne uka og er stolt av det.",
    ),
    Area.FAMILY: (
        "Det er roligere hjemme nå, sier {name}. Snakket om innetider og hvordan avtalen med {parent} fungerer.",
        "{name} synes det er vanskelig å snakke med {parent} om skolen; vi øvde på hvordan det kan tas opp.",
        "Lillesøsken har begynt å spørre om hva {name} driver med. {name} vil være et godt forbilde.",
    ),
    Area.HEALTH: (
        "{name} sover dårlig og er sliten på skolen. Foreslo time hos helsesykepleier; {name} vil tenke på det.",
        "Snakket om trening og mat. {name} har begynt å spise frokost før skolen.",
    ),
    Area.SUBSTANCE_USE: (
        "Snakket åpent om hasj. {name} sier det har blitt mindre den siste måneden og vil fortsette å trappe ned.",
        "{name} fortalte om en fest i helgen med mye alkohol; vi snakket om hvordan komme seg trygt hjem.",
    ),
    Area.WORK: (
        "Laget CV sammen og så på sommerjobber i bydelen.",
        "Snakket om ungdomskontrakt i NAV og hva en praksisplass kunne vært.",
    ),
    Area.HOUSING_ECONOMY: (
        "Familien har fått varsel om økt husleie, og {name} er bekymret. Avtalt at jeg tar det opp med "
        "familieveileder.",
    ),
}
DETAIL_WEIGHTS: dict[str, int] = {
    Area.SCHOOL: 10,
    Area.FRIENDS: 7,
    Area.LEISURE: 7,
    Area.FAMILY: 5,
    Area.HEALTH: 3,
    Area.SUBSTANCE_USE: 3,
    Area.WORK: 3,
    Area.HOUSING_ECONOMY: 1,
}
CLOSINGS = ("", "", "", " Ny avtale neste uke.", " Ny avtale på fredag.", " Fin stemning.")

# The family follower works with the parents (Trygge foreldre, seed 000).
FAMILY_NOTES: tuple[Opener, ...] = (
    Opener(
        Kind.HOME_VISIT,
        "home",
        "Hjemmebesøk hos familien. Snakket med {parent} om rutiner for innetider og leggetid.",
        (45, 90),
        participants=(P.GUARDIANS,),
        hours=OFFICE_HOURS,
        areas=(Area.FAMILY,),
        evening_share=0.4,
    ),
    Opener(
        Kind.PHONE,
        "",
        "Telefonsamtale med foresatte om fraværet fra skolen og hvordan de kan følge opp hjemme.",
        (15, 30),
        participants=(P.GUARDIANS,),
        hours=OFFICE_HOURS,
        areas=(Area.FAMILY, Area.SCHOOL),
        evening_share=0.4,
    ),
    Opener(
        Kind.PHONE,
        "",
        "{Parent} ringte, bekymret for at {name} var ute sent i helgen. Avtalt at {parent} sender melding når "
        "{name} ikke er hjemme til avtalt tid, og at vi tar det opp på neste lagmøte.",
        (15, 30),
        participants=(P.GUARDIANS,),
        hours=OFFICE_HOURS,
        areas=(Area.FAMILY, Area.FRIENDS),
        evening_share=0.6,
    ),
    Opener(
        Kind.ACTIVITY,
        "club",
        "Foreldregruppe på {place}; foresatte delte erfaringer om grensesetting og om å snakke med tenåringer.",
        (90, 120),
        participants=(P.GUARDIANS,),
        hours=OFFICE_HOURS,
        areas=(Area.FAMILY,),
        evening_share=1,
        weight=5,
    ),
    Opener(
        Kind.ACCOMPANYING,
        "nav",
        "Fulgte {parent} til {place} for å søke om Fritidskortet og støtte til utstyr til fotballen.",
        (60, 120),
        participants=(P.GUARDIANS, P.OTHER_SERVICES),
        hours=OFFICE_HOURS,
        areas=(Area.HOUSING_ECONOMY, Area.LEISURE),
        evening_share=0,
        weight=4,
        weekdays_only=True,
    ),
    Opener(
        Kind.CONVERSATION,
        "home",
        "Samtale med foresatte og {name} sammen om hva som har blitt bedre siden sist, og hva som fortsatt er "
        "vanskelig.",
        (45, 90),
        participants=(P.YOUTH, P.GUARDIANS),
        areas=(Area.FAMILY,),
        evening_share=0.5,
        weight=6,
    ),
)
INTERPRETED = " Tolk på telefon ({language})."

APPOINTMENTS: tuple[tuple[str, str, str], ...] = (
    # (what, place, life area); place "health" and "nav" are the district's units
    ("time hos helsesykepleier", "health", Area.HEALTH),
    ("møte med NAV-veileder om sommerjobb", "nav", Area.WORK),
    ("første time på BUP", "bup", Area.HEALTH),
    ("tannlegen", "dentist", Area.HEALTH),
)

TASKS: tuple[tuple[str, str], ...] = (
    ("Ringe kontaktlærer om fraværet", Area.SCHOOL),
    ("Sende CV til sommerjobb sammen med {name}", Area.WORK),
    ("Bestille time hos helsesykepleier", Area.HEALTH),
    ("Sjekke treningstider for boksing", Area.LEISURE),
    ("Avtale lagmøte med skole og foresatte", Area.FAMILY),
    ("Følge opp søknad om Fritidskortet", Area.LEISURE),
    ("Spørre NAV-veileder om ungdomskontrakt", Area.WORK),
    ("Sende referat fra skolemøtet til foresatte", Area.SCHOOL),
)

GROUP_TEXTS = (
    "Matlagingskveld på {place} med to andre ungdommer. {name} tok ansvar for pizzadeigen og hjalp de andre. "
    "Snakket om å søke på jobb som ungdomsvert på klubben.",
    "Matlagingskveld på {place} sammen med to andre. {name} var stille i starten, men åpnet seg etter hvert og spilte "
    "FIFA med de andre etterpå. Vil gjerne være med neste gang.",
    "Matlagingskveld på {place}. {name} gikk hjem kl. 19.30 for å rekke innetiden, som avtalt med {parent}. "
    "Fornøyd med kvelden og ville vite om vi kan gjøre det igjen før jul.",
)


@dataclass
class Where:
    """The district's places, for the notes."""

    district: str
    club: str
    health: str
    nav: str
    interpreter: dict[int, str]  # family id: the language of a guardian who needs an interpreter
    with_siblings: set[int]  # ids of the families with younger brothers or sisters


def build_contacts(demo: Demo) -> None:
    total = 0
    for plan in FULL_DISTRICTS:
        number = plan.number
        units = demo.units[number]
        cases = demo.cases[number]
        family_ids = {case.youth.family_id for case in cases if case.youth.family_id is not None}
        interpreter: dict[int, str] = {}
        for family_id, language in (
            Guardian.objects.filter(family_id__in=family_ids, needs_interpreter=True)
            .order_by("id")
            .values_list("family_id", "language")
        ):
            if family_id is not None:
                interpreter.setdefault(family_id, language)
        name = demo.districts[number].name
        where = Where(
            district=name,
            club=units.leisure.name,
            health=units.health.name,
            nav=units.nav.name,
            interpreter=interpreter,
            with_siblings={sibling.family_id for sibling in demo.siblings[number] if sibling.family_id is not None},
        )
        rows: list[dict[str, Any]] = []
        if number == DEMO_DISTRICT:
            rows += _group_activity(demo, where, [case for case in cases if "group" in case.tags])
        for case in cases:
            rows += _contacts_of(demo.rng("contacts", case.youth.national_id), where, case, rows)
        # contact_log's rule on who may log, asked of the day each contact happened.
        contact_authors_check(contacts=[Contact(**row) for row in rows])
        contacts = upsert(Contact, rows, key=("followup", "author", "occurred_at"), check=_check_contact)
        _edited_contact(rows, contacts)
        total += len(contacts)
    demo.say(f"Contacts: {total}")


def _check_contact(contact: Contact) -> None:
    """The rule contact_log keeps on the time, asked with the demo's clock (the end of
    DEMO_TODAY): a contact is logged after it happened. The rest of contact_log's rules are the
    row's own (upsert), the evening flag, which the demo computes with the service's
    is_evening_or_weekend, and who may log it, asked of all the district's contacts at once
    (contact_authors_check: the author followed the youth on the day)."""
    contact_time_check(occurred_at=contact.occurred_at, now=DEMO_CLOCK)


def _group_activity(demo: Demo, where: Where, cases: list[Case]) -> list[dict[str, Any]]:
    """A Saturday evening at the youth club with three of the demo follower's youths: one contact
    for each, at the same time and with the same group id, each with its own note."""
    if len(cases) < 3:
        return []
    rng = demo.rng("contacts", "group")
    group_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    saturday = DEMO_TODAY - datetime.timedelta(days=(DEMO_TODAY.weekday() - 5) % 7 + 7)
    occurred_at = datetime.datetime.combine(saturday, datetime.time(17, 0), tzinfo=OSLO)
    rows = []
    for case, text in zip(cases[:3], GROUP_TEXTS, strict=True):
        rows.append(
            {
                **_contact(case, case.lead_on(saturday), occurred_at, 150, Kind.ACTIVITY, where.club),
                "participants": [P.YOUTH],
                "life_areas": [Area.LEISURE, Area.FRIENDS],
                "text": case.fill(text, place=where.club),
                "group_id": group_id,
            }
        )
    return rows


def _contact(
    case: Case, author: User, occurred_at: datetime.datetime, minutes: int, kind: str, place: str
) -> dict[str, Any]:
    return {
        "youth": case.youth,
        "followup": case.saved(),
        "author": author,
        "occurred_at": occurred_at,
        "duration_minutes": minutes,
        "kind": kind,
        "place": place,
        "participants": [P.YOUTH],
        "life_areas": [],
        "text": "",
        "task": "",
        "task_due_on": None,
        "task_done_at": None,
        "evening_or_weekend": is_evening_or_weekend(occurred_at),
        "group_id": None,
    }


def _contacts_of(rng: random.Random, where: Where, case: Case, made: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """1 to 3 contacts a week over the last six months of the follow-up (or its last two months,
    when it is closed), with a note for its first and last day, and one at the handover."""
    taken = {
        (row["followup"], row["author"].pk, row["occurred_at"]) for row in made if row["followup"] == case.followup
    }
    rows: list[dict[str, Any]] = []

    def add(row: dict[str, Any]) -> None:
        key = (row["followup"], row["author"].pk, row["occurred_at"])
        if key not in taken:
            taken.add(key)
            rows.append(row)

    if case.started_on is None:  # intake: only the call to book the start-up meeting
        day = min(case.decided_on + datetime.timedelta(days=rng.randint(1, 3)), DEMO_TODAY - DAY)
        row = _contact(case, case.lead, _at(rng, day, evening=False, hours=OFFICE_HOURS), 15, Kind.PHONE, "")
        row.update(
            participants=[P.GUARDIANS],
            life_areas=[Area.FAMILY],
            text=case.fill(
                "Ringte foresatte for å avtale oppstartsmøte med {name}. Fortalte hva én-til-én-oppfølging er, og "
                "at den er frivillig. Oppstartsmøte avtalt hjemme hos familien neste uke."
            ),
        )
        add(row)
        return rows

    last = case.ended_on or case.last_contact_on or DEMO_TODAY - DAY
    first = max(
        case.started_on,
        (case.ended_on - datetime.timedelta(days=56))
        if case.ended_on
        else DEMO_TODAY - datetime.timedelta(days=CONTACT_DAYS),
    )
    silent = case.closing_reason == Reason.NO_CONTACT and case.ended_on is not None
    if silent:  # closed after two months and more without contact
        assert case.ended_on is not None
        last = case.ended_on - datetime.timedelta(days=70)
        first = max(case.started_on, case.ended_on - datetime.timedelta(days=126))

    if case.started_on >= first:
        row = _contact(
            case,
            case.lead_on(case.started_on),
            _at(rng, case.started_on, evening=True),
            90,
            Kind.HOME_VISIT,
            "Hjemme hos familien",
        )
        row.update(
            participants=[P.YOUTH, P.GUARDIANS],
            life_areas=[Area.SCHOOL, Area.FAMILY],
            text=case.fill(
                "Oppstartsmøte hjemme hos familien med {name} og foresatte. Gikk gjennom hva oppfølgingen er, "
                "samtykke, og hva {name} selv vil jobbe med. Første mål i Min plan: komme seg på skolen om morgenen."
            ),
        )
        add(row)
    for lead in case.leads[1:]:
        previous = case.leads[0].user.get_short_name()
        row = _contact(case, lead.user, _at(rng, lead.starts_on, evening=False), 60, Kind.CONVERSATION, where.club)
        row.update(
            life_areas=[Area.LEISURE, Area.SCHOOL],
            text=case.fill(
                "Overføringssamtale sammen med {previous}: vi gikk gjennom Min plan, og jeg er ny oppfølger fra i "
                "dag. {name} var skeptisk i starten, men vil gi det en sjanse.",
                previous=previous,
            ),
        )
        add(row)

    week_end = last
    while week_end >= first:
        week_start = max(first, week_end - datetime.timedelta(days=6))
        days = [week_start + datetime.timedelta(days=offset) for offset in range((week_end - week_start).days + 1)]
        count = min(len(days), _weighted(rng, {1: 35, 2: 45, 3: 20}))
        # Weekdays more often than weekends (weighted sampling without replacement).
        chosen = sorted(days, key=lambda day: rng.random() ** (1 / (1 if day.weekday() < 5 else 0.35)))[-count:]
        if "quiet" in case.tags and week_end == last and last not in chosen:
            chosen[0] = last  # the last contact falls on the last day (the quiet youth: 20 days ago)
        for day in sorted(chosen):
            add(_weekly_contact(rng, where, case, day))
        week_end = week_start - DAY

    if case.state == State.PAUSED:
        row = _contact(
            case, case.lead_on(last), _at(rng, last, evening=False), 60, Kind.CONVERSATION, "Hjemme hos familien"
        )
        row.update(
            participants=[P.YOUTH, P.GUARDIANS],
            life_areas=[Area.FAMILY, Area.SCHOOL],
            text=case.fill(
                "Samtale med {name} og {parent}. {name} ønsker en pause i oppfølgingen fram til etter jul; vi "
                "avtalte å ta kontakt igjen i januar. {Parent} og skolen vet at de kan ringe meg."
            ),
        )
        add(row)
    if silent and case.ended_on is not None:
        row = _contact(case, case.lead, _at(rng, case.ended_on, evening=False), 15, Kind.SMS, "")
        row.update(
            life_areas=[Area.FAMILY],
            text=case.fill(
                "Sendte SMS til {name} om at oppfølgingen avsluttes etter lang tid uten kontakt, og at {name} er "
                "velkommen tilbake. Ingen svar. Foresatte er orientert per brev."
            ),
        )
        add(row)
    elif case.state == State.CLOSED and case.ended_on is not None:
        row = _contact(case, case.lead, _at(rng, case.ended_on, evening=False), 60, Kind.CONVERSATION, where.club)
        row.update(
            life_areas=[Area.SCHOOL, Area.LEISURE, Area.FAMILY],
            text=case.fill(
                "Avslutningssamtale med {name}. Gikk gjennom Min plan og hva som har endret seg siden oppstart. "
                "{name} vet at det går an å ta kontakt igjen."
            ),
        )
        add(row)
    return rows


def _at(
    rng: random.Random,
    day: datetime.date,
    *,
    evening: bool,
    hours: tuple[int, int] = AFTER_SCHOOL,
    early: bool = False,
    late: bool = False,
) -> datetime.datetime:
    """A time on this day in Oslo: in the daytime hours given (11 to 16 at weekends), an evening
    (17 to 20, or 21 for a call), or early morning (07.30)."""
    if early:
        hour = 7
    elif evening:
        hour = rng.randint(17, 21 if late else 20)
    elif day.weekday() >= 5:
        hour = rng.randint(11, 16)
    else:
        hour = rng.randint(*hours)
    minute = 30 if early else rng.choice((0, 15, 30, 45))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def _weekly_contact(rng: random.Random, where: Where, case: Case, day: datetime.date) -> dict[str, Any]:
    family_turn = (
        case.family is not None and case.family_from is not None and day >= case.family_from and rng.random() < 0.3
    )
    if family_turn:
        assert case.family is not None
        author = case.family
        opener = _pick(rng, FAMILY_NOTES, day)
        detail = ""
        areas = list(opener.areas)
    else:
        author = case.lead_on(day)
        opener = WAKE_UP if day.weekday() < 5 and rng.random() < 0.04 else _pick(rng, YOUTH_OPENERS, day)
        area: str = Area.SCHOOL
        detail = ""
        while opener is not WAKE_UP and not detail:
            area = _weighted(rng, DETAIL_WEIGHTS)
            fitting = [text for text in DETAILS[area] if _fits(text, case, where, day)]
            detail = " " + rng.choice(fitting) if fitting else ""
        areas = list(dict.fromkeys((*opener.areas, area)))

    place, extra_area = _place(rng, where, case, opener.place, day)
    if extra_area:
        areas = list(dict.fromkeys((*areas, extra_area)))
    late = opener.kind in (Kind.PHONE, Kind.SMS) or opener.place == "car"
    evening = rng.random() < opener.evening_share
    occurred_at = _at(rng, day, evening=evening, hours=opener.hours, early=opener is WAKE_UP, late=late)
    low, high = opener.minutes
    minutes = rng.choice(range(low, high + 1, 15))
    text = case.fill(opener.text + detail, place=place)
    if family_turn and case.youth.family_id in where.interpreter and P.GUARDIANS in opener.participants:
        text += INTERPRETED.format(language=where.interpreter[case.youth.family_id])
    elif not family_turn and opener.kind not in (Kind.SMS, Kind.PHONE):
        text += rng.choice(CLOSINGS)
    row = _contact(case, author, occurred_at, minutes, opener.kind, _place_label(opener, place))
    row.update(participants=list(opener.participants), life_areas=_ordered(areas), text=text)

    if rng.random() < 0.15 and opener is not WAKE_UP:
        task, task_area = rng.choice([task for task in TASKS if _fits(task[0], case, where, day)])
        due = day + datetime.timedelta(days=rng.randint(2, 10))
        row["task"] = case.fill(task)
        row["task_due_on"] = due
        if due < DEMO_TODAY and rng.random() < 0.85:
            done_day = min(day + datetime.timedelta(days=rng.randint(1, (due - day).days)), DEMO_TODAY - DAY)
            row["task_done_at"] = _at(rng, done_day, evening=False, hours=OFFICE_HOURS)
        row["life_areas"] = _ordered([*row["life_areas"], task_area])
    return row


def _pick(rng: random.Random, openers: tuple[Opener, ...], day: datetime.date) -> Opener:
    if day.weekday() >= 5:
        openers = tuple(opener for opener in openers if not opener.weekdays_only)
    return rng.choices(openers, weights=[opener.weight for opener in openers])[0]


def _fits(text: str, case: Case, where: Where, day: datetime.date) -> bool:
    """Whether a sentence fits this youth: applying to upper secondary is for pupils of the
    district's schools, a younger brother or sister needs one, talk of cannabis and drinking is
    for youths of 14 and over, and summer jobs, CVs and NAV for those of 15 and over."""
    if "videregående" in text:
        return case.youth.school_id is not None
    if "Lillesøsken" in text:
        return case.youth.family_id in where.with_siblings
    if "hasj" in text or "alkohol" in text:
        return case.youth.age_on(day) >= 14
    if any(word in text for word in ("NAV", "sommerjobb", "CV", "praksisplass")):
        return case.youth.age_on(day) >= 15
    return True


def _ordered(areas: list[str]) -> list[str]:
    order = list(Area.values)
    return sorted(set(areas), key=order.index)


def _place(rng: random.Random, where: Where, case: Case, kind: str, day: datetime.date) -> tuple[str, str]:
    """The place for the note, and a life area it adds (an appointment's)."""
    places = names.PLACES[where.district]
    if kind in places:
        return rng.choice(places[kind]), ""
    if kind == "club":
        return where.club, ""
    if kind == "nav":
        return where.nav, ""
    if kind == "school":
        return (case.youth.school.name if case.youth.school else "skolen"), ""
    if kind == "appointment":
        what, place, area = rng.choice([item for item in APPOINTMENTS if _fits(item[0], case, where, day)])
        label = {"health": where.health, "nav": where.nav, "bup": "BUP Oslo"}.get(place, "")
        if place == "dentist":
            label = f"Tannklinikken på {rng.choice(places['centre'])}"
        return f"{what} ({label})", area
    if kind == "home":
        return "Hjemme hos familien", ""
    if kind == "car":
        return "I bilen", ""
    return "", ""


def _place_label(opener: Opener, place: str) -> str:
    """The place field: the appointment's place without the what."""
    if opener.place == "appointment" and "(" in place:
        return place.split("(", 1)[1].rstrip(")")
    return place


def _edited_contact(rows: list[dict[str, Any]], contacts: list[Contact]) -> None:
    """One contact per district was corrected after it was logged (a sentence added), so the
    version history has something to show. The version is moved to 2 only once: a later edit
    made in the demo is not undone."""
    for row, contact in zip(rows, contacts, strict=True):
        if row["group_id"] is None and row["task"] == "" and ". " in row["text"]:
            if row["followup"].state != State.ACTIVE or row["kind"] in (Kind.SMS, Kind.PHONE):
                continue
            first_sentence = row["text"].split(". ", 1)[0] + "."
            before = {name: _json(row[name]) for name in CONTACT_FIELDS}
            before["text"] = first_sentence
            Contact.objects.filter(pk=contact.pk, version=1).update(version=2)
            upsert(
                ContactVersion,
                [
                    {
                        "contact": contact,
                        "version": 1,
                        "changed_by": row["author"],
                        "changed_fields": ["text"],
                        "data": before,
                    }
                ],
                key=("contact", "version"),
            )
            return


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# ---------------------------------------------------------------------------------------------
# Offences, criminal-justice steps, reporting dates

OFFENCE_KINDS: dict[str, int] = {
    Offence.Kind.THEFT: 25,
    Offence.Kind.VANDALISM: 15,
    Offence.Kind.VIOLENCE: 14,
    Offence.Kind.THREATS: 12,
    Offence.Kind.DRUGS: 12,
    Offence.Kind.ROBBERY: 8,
    Offence.Kind.WEAPONS: 8,
    Offence.Kind.TRAFFIC: 6,
}
OFFENCE_TEXTS: dict[str, tuple[str, ...]] = {
    Offence.Kind.THEFT: (
        "Butikktyveri på {centre}: energidrikk og snacks for 289 kr. Stanset av vekter.",
        "Tyveri av sykkel utenfor {station}, sammen med en eldre kamerat.",
        "Butikktyveri av klær på {centre}, verdi ca. 1 200 kr.",
    ),
    Offence.Kind.VANDALISM: (
        "Tagging på busskur og vegg ved {station}.",
        "Knuste rute i inngangsdøren på {centre} en lørdagskveld.",
    ),
    Offence.Kind.VIOLENCE: (
        "Slag mot en jevnaldrende utenfor {centre}. Fornærmede fikk hevelse i ansiktet, ingen varig skade.",
        "Slåsskamp ved {station} etter en konflikt mellom ungdomsgrupper fra to bydeler.",
    ),
    Offence.Kind.THREATS: (
        "Trusler mot en annen ungdom på Snapchat etter en konflikt i friminuttet.",
        "Truet en vekter på {centre} da han ble bortvist.",
    ),
    Offence.Kind.DRUGS: (
        "Besittelse av 2 gram hasj ved kontroll ved {station}.",
        "Bruk av cannabis, påtruffet av politiet ved {walk} en fredagskveld.",
    ),
    Offence.Kind.ROBBERY: ("Ran av mobiltelefon og jakke fra en 15-åring ved {station}, sammen med to andre.",),
    Offence.Kind.WEAPONS: ("Bar foldekniv ved kontroll utenfor {centre} en fredagskveld.",),
    Offence.Kind.TRAFFIC: ("Kjørte moped uten førerkort på gang- og sykkelvei ved {walk}.",),
}

JUSTICE_NOTES: dict[str, str] = {
    JusticeStep.Kind.YOUTH_SENTENCE: (
        "Ungdomsstraff i 12 måneder, idømt i Oslo tingrett. Ungdomsplanen ble laget i ungdomsstormøte i "
        "Konfliktrådet med {name}, {parent}, oppfølger, skolen og politiet. Konfliktrådets ungdomskoordinator "
        "følger opp; planen har skolegang, fritidsjobb og samtaler om konflikthåndtering."
    ),
    JusticeStep.Kind.FAST_TRACK: (
        "Hurtigsporet for unge under 18: politiet sendte saken til Konfliktrådet få dager etter anmeldelsen. "
        "Oppstartsmøte for ungdomsoppfølging i Konfliktrådet er avtalt; oppfølger deltar sammen med {name} og {parent}."
    ),
    JusticeStep.Kind.REPORTING_DUTY: (
        "Meldeplikt i stedet for varetekt (straffeprosessloven § 181): {name} skal møte på {station} hver "
        "torsdag kl. 14.00 i seks uker. Oppfølger minner {name} på det dagen før."
    ),
}


def build_offences(demo: Demo) -> None:
    """Offences for about a third of the youths in follow-up, registered by the district's police
    contact; in the demo district, a youth with repeated crime and three criminal-justice steps."""
    offences: list[dict[str, Any]] = []
    steps: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    references: set[str] = set()
    for plan in FULL_DISTRICTS:
        number = plan.number
        cases = demo.cases[number]
        police = demo.staff[number].police_contact
        places = names.PLACES[demo.districts[number].name]
        rng = demo.rng("offences", number)
        cases = [case for case in cases if TURNING_18 not in case.tags]  # no offences in their story
        featured = [case for case in cases if case.tags & {"repeated", "reporting", "sentence", "fast_track"}]
        others = [case for case in cases if case not in featured and case.youth.age_on(DEMO_TODAY) >= 13]
        chosen = featured + rng.sample(others, min(len(others), max(0, round(len(cases) / 3) - len(featured))))
        for case in chosen:
            youth_rng = demo.rng("offences", case.youth.national_id)
            for committed_on, kind in _offence_dates(youth_rng, case):
                reference = _reference(youth_rng, references)
                text = youth_rng.choice(OFFENCE_TEXTS[kind]).format(
                    centre=youth_rng.choice(places["centre"]),
                    station=youth_rng.choice(places["station"]),
                    walk=youth_rng.choice(places["walk"]),
                )
                offences.append(
                    {
                        "youth": case.youth,
                        "committed_on": committed_on,
                        "kind": kind,
                        "police_reference": reference,
                        "description": text,
                        "registered_by": police,
                        "unit": demo.units[number].police,
                    }
                )
                case.offences.append(committed_on)
            case.offences.sort()
        steps += _justice_steps(demo, number, cases)
    upsert(
        Offence,
        offences,
        key=("youth", "police_reference"),
        check=lambda offence: past_date_check(field="committed_on", day=offence.committed_on, today=DEMO_TODAY),
    )
    for row, step_dates in steps:
        reporting_dates_check(step=JusticeStep(**row), count=len(step_dates))
    saved = upsert(JusticeStep, [row for row, _ in steps], key=("youth", "kind", "starts_on"))
    dates = [{**row, "step": step} for step, (_, step_dates) in zip(saved, steps, strict=True) for row in step_dates]
    upsert(ReportingDate, dates, key=("step", "due_at"))
    demo.say(f"Offences: {len(offences)}, criminal-justice steps: {len(saved)}, reporting dates: {len(dates)}")


def _offence_dates(rng: random.Random, case: Case) -> list[tuple[datetime.date, str]]:
    """When and what. Repeated crime: three in 2025 and five in 2026 (four or more in a year)."""
    youth = case.youth
    earliest = max(datetime.date(2025, 1, 1), birthday(youth.birth_date, 13))
    latest = DEMO_TODAY - datetime.timedelta(days=3)
    if "repeated" in case.tags:
        spans = [(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))] * 3 + [
            (datetime.date(2026, 1, 1), latest)
        ] * 5
        kinds: list[str] = [Offence.Kind.THEFT, Offence.Kind.VANDALISM, Offence.Kind.THEFT]
        kinds += [
            Offence.Kind.THREATS,
            Offence.Kind.THEFT,
            Offence.Kind.VIOLENCE,
            Offence.Kind.DRUGS,
            Offence.Kind.ROBBERY,
        ]
    elif "fast_track" in case.tags:
        spans = [(DEMO_TODAY - datetime.timedelta(days=60), DEMO_TODAY - datetime.timedelta(days=50))]
        kinds = [Offence.Kind.VIOLENCE]
    elif "sentence" in case.tags:
        spans = [(earliest, datetime.date(2025, 12, 31)), (datetime.date(2026, 2, 1), datetime.date(2026, 3, 31))]
        kinds = [Offence.Kind.THEFT, Offence.Kind.ROBBERY]
    elif "reporting" in case.tags:
        spans = [
            (DEMO_TODAY - datetime.timedelta(days=150), DEMO_TODAY - datetime.timedelta(days=90)),
            (DEMO_TODAY - datetime.timedelta(days=40), DEMO_TODAY - datetime.timedelta(days=25)),
        ]
        kinds = [Offence.Kind.DRUGS, Offence.Kind.WEAPONS]
    else:
        count = rng.randint(1, 3)
        spans = [(earliest, latest)] * count
        kinds = [_weighted(rng, OFFENCE_KINDS) for _ in range(count)]
    dates: list[tuple[datetime.date, str]] = []
    for (low, high), kind in zip(spans, kinds, strict=True):
        low = max(low, earliest)
        dates.append((low + datetime.timedelta(days=rng.randint(0, max(0, (high - low).days))), kind))
    return dates


def _reference(rng: random.Random, taken: set[str]) -> str:
    """A police reference of eight digits, as the police's case numbers look (15123456)."""
    while True:
        reference = f"{rng.randint(14, 16)}{rng.randint(0, 999_999):06d}"
        if reference not in taken:
            taken.add(reference)
            return reference


def _justice_steps(demo: Demo, number: int, cases: list[Case]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The demo district's youth sentence, fast track and duty to report (with six weekly dates)."""
    police = demo.staff[number].police_contact
    police_unit = demo.units[number].police
    station = names.POLICE_STATIONS[demo.districts[number].name]
    steps: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for case in cases:
        if "sentence" in case.tags:
            starts_on = datetime.date(2026, 6, 24)
            row: dict[str, Any] = {
                "kind": JusticeStep.Kind.YOUTH_SENTENCE,
                "starts_on": starts_on,
                "ends_on": datetime.date(2027, 6, 23),
            }
            registered_by = case.lead_on(starts_on)
            unit = case.saved().unit
            dates: list[dict[str, Any]] = []
        elif "fast_track" in case.tags:
            starts_on = DEMO_TODAY - datetime.timedelta(days=42)
            row = {"kind": JusticeStep.Kind.FAST_TRACK, "starts_on": starts_on, "ends_on": None}
            registered_by = police
            unit = police_unit
            dates = []
        elif "reporting" in case.tags:
            # Thursdays at 14.00: three before DEMO_TODAY (one missed) and three after.
            thursday = DEMO_TODAY + datetime.timedelta(days=(3 - DEMO_TODAY.weekday()) % 7 or 7)
            days = [thursday + datetime.timedelta(weeks=week) for week in range(-3, 3)]
            row = {"kind": JusticeStep.Kind.REPORTING_DUTY, "starts_on": days[0], "ends_on": days[-1]}
            registered_by = police
            unit = police_unit
            dates = []
            for index, day in enumerate(days):
                due_at = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=OSLO)
                past = day < DEMO_TODAY
                dates.append(
                    {
                        "due_at": due_at,
                        "place": station,
                        "reminded_at": due_at - datetime.timedelta(days=1) if past else None,
                        "attended": (index != 1) if past else None,
                    }
                )
        else:
            continue
        note = case.fill(JUSTICE_NOTES[row["kind"]], station=station)
        steps.append(({**row, "youth": case.youth, "note": note, "registered_by": registered_by, "unit": unit}, dates))
    return steps


# ---------------------------------------------------------------------------------------------
# Outcome measures

SUBSTANCE_LEVELS = (
    OutcomeMeasure.SubstanceUse.NONE,
    OutcomeMeasure.SubstanceUse.SOME,
    OutcomeMeasure.SubstanceUse.FREQUENT,
)


def build_outcomes(demo: Demo) -> None:
    """At the start, every 3 months, and at the end: most youths do better over time."""
    rows: list[dict[str, Any]] = []
    for plan in FULL_DISTRICTS:
        for case in demo.cases[plan.number]:
            if case.started_on is not None:
                rows += _outcomes_of(demo.rng("outcomes", case.youth.national_id), case)
    upsert(
        OutcomeMeasure,
        rows,
        key=("followup", "phase", "measured_on"),
        check=lambda measure: past_date_check(field="measured_on", day=measure.measured_on, today=DEMO_TODAY),
    )
    demo.say(f"Outcome measures: {len(rows)}")


def _outcomes_of(rng: random.Random, case: Case) -> list[dict[str, Any]]:
    assert case.started_on is not None
    youth = case.youth
    improving = rng.random() < 0.8
    last = case.ended_on - DAY if case.ended_on else DEMO_TODAY
    points: list[tuple[str, datetime.date]] = [(OutcomeMeasure.Phase.START, case.started_on)]
    quarter = 1
    while (day := add_months(case.started_on, 3 * quarter)) <= last:
        points.append((OutcomeMeasure.Phase.QUARTERLY, day))
        quarter += 1
    if case.ended_on is not None:
        points.append((OutcomeMeasure.Phase.END, case.ended_on))

    attendance = rng.randint(35, 75)
    substance = _weighted(rng, {2: 30, 1: 40, 0: 25, -1: 5})  # -1: unknown
    activity = rng.random() < 0.2
    rows = []
    previous_day = add_months(case.started_on, -3)
    previous_attendance: int | None = None
    for index, (phase, day) in enumerate(points):
        if index:
            if improving:
                attendance = min(98, attendance + rng.randint(4, 15))
                if substance > 0 and rng.random() < 0.6:
                    substance -= 1
                activity = activity or rng.random() < 0.6
            else:
                attendance = max(10, attendance + rng.randint(-10, 4))
                if 0 <= substance < 2 and rng.random() < 0.3:
                    substance += 1
        if index == 0:
            occupation = _occupation(rng, youth.age_on(day))
        elif improving and occupation == OutcomeMeasure.Occupation.NEITHER:
            occupation = OutcomeMeasure.Occupation.TRAINING
        in_school = occupation in (OutcomeMeasure.Occupation.SCHOOL, OutcomeMeasure.Occupation.BOTH)
        offences = sum(previous_day < committed <= day for committed in case.offences)
        if phase == OutcomeMeasure.Phase.START:
            note = case.fill("Kartlagt i oppstartsmøtet sammen med {name} og foresatte.")
        elif phase == OutcomeMeasure.Phase.END:
            note = case.fill("Sluttmåling i avslutningssamtalen med {name}.")
        elif previous_attendance is not None and attendance > previous_attendance:
            note = f"Oppmøtet på skolen har økt fra {previous_attendance} % til {attendance} %."
        else:
            note = "Lite endring siden forrige måling; tatt opp i lagmøtet."
        rows.append(
            {
                "followup": case.saved(),
                "measured_on": day,
                "phase": phase,
                "school_attendance": attendance if in_school else None,
                "offences_last_period": offences,
                "substance_use": SUBSTANCE_LEVELS[substance] if substance >= 0 else OutcomeMeasure.SubstanceUse.UNKNOWN,
                "organised_activity": activity,
                "occupation": occupation,
                "note": note,
                "recorded_by": case.lead_on(day),
            }
        )
        previous_day = day
        previous_attendance = attendance if in_school else None
    return rows


def _occupation(rng: random.Random, age: int) -> str:
    """In school until 16; after that most still are, some in training or work, some outside both
    (they move into training as the follow-up goes well)."""
    if age < 16:
        return OutcomeMeasure.Occupation.SCHOOL
    return _weighted(
        rng,
        {
            OutcomeMeasure.Occupation.SCHOOL: 60,
            OutcomeMeasure.Occupation.BOTH: 8,
            OutcomeMeasure.Occupation.TRAINING: 10,
            OutcomeMeasure.Occupation.NEITHER: 22,
        },
    )
