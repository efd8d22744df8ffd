"""Turning 18 in the demo (issue 14): five youths of the demo district (Bjerke) near their 18th
birthday, with the transition checklist in different states, a handover meeting planned, and
one youth whose handover is done.

How far from 18 each is, counted from DEMO_TODAY (a few days either way, from the step's own
stream), and what the demo shows of each:
- 11 months: the checklist is just due; one point settled (school or work after 18);
- 5 months: aftercare discussed (the youth has not decided yet), school or work and housing
  settled, adult health services marked as not applying, the rest open;
- 2 months: most points settled: aftercare (the youth wants it), NAV with a named contact,
  school or work, housing, and lead responsibility handed over to a contact person in
  barnevern's aftercare; adult health services still open and overdue (settle by 3 months);
- 2 weeks: every point settled but housing (overdue), the consent point by a consent from the
  youth alone that starts on the 18th birthday, and a handover meeting about turning 18 planned
  before the birthday with the receiving services' people (barnevern's aftercare, NAV);
- turned 18 last month: every point settled before the birthday, the handover meeting held
  with approved minutes, the follow-up closed on the birthday (turned_18) and the team moved
  the way teams.transition.services.transition_followup_closed moves it: the receiving
  caseworker joined with lead responsibility, the follow-up service's staff and the guardians
  (no longer told after 18) left.

Who sees them: the leader login (Tariq Mahmood) has all five in the unit; the coordinator login
(Camilla Nordby) leads the youth two weeks from 18 and is coordinator of all; the family
follower login (Jonas Bråten) works with the family of the youth two months from 18; the
barnevern caseworker login (Ingrid Solberg) takes over lead responsibility of the youth two
weeks from 18 and holds it for the one who turned 18. The demo follower (Amina Warsame) already
follows the five youths a follower may have, so none of these.

The youths and their families are made by `build_turning_18_families`, right after the other
families, from a stream of their own (and kept out of `demo.youths`), so every other youth of
the demo stays who they were; demo/followups.py gives them their follow-ups (tag turning_18),
and the later steps their contacts, teams, consents, meetings and plans as for anyone.

`build_transition_teams`, right after the teams step (so the meetings and plans after it see
the teams as they are, and a second run finds the same), moves the teams as the services do:
the person named to take over lead responsibility after 18 joins the team on the day the lead
point was settled (transition_point_settle), and for the youth who turned 18 the lead passes
and the follow-up service's staff leave on the birthday (transition_followup_closed).

`build_transition`, the last step, writes the checklists in bulk after the rules the services
keep, in their own functions: each settled point teams.transition.services.transition_point_check
(how it was settled, the aftercare answer, the named contact, the lead's service within its age
limit and its person with a role there), a point not applying with its reason (as
transition_point_not_applicable asks), the consent point never settled by hand (it is settled
by the consent, consent.services.consent_version_check with the age rule "adult"), and who
settled each point a staff member of the youth's team that day (teams.policy.may_change_plan's
rule, asked of the day: the team rows are the history). The meetings go through
demo/meetings.py's save (meeting_plan's, participant_add's and minutes_approve's checks), the
team rows through teams.services.team_member_check, and access through
teams.policy.team_access_sync, as everywhere in the demo. Each point is dated when it was
settled, not when the demo is built.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Guardianship, Youth
from consent.models import ConsentVersion
from core.dates import OSLO, add_months
from core.models import User
from org.models import Unit
from teams.meetings.minutes_template import headings_for
from teams.models import Meeting, MeetingKind, Minutes, TeamMember, TransitionItem, TransitionPoint
from teams.policy import team_access_sync
from teams.services import team_member_check
from teams.transition.services import ROLE_BY_UNIT_KIND, transition_point_check

from . import consents, meetings, names
from .builders import (
    DEMO_DISTRICT,
    Demo,
    FamilyPlan,
    _household,
    _school_and_address,
    _weighted,
    national_id_for,
    save_households,
    upsert,
)
from .followups import DAY, DEMO_TODAY, TURNING_18, Case

Point = TransitionPoint
State = TransitionItem.State
Answer = TransitionItem.AftercareAnswer
Outcome = TransitionItem.LeadOutcome
Kind = TeamMember.Kind
Role = TeamMember.Role

# How far from the 18th birthday each youth is on DEMO_TODAY, the closest first (the order the
# follow-ups step gives out leads in): months (None: half a month, two weeks), a negative number
# for a birthday past.
HALF_MONTH, TWO_MONTHS, FIVE_MONTHS, ELEVEN_MONTHS, TURNED = "0.5", "2", "5", "11", "turned"
MONTHS: dict[str, int | None] = {HALF_MONTH: None, TWO_MONTHS: 2, FIVE_MONTHS: 5, ELEVEN_MONTHS: 11, TURNED: -1}
JITTER_DAYS = 5
ADULT_PURPOSE = "Samarbeid etter 18 år"
ADULT_CATEGORIES = ("barnevern", "family", "health", "identity_contact", "school")
HANDOVER_AGENDA = (
    "1. Velkommen og hvem som tar over\n2. Sjekklisten for overgangen til 18 år, punkt for punkt\n"
    "3. Hva {name} selv ønsker\n4. Samtykke etter 18 år\n5. Hvem har hovedansvaret fra bursdagen"
)
LEAVING_REASON = "Oppfølgingen i {unit} ble avsluttet ved 18 år; hovedansvaret er gitt videre til {name} i {to}."
GUARDIAN_REASON = "{name} fylte 18 år: foresatte får ikke lenger vite noe uten {name}s samtykke."
TAKES_OVER = "Tar over hovedansvaret etter 18 år."
TOOK_OVER = "Tok over hovedansvaret."
PASSED = "Ga hovedansvaret videre til {name}."


@dataclass(frozen=True)
class Settled:
    """One point of a checklist as the demo settles it (`reason` alone: it does not apply)."""

    point: str
    days_before: int  # settled this many days before DEMO_TODAY (or before the birthday, TURNED)
    how: str
    answer: str = ""
    contact: str = ""  # "nav": the district's NAV advisor; other text as written
    unit: str = ""  # "nav", "barnevern"
    lead_outcome: str = ""
    receiver: int | None = None  # which of the district's barnevern caseworkers takes over the lead
    not_applicable: bool = False


CHECKLISTS: dict[str, tuple[Settled, ...]] = {
    ELEVEN_MONTHS: (
        Settled(Point.SCHOOL_WORK, 9, "{name} går Vg2 elektro og vil søke læreplass fra høsten neste år."),
    ),
    FIVE_MONTHS: (
        Settled(
            Point.AFTERCARE,
            41,
            "Snakket med {name} og kontaktpersonen i barnevernet om ettervern. {name} vil tenke på det til jul.",
            answer=Answer.UNDECIDED,
        ),
        Settled(Point.SCHOOL_WORK, 33, "{name} fullfører Vg3 til sommeren og har fått lærlingplass i august."),
        Settled(Point.HOUSING, 20, "{name} bor hjemme ut skoleåret; søknad om startlån er ikke aktuelt nå."),
        Settled(
            Point.HEALTH,
            20,
            "{name} har fastlege og ingen oppfølging i helsetjenesten som må overføres.",
            not_applicable=True,
        ),
    ),
    TWO_MONTHS: (
        Settled(
            Point.AFTERCARE,
            75,
            "{name} vil ha ettervern: hjelp til bolig og en fast kontakt i barnevernet til 25 år.",
            answer=Answer.WANTS,
        ),
        Settled(Point.NAV, 30, "Møte hos NAV med {name}; fast veileder i ungdomsteamet.", contact="nav", unit="nav"),
        Settled(Point.SCHOOL_WORK, 44, "{name} går på arbeidstrening gjennom NAV og vil fullføre Vg2 som privatist."),
        Settled(Point.HOUSING, 23, "{name} har fått tilbud om treningsbolig fra barnevernet fra februar."),
        Settled(
            Point.LEAD,
            16,
            "Kontaktpersonen i barnevernet tar over hovedansvaret fra 18-årsdagen, som ettervern.",
            unit="barnevern",
            lead_outcome=Outcome.HANDED_OVER,
            receiver=1,
        ),
    ),
    HALF_MONTH: (
        Settled(
            Point.AFTERCARE,
            96,
            "{name} har takket ja til ettervern og vet at tilbudet gjelder til 25 år.",
            answer=Answer.WANTS,
        ),
        Settled(
            Point.NAV,
            58,
            "{name} har fast veileder i NAV ungdomsteam og møter annenhver uke.",
            contact="nav",
            unit="nav",
        ),
        Settled(
            Point.HEALTH,
            40,
            "Fastlegen følger opp videre; {name} har fått time i januar.",
            contact="Fastlege Kari Holm, Linderud legesenter",
        ),
        Settled(Point.SCHOOL_WORK, 64, "{name} har lærlingkontrakt som elektriker fra januar."),
        Settled(
            Point.LEAD,
            12,
            "Barnevernets kontaktperson for ettervern tar over hovedansvaret på 18-årsdagen.",
            unit="barnevern",
            lead_outcome=Outcome.HANDED_OVER,
            receiver=0,
        ),
    ),
    TURNED: (
        Settled(
            Point.AFTERCARE,
            120,
            "{name} har takket ja til ettervern med hjelp til bolig og økonomi.",
            answer=Answer.WANTS,
        ),
        Settled(Point.NAV, 70, "{name} har fast veileder i NAV ungdomsteam.", contact="nav", unit="nav"),
        Settled(
            Point.HEALTH,
            60,
            "Helsestasjon for ungdom følger opp til 23 år; {name} har fastlege.",
            contact="Helsesykepleier ved Helsestasjon for ungdom Bjerke",
        ),
        Settled(Point.HOUSING, 45, "{name} flytter i treningsbolig fra barnevernet etter bursdagen."),
        Settled(Point.SCHOOL_WORK, 80, "{name} fortsetter på Vg3 byggfag og har sommerjobb avtalt."),
        Settled(
            Point.LEAD,
            21,
            "Barnevernets kontaktperson for ettervern tar over hovedansvaret på 18-årsdagen.",
            unit="barnevern",
            lead_outcome=Outcome.HANDED_OVER,
            receiver=0,
        ),
    ),
}
# The handover meeting: held this many days before the birthday (TURNED), or planned in the days
# after the demo is shown from and before the birthday (HALF_MONTH).
HELD_DAYS_BEFORE = 18
# What the minutes of the held handover meeting say under each heading (any other heading: GENERIC).
MINUTES: dict[str, str] = {
    "aftercare": "{name} har takket ja til ettervern. Barnevernets kontaktperson følger opp bolig og økonomi.",
    "nav": "NAV ungdomsteam ved {nav} er fast veileder fra bursdagen.",
    "health": "Helsesykepleier ved helsestasjonen for ungdom følger opp; {name} har fastlege.",
    "housing": "Treningsbolig fra barnevernet fra måneden etter bursdagen.",
    "school_work": "Vg3 byggfag; sommerjobb avtalt.",
    "consent": "{name} har gitt nytt samtykke selv, som gjelder fra 18-årsdagen. Foresatte får ikke vite mer uten "
    "at {name} sier ja.",
    "lead": "Hovedansvaret går fra én-til-én-oppfølgingen til {receiver} i barnevernet på 18-årsdagen.",
    "youth_view": "{name} sier at det er fint å vite hvem som skal følge opp, og vil beholde kontakten med NAV.",
    "next_steps": "Oppfølgingen avsluttes på bursdagen. Første møte med ettervernet er avtalt uken etter.",
}
GENERIC = "Gått gjennom i møtet sammen med {name}."


# ---------------------------------------------------------------------------------------------
# The youths and their families


def _birthdays(rng: random.Random) -> dict[str, datetime.date]:
    """Each youth's 18th birthday, by how far it is from DEMO_TODAY."""
    found = {}
    for label, months in MONTHS.items():
        if months is None:
            found[label] = DEMO_TODAY + DAY * rng.randint(13, 17)
        else:
            found[label] = add_months(DEMO_TODAY, months) + DAY * rng.randint(-JITTER_DAYS, JITTER_DAYS)
    return found


def _family_plan(rng: random.Random, used: set[str]) -> FamilyPlan:
    origin = _weighted(rng, names.ORIGIN_WEIGHTS)
    free = [name for name in names.LAST_NAMES[origin] if name not in used]
    if not free:
        origin = names.NORWEGIAN
        free = [name for name in names.LAST_NAMES[origin] if name not in used]
    surname = rng.choice(free)
    used.add(surname)
    return FamilyPlan(
        origin=origin,
        surname=surname,
        ages=[17],
        younger_siblings=_weighted(rng, {0: 50, 1: 35, 2: 15}),
        two_guardians=rng.random() < 0.7,
    )


def build_turning_18_families(demo: Demo) -> None:
    """The five youths near 18 in the demo district, each in a family of their own: planned as
    every other family (builders._household), then born on the day that puts the 18th birthday
    where it should be, with an identity number to match."""
    district = demo.districts[DEMO_DISTRICT]
    rng = demo.rng("turning-18", DEMO_DISTRICT)
    used = {family.name.removeprefix("Familien ") for family in demo.families[DEMO_DISTRICT]}
    households = []
    birthdays = _birthdays(rng)
    for birthday in birthdays.values():
        household = _household(demo, rng, district, _family_plan(rng, used))
        row = household.youths[0]
        born = add_months(birthday, -12 * 18)
        male = int(row["national_id"][8]) % 2 == 1  # the individual number's parity: the registered sex
        demo.national_ids.discard(row["national_id"])
        row["birth_date"] = born
        row["national_id"] = national_id_for(demo, rng, born, male=male, d_number=False)
        households.append(household)
    _school_and_address(demo, district, households, demo.rng("addresses", "turning-18", DEMO_DISTRICT))
    _, youths, _ = save_households(district, households)
    demo.turning_18 = dict(zip(birthdays, youths, strict=True))
    demo.say(f"Youths near 18: {len(youths)}")


# ---------------------------------------------------------------------------------------------
# The checklists


@dataclass
class ItemPlan:
    case: Case
    settled: Settled
    by: User
    at: datetime.datetime
    unit: Unit | None
    contact: str
    lead_user: User | None


def _settled_at(case: Case, settled: Settled, label: str) -> datetime.datetime:
    anchor = case.youth.eighteenth_birthday if label == TURNED else DEMO_TODAY
    day = meetings._weekday(anchor - DAY * settled.days_before, back=True)
    return datetime.datetime.combine(day, datetime.time(14, 30), OSLO)


def _item_plans(demo: Demo, label: str, case: Case) -> list[ItemPlan]:
    units, staff = demo.units[DEMO_DISTRICT], demo.staff[DEMO_DISTRICT]
    nav_advisor = staff.others[0]
    plans = []
    for settled in CHECKLISTS[label]:
        at = _settled_at(case, settled, label)
        unit = {"nav": units.nav, "barnevern": units.barnevern}.get(settled.unit)
        contact = nav_advisor.full_name if settled.contact == "nav" else settled.contact
        receiver = staff.caseworkers[settled.receiver] if settled.receiver is not None else None
        by = case.lead_on(at.astimezone(OSLO).date())
        plans.append(ItemPlan(case, settled, by, at, unit, contact, receiver))
    return plans


def _check_item(plan: ItemPlan, members: list[TeamMember]) -> None:
    """The rules transition_point_settle and transition_point_not_applicable keep, in the
    service's own check; and who settled it was a staff member of the youth's team that day."""
    settled, youth = plan.settled, plan.case.youth
    if settled.not_applicable:
        if not settled.how.strip():
            raise ValidationError({"how": "Write why the point does not apply."})
    else:
        transition_point_check(
            youth=youth,
            point=settled.point,
            how=plan.case.fill(settled.how),
            aftercare_answer=settled.answer,
            contact_name=plan.contact,
            unit=plan.unit,
            lead_outcome=settled.lead_outcome,
            lead_user=plan.lead_user,
        )
    day = plan.at.astimezone(OSLO).date()
    if not any(
        m.kind == Kind.STAFF
        and m.user_id == plan.by.pk
        and m.starts_on <= day
        and (m.ends_on is None or m.ends_on > day)
        for m in members
    ):
        raise PermissionDenied(
            f"{plan.by} was not in the team of {youth} on {day} and could not settle {settled.point}."
        )


def _item_row(plan: ItemPlan) -> dict[str, Any]:
    settled = plan.settled
    applies = not settled.not_applicable
    return {
        "youth": plan.case.youth,
        "point": settled.point,
        "state": State.SETTLED if applies else State.NOT_APPLICABLE,
        "how": plan.case.fill(settled.how),
        "aftercare_answer": settled.answer if applies and settled.point == Point.AFTERCARE else "",
        "contact_name": plan.contact if applies and settled.point in (Point.NAV, Point.HEALTH) else "",
        "unit": plan.unit if applies else None,
        "lead_outcome": settled.lead_outcome if applies else "",
        "lead_user": plan.lead_user if applies else None,
        "settled_by": plan.by,
        "settled_at": plan.at,
        "changed_by": plan.by,
        "changed_at": plan.at,
    }


# ---------------------------------------------------------------------------------------------
# The consent from the youth alone


def _adult_consent(demo: Demo, case: Case, given_on: datetime.date) -> consents.ConsentPlan:
    """A consent given by the youth alone, starting on the 18th birthday, to barnevern's
    aftercare, NAV and the follow-up service: the age rule "adult" (consent_age_rule), which
    settles the consent point from the birthday (teams.transition.selectors.youth_consents)."""
    units = demo.units[DEMO_DISTRICT]
    youth = case.youth
    birthday = youth.eighteenth_birthday
    at = datetime.datetime.combine(given_on, datetime.time(13, 0), OSLO)
    version = consents.VersionPlan(
        number=1,
        event=ConsentVersion.Event.RECORDED,
        categories=sorted(ADULT_CATEGORIES),
        units=[units.barnevern, units.nav, units.followup],
        valid_from=birthday,
        valid_to=birthday + consents.VALID_DAYS * DAY,
        age_rule=ConsentVersion.AgeRule.ADULT,
        at=at,
        by=case.lead_on(given_on),
        written=False,
        youth_answer=consents.GIVEN,
        guardian_answers=[],
    )
    return consents.ConsentPlan(
        case=None, state=consents.IN_FORCE, versions=[version], youth=youth, purpose=ADULT_PURPOSE
    )


# ---------------------------------------------------------------------------------------------
# The team of the youth who turned 18, and the handover meetings


def _row(youth: Youth, kind: str, role: str, starts_on: datetime.date, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "youth": youth,
        "kind": kind,
        "role": role,
        "note": "",
        "user": None,
        "unit": None,
        "guardian": None,
        "external_name": "",
        "external_organisation": "",
        "external_phone": "",
        "external_email": "",
        "is_lead": False,
        "starts_on": starts_on,
        "ends_on": None,
        "added_by": None,
        "ended_by": None,
        "end_reason": "",
    }
    return base | fields


def _receiver_joins(lead_point: ItemPlan, members: list[TeamMember]) -> dict[str, Any] | None:
    """As transition_point_settle has it (teams.transition.services._receiver_joins): the person
    named to hold lead responsibility after 18 joins the team, as staff of their service and not
    yet its lead, on the day the lead point is settled, unless already in it."""
    receiver, unit = lead_point.lead_user, lead_point.unit
    if receiver is None or unit is None or lead_point.settled.lead_outcome != Outcome.HANDED_OVER:
        return None
    if any(m.kind == Kind.STAFF and m.user_id == receiver.pk and m.ends_on is None for m in members):
        return None
    return _row(
        lead_point.case.youth,
        Kind.STAFF,
        ROLE_BY_UNIT_KIND.get(unit.kind, Role.FOLLOWER),
        lead_point.at.astimezone(OSLO).date(),
        user=receiver,
        unit=unit,
        note=TAKES_OVER,
        added_by=lead_point.by,
    )


def _turned_team(demo: Demo, case: Case, lead_point: ItemPlan) -> list[dict[str, Any]]:
    """The team of the youth who turned 18, as it was and as it is: the follower (lead), the
    coordinator, the youth and the guardians from the intake decision; the receiving caseworker
    from the day the lead point was settled; and on the day the follow-up closed (the 18th
    birthday), as transition_followup_closed moves it: lead responsibility passed to the
    caseworker (team_lead_transfer: both rows end and start again), the follow-up service's
    staff left (team_member_end, with the reason), and the guardians, no longer told, too."""
    units = demo.units[DEMO_DISTRICT]
    youth, ended = case.youth, case.ended_on
    receiver = lead_point.lead_user
    assert ended is not None
    assert receiver is not None
    follower = case.leads[0].user
    name = youth.preferred_name or youth.first_name
    leaving = LEAVING_REASON.format(unit=units.followup.name, name=receiver.full_name, to=units.barnevern.name)
    joined = _receiver_joins(lead_point, [])
    assert joined is not None
    start = case.decided_on
    by = {"added_by": case.coordinator}
    gone = {"ends_on": ended, "ended_by": follower, "end_reason": leaving}
    rows = [
        _row(youth, Kind.STAFF, Role.FOLLOWER, start, user=follower, unit=units.followup, is_lead=True, **by)
        | {"ends_on": ended, "ended_by": follower, "end_reason": PASSED.format(name=receiver.full_name)},
        _row(youth, Kind.STAFF, Role.FOLLOWER, ended, user=follower, unit=units.followup, added_by=follower) | gone,
        _row(youth, Kind.YOUTH, Role.YOUTH, start, **by),
        joined | {"ends_on": ended, "ended_by": follower, "end_reason": TOOK_OVER},
        _row(youth, Kind.STAFF, joined["role"], ended, user=receiver, unit=joined["unit"], note=TAKES_OVER)
        | {"is_lead": True, "added_by": follower},
    ]
    if case.coordinator != follower:
        coordinator = _row(youth, Kind.STAFF, Role.COORDINATOR, start, user=case.coordinator, unit=units.followup)
        rows.append(coordinator | by | gone)
    responsible = Guardianship.objects.filter(youth=youth, parental_responsibility=True).select_related("guardian")
    for guardianship in responsible.order_by("guardian_id"):
        guardian = _row(youth, Kind.GUARDIAN, Role.GUARDIAN, start, guardian=guardianship.guardian, **by)
        rows.append(guardian | gone | {"end_reason": GUARDIAN_REASON.format(name=name)})
    return rows


def _check_member(row: dict[str, Any]) -> None:
    """team_member_add's rules (the fields, clean() and teams.services.team_member_check)."""
    member = TeamMember(**row)
    member.full_clean(validate_unique=False, validate_constraints=False)
    team_member_check(youth=member.youth, member=member)


def _handover(demo: Demo, case: Case, label: str, receiver: User, members: list[TeamMember]) -> meetings.Plan:
    """The handover meeting about turning 18, organised by the follow-up service: the youth's team
    of the day and the receiving services' people (the caseworker who takes over lead
    responsibility, the NAV advisor); held with approved minutes for the youth who turned 18,
    planned for the one two weeks from it."""
    units, staff = demo.units[DEMO_DISTRICT], demo.staff[DEMO_DISTRICT]
    youth = case.youth
    rng = demo.rng("turning-18-meeting", youth.national_id)
    birthday = youth.eighteenth_birthday
    held = label == TURNED
    if held:
        day = meetings._weekday(birthday - DAY * HELD_DAYS_BEFORE, back=True)
    else:
        day = meetings._weekday(meetings.SHOWN_FROM + DAY * rng.randint(1, 3))
        if day >= birthday:
            raise ValidationError(f"The handover meeting of {youth} would be on or after the 18th birthday.")
    lead = case.lead_on(day)
    plan = meetings.Plan(
        uid=meetings._uid("turning-18", youth.national_id),
        kind=MeetingKind.HANDOVER,
        unit=units.followup,
        district=demo.districts[DEMO_DISTRICT],
        youth=youth,
        starts_at=meetings._at(day, 13),
        minutes_long=90,
        created_by=lead,
        title="Overføringsmøte ved 18 år",
        place=f"Bydel {demo.districts[DEMO_DISTRICT].name}, møterom 2",
        agenda=case.fill(HANDOVER_AGENDA),
        state=Meeting.State.HELD if held else Meeting.State.PLANNED,
        about_turning_18=True,
    )
    in_team = [m for m in meetings._members_on(members, day) if m.kind != Kind.GUARDIAN or day < birthday]
    participants = meetings._team_participants(rng, plan, in_team, lead=lead)
    invited = {row["user"].pk for row in participants if row.get("user") is not None}
    for user, unit in ((receiver, units.barnevern), (staff.others[0], units.nav)):
        if user.pk not in invited:
            present = True if held else None
            participants.append(meetings._participant_defaults(meetings._staff(user, unit, present=present)))
    plan.participants = participants
    if held:
        plan.minutes = _minutes(case, plan, receiver, staff.others[0])
    return plan


def _minutes(case: Case, plan: meetings.Plan, receiver: User, nav: User) -> meetings.MinutesPlan:
    author = case.lead_on(plan.day)
    sections = {
        heading.key: case.fill(MINUTES.get(heading.key, GENERIC), receiver=receiver.full_name, nav=nav.full_name)
        for heading in headings_for(MeetingKind.HANDOVER, turning_18=True)
    }
    saved = plan.ends_at + datetime.timedelta(hours=3)
    revision = meetings.Revision(1, 1, sections, "", author, saved)
    return meetings.MinutesPlan(
        Minutes.State.APPROVED, [revision], approved_at=saved + datetime.timedelta(hours=1), approved_by=author
    )


# ---------------------------------------------------------------------------------------------
# The step


def _labelled(demo: Demo) -> list[tuple[str, Case]]:
    """The youths near 18 with their follow-ups, in the order of demo.turning_18."""
    cases = {case.youth.pk: case for case in demo.cases.get(DEMO_DISTRICT, []) if TURNING_18 in case.tags}
    return [(label, cases[youth.pk]) for label, youth in demo.turning_18.items() if youth.pk in cases]


def _lead_point(demo: Demo, label: str, case: Case) -> ItemPlan | None:
    return next((plan for plan in _item_plans(demo, label, case) if plan.settled.point == Point.LEAD), None)


def build_transition_teams(demo: Demo) -> None:
    """Right after the teams step, so the meetings and plans of the later steps see the teams as
    they are: the person who takes over lead responsibility after 18 joins the team on the day
    the lead point was settled, and the team of the youth who turned 18 moves at the closing."""
    labelled = _labelled(demo)
    youths = [case.youth for _, case in labelled]
    members = _members(youths)
    rows: list[dict[str, Any]] = []
    for label, case in labelled:
        lead_point = _lead_point(demo, label, case)
        if lead_point is None:
            continue
        if label == TURNED:
            rows += _turned_team(demo, case, lead_point)
        elif (joined := _receiver_joins(lead_point, members.get(case.youth.pk, []))) is not None:
            rows.append(joined)
    for row in rows:
        _check_member(row)
    upsert(TeamMember, rows, key=("youth", "kind", "user", "guardian", "starts_on"))
    team_access_sync(youths=youths)


def build_transition(demo: Demo) -> None:
    """The checklists, the consents from the youth alone and the handover meetings (the last step)."""
    labelled = _labelled(demo)
    if not labelled:
        return
    members = _members([case.youth for _, case in labelled])
    planned = [plan for label, case in labelled for plan in _item_plans(demo, label, case)]
    for item in planned:
        _check_item(item, members.get(item.case.youth.pk, []))
    upsert(TransitionItem, [_item_row(item) for item in planned], key=("youth", "point"))

    near = [(label, case, _lead_point(demo, label, case)) for label, case in labelled if label in (HALF_MONTH, TURNED)]
    with consents._dated_as_given():
        consents._save([_adult_consent(demo, case, _given_on(lead_point)) for _, case, lead_point in near])
    handovers = [
        _handover(demo, case, label, _receiver(lead_point), members.get(case.youth.pk, []))
        for label, case, lead_point in near
    ]
    meetings._save(handovers)
    demo.say(
        f"Transition checklists: {len(labelled)} youths near 18, {len(planned)} points, {len(handovers)} handovers"
    )


def _members(youths: list[Youth]) -> dict[int, list[TeamMember]]:
    found: dict[int, list[TeamMember]] = {}
    rows = TeamMember.objects.filter(youth__in=youths).select_related("user", "unit", "guardian")
    for member in rows.order_by("youth_id", "-is_lead", "kind", "starts_on", "id"):
        found.setdefault(member.youth_id, []).append(member)
    return found


def _receiver(lead_point: ItemPlan | None) -> User:
    if lead_point is None or lead_point.lead_user is None:
        raise ValidationError("The demo's youths nearest 18 have the person who takes over the lead named.")
    return lead_point.lead_user


def _given_on(lead_point: ItemPlan | None) -> datetime.date:
    """The consent from the youth alone was given the day lead responsibility after 18 was agreed."""
    assert lead_point is not None
    return lead_point.at.astimezone(OSLO).date()
