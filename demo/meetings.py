"""The demo's meetings: the youths' team meetings with minutes and action items, the districts'
intake meetings with their queue and decisions, and a list meeting with the police.

For every youth team in an open follow-up (demo/teams.py):
- a start-up meeting (oppstartsmøte) on the day the follow-up started, and team meetings
  (lagmøter) about every six weeks after it up to DEMO_TODAY: held, with the members of the team
  on that day as participants (present or not; the guardians only before the youth's 18th
  birthday, as meeting_plan leaves them out), some ratings (1–5) from the youth or a guardian
  who took part, approved minutes under the template's headings (teams.meetings.minutes_template), a few
  of them changed after approval (a version-2 revision with a change note); one draft, the demo
  follower's latest, is waiting for approval;
- one upcoming team meeting 10 to 50 days after DEMO_TODAY (for the demo follower's youths in the
  two weeks after 3 December 2026), or, for a youth still in intake, the start-up meeting;
- action items in every state: those of the latest meeting open or in progress, older ones
  mostly done (with a note) or cancelled, a few still open and carried over (overdue); the demo
  follower owns one overdue item and several due in the days after 3 December 2026.

For the three full demo districts: a series of intake meetings organised by the one-to-one
follow-up unit every `district.intake_interval_weeks` weeks, the past ones held (the youths in
intake taken in, a few put on the waiting list, one referred elsewhere), the next one planned
after 3 December 2026 with its queue: in Bjerke six new candidates, two of them the district's
open anonymous discussion cases, four named youths without a follow-up from different services,
one urgent. The named candidates still in a queue were proposed with consent
(demo/consents.py, build_intake_consents): in Bjerke the one from the outreach service
without the police, so intake mode withholds that youth's name while the police contact is in
the room. And a list meeting with the police in Bjerke, held, with its entries.

Rows are written in bulk with `upsert` (no audit entries, no notifications), each first asked
the rules the services keep, in their own functions: each meeting meeting_plan's and
minutes_save's (time and place, its state through MEETING_TRANSITIONS, the minutes' headings:
`_check`); each participant participant_add's (participant_check: staff for a service where they
hold a role in force, a guardian of the youth's, the youth of a meeting about one youth) and a
rating meeting_rate's; the minutes' way through MINUTES_TRANSITIONS, approved once written
(minutes_approve_check) by someone who may approve them (core.access's "approve", teams.policy:
`_check_minutes`); action items action_item_add's and action_item_set_status's; each intake
candidate intake_candidate_propose's on who proposes it for which service
(intake_proposer_check) and, named, on consent (intake_named_with_consent); each decision
intake_decide's (intake_decision_check). And every row the rules about one row (`upsert`).
Meetings are keyed on a UID derived from what the meeting is (the youth's identity number and
the meeting's number, the district and the day), the rest on their meeting. Minutes revisions
and intake decisions are append-only in PostgreSQL: they are only inserted when missing, never
updated. Every random choice about one youth comes from that youth's own stream.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import FollowUp, Youth
from consent import policy as consent_policy
from consent.models import DiscussionCase
from core import access
from core.dates import OSLO
from core.models import User
from core.workflow import transition_check
from org.models import District, Unit
from referrals.intake.services import intake_decision_check, intake_named_with_consent, intake_proposer_check
from referrals.models import IntakeCandidate, IntakeDecision, Outcome, Urgency
from teams.meetings.minutes_template import headings_for
from teams.meetings.services import (
    action_item_check,
    action_item_status_check,
    meeting_rating_check,
    meeting_time_and_place_check,
    minutes_approve_check,
    minutes_sections_check,
    participant_check,
)
from teams.models import (
    MEETING_TRANSITIONS,
    MINUTES_TRANSITIONS,
    ActionItem,
    ListMeetingEntry,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingSeries,
    Minutes,
    MinutesRevision,
    TeamMember,
)

from . import consents
from .builders import DEMO_DISTRICT, FULL_DISTRICTS, Demo, DistrictStaff, DistrictUnits, upsert
from .followups import DEMO_FOLLOWER, DEMO_TODAY, Case

DAY = datetime.timedelta(days=1)
UID_NAMESPACE = uuid.UUID("6f1d4c1e-5b7a-4d0e-9a8c-2f3b1d0c9e71")  # the demo's meetings
TEAM_INTERVAL_WEEKS = 6
# The demo is shown from early December: the demo follower's teams meet in the two weeks after this.
SHOWN_FROM = datetime.date(2026, 12, 3)
# The next intake meeting of each full district (a weekday at 10:00); earlier ones every
# district.intake_interval_weeks before it.
NEXT_INTAKE: dict[int, datetime.date] = {
    9: datetime.date(2026, 12, 11),
    12: datetime.date(2026, 12, 17),
    15: datetime.date(2026, 12, 10),
}
LIST_MEETING = datetime.date(2026, 11, 20)  # Bjerke's list meeting with the police (a Friday)
NEXT_LIST_MEETING = datetime.date(2026, 12, 18)
CHRISTMAS = (datetime.date(2026, 12, 22), datetime.date(2027, 1, 3))

Status = ActionItem.Status
PKind = MeetingParticipant.Kind


def _uid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(UID_NAMESPACE, ":".join(str(part) for part in parts))


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def _weekday(day: datetime.date, *, back: bool = False) -> datetime.date:
    """The day itself on a weekday; else the Monday after (or the Friday before)."""
    while day.weekday() >= 5:
        day += -DAY if back else DAY
    return day


def _after_christmas(day: datetime.date, rng: random.Random) -> datetime.date:
    if CHRISTMAS[0] <= day <= CHRISTMAS[1]:
        return _weekday(CHRISTMAS[1] + DAY * rng.randint(1, 6))
    return day


def _first(youth: Youth) -> str:
    return youth.preferred_name or youth.first_name


# ---------------------------------------------------------------------------------------------
# Plans: what is to be saved, before it is saved


@dataclass
class Revision:
    number: int
    version: int
    sections: dict[str, str]
    decisions: str
    saved_by: User
    saved_at: datetime.datetime
    change_note: str = ""


@dataclass
class MinutesPlan:
    state: str
    revisions: list[Revision]
    approved_at: datetime.datetime | None = None
    approved_by: User | None = None


@dataclass
class Plan:
    uid: uuid.UUID
    kind: str
    unit: Unit
    district: District
    starts_at: datetime.datetime
    minutes_long: int
    created_by: User
    youth: Youth | None = None
    series: MeetingSeries | None = None
    title: str = ""
    place: str = ""
    video_link: str = ""
    agenda: str = ""
    state: str = Meeting.State.PLANNED
    about_turning_18: bool = False  # a handover meeting at 18 (demo/transition.py)
    participants: list[dict[str, Any]] = field(default_factory=list)
    minutes: MinutesPlan | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    list_entries: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[tuple[IntakeCandidate, dict[str, Any]]] = field(default_factory=list)

    @property
    def day(self) -> datetime.date:
        return self.starts_at.astimezone(OSLO).date()

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes_long)

    @property
    def held(self) -> bool:
        return self.state == Meeting.State.HELD

    def row(self) -> dict[str, Any]:
        created = min(self.starts_at - DAY * 14, _at(DEMO_TODAY - DAY * 3, 9))
        return {
            "uid": self.uid,
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "district": self.district,
            "youth": self.youth,
            "series": self.series,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "place": self.place,
            "video_link": self.video_link,
            "agenda": self.agenda,
            "state": self.state,
            "about_turning_18": self.about_turning_18,
            "sequence": 0,
            "created_by": self.created_by,
            "created_at": created,
        }


def _staff(user: User, unit: Unit, **fields: Any) -> dict[str, Any]:
    return {"kind": PKind.STAFF, "user": user, "unit": unit, "guardian": None, "name": "", "organisation": ""} | fields


def _participant_defaults(row: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "user": None,
        "unit": None,
        "guardian": None,
        "name": "",
        "organisation": "",
        "email": "",
        "present": None,
        "rating": None,
        "rating_comment": "",
        "rated_at": None,
        "rating_recorded_by": None,
    }
    return base | row


def _action(
    title: str,
    due_on: datetime.date,
    status: str,
    *,
    owner: User | None = None,
    owner_name: str = "",
    youth: Youth | None,
    created_by: User,
    created_at: datetime.datetime,
    done_note: str = "",
    done_at: datetime.datetime | None = None,
    done_by: User | None = None,
) -> dict[str, Any]:
    return {
        "youth": youth,
        "title": title,
        "owner": owner,
        "owner_name": owner_name,
        "due_on": due_on,
        "status": status,
        "done_note": done_note,
        "done_at": done_at,
        "done_by": done_by,
        "created_by": created_by,
        "created_at": created_at,
    }


# ---------------------------------------------------------------------------------------------
# Texts of the youths' team meetings ({name} the youth, {parent} mor, far or foresatte)

TEAM_TEXTS: dict[str, tuple[str, ...]] = {
    "since_last": (
        "{name} har hatt jevn kontakt med oppfølgeren, stort sett to ganger i uken. Det har vært en rolig periode "
        "uten nye hendelser.",
        "Det har gått litt opp og ned. {name} hadde en tung uke etter høstferien, men har kommet seg igjen og "
        "møter til avtalene.",
        "{name} har vært med på aktivitetene som ble avtalt sist, og har selv tatt kontakt når noe var vanskelig.",
        "Siden sist har {name} begynt å møte oftere på skolen. Oppfølgeren og {parent} har hatt to samtaler.",
    ),
    "youth_view": (
        "{name} sier at det går bedre nå, men at morgenene fortsatt er vanskelige.",
        "{name} synes det er greit å ha en voksen å snakke med, men vil ikke ha flere møter enn nødvendig.",
        "{name} ønsker mer hjelp med matte og vil gjerne finne en fritidsjobb.",
        "«Det er lettere når jeg vet hva som skal skje.» {name} vil ha en fast ukeplan.",
    ),
    "school": (
        "Fraværet har gått ned fra rundt 25 til 12 prosent siden forrige møte. Kontaktlærer ser bedre innsats.",
        "Fortsatt mye fravær i første time. Skolen tilbyr leksehjelp to dager i uken, som {name} har takket ja til.",
        "{name} har fått tilrettelagt undervisning i matte. Det fungerer godt så langt.",
        "Skolen melder om færre konflikter i friminuttene og at {name} har fått en god venn i klassen.",
    ),
    "health": (
        "",
        "{name} sover dårlig og har fått time hos helsesykepleier.",
        "Ingen nye bekymringer. {name} trener to ganger i uken.",
        "{name} har begynt samtaler hos helsesykepleier og synes det hjelper.",
    ),
    "family": (
        "{Parent} opplever mindre krangling hjemme og har deltatt i foreldreveiledning.",
        "{Parent} ønsker tettere kontakt med skolen og ber om å bli varslet ved fravær samme dag.",
        "Det har vært en del uro hjemme. Familieoppfølgeren har hatt to samtaler med {parent}.",
        "Familien har fått hjelp til å søke om støtte til fritidsaktiviteter.",
    ),
    "leisure": (
        "{name} har begynt på fotballtrening igjen og er på fritidsklubben på fredager.",
        "{name} er mye ute på kveldene sammen med eldre ungdommer. Vi snakket om alternativer.",
        "{name} har vært med på klatring med oppfølgeren og vil gjerne fortsette med det.",
        "{name} bruker mye tid på gaming og har lite kontakt med venner fra skolen.",
    ),
    "substance_use": (
        "",
        "",
        "Ikke tema i dette møtet.",
        "{name} sier at det er slutt på røykingen. Vi følger med.",
    ),
    "next_steps": (
        "Laget mener at oppfølgingen virker, og at vi fortsetter som nå med fokus på skole.",
        "Vi legger mer vekt på fritid og nettverk de neste ukene. Oppfølgeren har hovedansvaret.",
        "Vi samarbeider tettere med skolen om oppmøte. Neste lagmøte om seks uker.",
        "Målene i Min plan justeres. {name} skriver selv inn sine egne mål til neste gang.",
    ),
}

STARTUP_TEXTS: dict[str, tuple[str, ...]] = {
    "information": (
        "Oppfølgeren fortalte om én-til-én-oppfølgingen: frivillig, tett kontakt, og at {name} selv bestemmer "
        "mye av innholdet.",
        "Gjennomgang av hva oppfølgingen er, hvem som er i laget, og hvordan vi holder kontakt.",
    ),
    "consent": (
        "Samtykket ble gått gjennom. {name} og {parent} vet hvilke tjenester som får dele informasjon, og at "
        "samtykket kan trekkes når som helst.",
        "Vi snakket om samtykke og taushetsplikt. Familien ønsket å tenke over om politiet skal være med.",
    ),
    "youth_view": (
        "{name} var spent, men sa at det var greit å prøve.",
        "{name} ønsker hjelp til skolen og til å finne noe å gjøre på kveldene.",
    ),
    "goals": (
        "Møte på skolen hver dag, og finne en fast fritidsaktivitet.",
        "Færre konflikter hjemme og på skolen, og å fullføre ungdomsskolen.",
        "Få fritidsjobb, og ha kontakt med venner utenfor gjengen.",
    ),
    "family": (
        "{Parent} er glad for tilbudet og ønsker også hjelp til egen del som forelder.",
        "{Parent} har vært bekymret lenge og ønsker jevnlig oppdatering fra oppfølgeren.",
    ),
    "next_steps": (
        "Første avtale med oppfølgeren er satt opp. Lagmøte om seks uker.",
        "Oppfølgeren og {name} møtes to ganger i uken i starten. Lagmøte om seks uker.",
    ),
}

ACTIONS_STAFF: tuple[str, ...] = (
    "Lage ukeplan sammen med {name}",
    "Følge {name} til første time hos helsesykepleier",
    "Finne en fast fritidsaktivitet sammen med {name}",
    "Ringe {parent} etter foreldremøtet på skolen",
    "Søke om plass i sommerjobbprosjektet for {name}",
    "Avtale møte med kontaktlærer om tilrettelegging i matte",
    "Oppdatere Min plan med de nye målene",
)
ACTIONS_FAMILY = (
    "Invitere {parent} til foreldregruppen Trygge foreldre",
    "Ha samtale med {parent} om rutiner for kveldene",
)
ACTIONS_SCHOOL = (
    "Sende fraværsoversikt for perioden til oppfølgeren",
    "Avtale leksehjelp to dager i uken",
)
ACTIONS_BARNEVERN = ("Gi laget en kort oppdatering om tiltakene i hjemmet",)
ACTIONS_POLICE = ("Ha bekymringssamtale med {name} og {parent}",)
ACTIONS_YOUTH = (
    "Melde seg på fotballtreningen",
    "Møte til første time hver dag neste uke",
    "Skrive ned egne mål til neste lagmøte",
)
ACTIONS_GUARDIAN = ("Ringe skolen før kl. 8 ved fravær", "Søke om støtte til fritidsaktivitet")
DONE_NOTES = (
    "Gjort som avtalt.",
    "Gjennomført, og {name} var fornøyd.",
    "Ferdig. Tas opp kort i neste lagmøte.",
    "Gjort; ny avtale er satt opp.",
)
CANCELLED_NOTES = ("Ikke aktuelt lenger etter forrige møte.", "Erstattet av en ny avtale i laget.")
CHANGE_NOTES = (
    "Rettet skolens fraværstall etter innspill fra kontaktlærer.",
    "Lagt til {parent}s kommentar om kveldene.",
    "Rettet frist for oppgave etter avtale i laget.",
)
RATING_COMMENTS = ("", "", "Godt å bli hørt.", "Litt mange voksne i rommet.", "Bra at skolen var med.")
AGENDA = (
    "1. Velkommen og siden sist\n2. Oppgaver fra forrige møte\n3. Skole og fritid\n4. Hva {name} selv ønsker\n"
    "5. Veien videre og neste møte"
)
STARTUP_AGENDA = (
    "1. Hva én-til-én-oppfølging er\n2. Samtykke og hvem som deler hva\n3. Hva {name} ønsker, og målene\n"
    "4. Hvem er i laget\n5. Avtaler fremover"
)


# ---------------------------------------------------------------------------------------------
# Team meetings


def _members_on(members: list[TeamMember], day: datetime.date) -> list[TeamMember]:
    return [m for m in members if m.starts_on <= day and (m.ends_on is None or m.ends_on > day)]


def _place(rng: random.Random, district: District, youth: Youth, schools: list[Unit]) -> tuple[str, str]:
    draw = rng.random()
    if draw < 0.15:
        return "", f"https://video.example.no/laget/{rng.randrange(16**8):08x}"
    school = next((unit for unit in schools if unit.pk == youth.school_id), None)
    if draw < 0.35 and school is not None:
        return f"{school.name}, møterom ved administrasjonen", ""
    return f"Bydel {district.name}, møterom {rng.randint(1, 4)}", ""


def _team_plans(demo: Demo, case: Case, members: list[TeamMember], demo_first: bool) -> list[Plan]:
    rng = demo.rng("meetings", case.youth.national_id)
    district = demo.districts[case.district]
    unit = demo.units[case.district].followup
    youth = case.youth
    days: list[tuple[str, datetime.date]] = []
    if case.started_on is not None:
        day = _weekday(case.started_on)
        days.append((MeetingKind.STARTUP, day))
        while True:
            day = _weekday(day + DAY * (TEAM_INTERVAL_WEEKS * 7 + rng.randint(-5, 5)))
            if day > DEMO_TODAY - DAY * 3:
                break
            days.append((MeetingKind.TEAM, day))
    demo_follower = case.lead.email == DEMO_FOLLOWER
    if demo_follower:
        upcoming = _weekday(SHOWN_FROM + DAY * rng.randint(1, 12))
    elif case.started_on is None:
        upcoming = _weekday(DEMO_TODAY + DAY * rng.randint(8, 20))
    else:
        upcoming = _after_christmas(_weekday(DEMO_TODAY + DAY * rng.randint(10, 50)), rng)
    days.append((MeetingKind.TEAM if case.started_on is not None else MeetingKind.STARTUP, upcoming))

    plans = []
    last_held = sum(1 for _, day in days if day < DEMO_TODAY) - 1
    for index, (kind, day) in enumerate(days):
        held = day < DEMO_TODAY
        hour, minute = rng.choice(((9, 0), (10, 0), (12, 30), (14, 0), (14, 30), (15, 0)))
        place, video = _place(rng, district, youth, demo.units[case.district].schools)
        plan = Plan(
            uid=_uid("youth", youth.national_id, index),
            kind=kind,
            unit=unit,
            district=district,
            youth=youth,
            starts_at=_at(day, hour, minute),
            minutes_long=90 if kind == MeetingKind.STARTUP else rng.choice((60, 60, 90)),
            created_by=case.lead_on(day),
            place=place,
            video_link=video,
            agenda=case.fill(STARTUP_AGENDA if kind == MeetingKind.STARTUP else AGENDA),
            state=Meeting.State.HELD if held else Meeting.State.PLANNED,
        )
        on_day = _members_on(members, day) or _members_on(members, day + DAY * 30)
        plan.participants = _team_participants(rng, plan, on_day, lead=case.lead_on(day))
        if held:
            draft = demo_first and index == last_held
            plan.minutes = _team_minutes(rng, case, plan, draft=draft)
            plan.actions = _team_actions(rng, case, plan, on_day, latest=index == last_held)
        plans.append(plan)
    return plans


def _team_participants(
    rng: random.Random, plan: Plan, members: list[TeamMember], *, lead: User
) -> list[dict[str, Any]]:
    rows = []
    # As meeting_plan does: the team's guardians are left out of a meeting on or after the 18th
    # birthday unless the youth consented to involving them (consent.policy.guardians_told).
    told = plan.youth is None or consent_policy.guardians_told(plan.youth, at=plan.starts_at)
    for member in members:
        if member.kind == TeamMember.Kind.GUARDIAN and not told:
            continue
        if member.kind == TeamMember.Kind.STAFF:
            assert member.user is not None
            assert member.unit is not None
            row = _staff(member.user, member.unit)
        elif member.kind == TeamMember.Kind.EXTERNAL:
            row = {
                "kind": PKind.EXTERNAL,
                "name": member.external_name,
                "organisation": member.external_organisation,
                "email": member.external_email,
            }
        elif member.kind == TeamMember.Kind.GUARDIAN:
            row = {"kind": PKind.GUARDIAN, "guardian": member.guardian}
        else:
            row = {"kind": PKind.YOUTH}
        row = _participant_defaults(row)
        if plan.held:
            chance = {PKind.STAFF: 0.92, PKind.EXTERNAL: 0.7, PKind.GUARDIAN: 0.8, PKind.YOUTH: 0.88}[row["kind"]]
            row["present"] = member.user_id == lead.pk or rng.random() < chance
            if row["present"] and row["kind"] in (PKind.YOUTH, PKind.GUARDIAN) and rng.random() < 0.4:
                rated = plan.ends_at + DAY * rng.randint(0, 3)
                row |= {
                    "rating": rng.choice((2, 3, 4, 4, 5, 5)),
                    "rating_comment": rng.choice(RATING_COMMENTS),
                    "rated_at": min(rated, _at(DEMO_TODAY - DAY, 16)),
                    "rating_recorded_by": lead,
                }
        rows.append(row)
    return rows


def _team_minutes(rng: random.Random, case: Case, plan: Plan, *, draft: bool) -> MinutesPlan:
    texts = STARTUP_TEXTS if plan.kind == MeetingKind.STARTUP else TEAM_TEXTS
    sections = {h.key: case.fill(rng.choice(texts.get(h.key, ("",)))) for h in headings_for(plan.kind)}
    author = case.lead_on(plan.day)
    saved = min(plan.ends_at + datetime.timedelta(hours=rng.randint(2, 26)), _at(DEMO_TODAY - DAY, 15))
    # The decisions are filled in with the action items (_team_actions).
    first = Revision(1, 1, sections, "", author, saved)
    if draft:
        return MinutesPlan(Minutes.State.DRAFT, [first])
    approved = saved + datetime.timedelta(hours=1)
    minutes = MinutesPlan(Minutes.State.APPROVED, [first], approved_at=approved, approved_by=author)
    if rng.random() < 0.2 and plan.day < DEMO_TODAY - DAY * 10:
        changed = dict(sections)
        key = "school" if "school" in changed else "next_steps"
        changed[key] = (changed[key] + " " + case.fill("Tillegg etter møtet: {parent} er enig i planen.")).strip()
        when = approved + DAY * rng.randint(2, 6)
        minutes.revisions.append(Revision(2, 2, changed, "", author, when, case.fill(rng.choice(CHANGE_NOTES))))
        minutes.approved_at = when + datetime.timedelta(minutes=30)
    return minutes


def _team_actions(
    rng: random.Random, case: Case, plan: Plan, members: list[TeamMember], *, latest: bool
) -> list[dict[str, Any]]:
    lead = case.lead_on(plan.day)
    created = plan.ends_at
    owners: list[tuple[str, User | None, str]] = [(title, lead, "") for title in ACTIONS_STAFF]
    for member in members:
        if member.kind == TeamMember.Kind.STAFF and member.user is not None:
            pools: dict[str, tuple[str, ...]] = {
                TeamMember.Role.FAMILY_FOLLOWER: ACTIONS_FAMILY,
                TeamMember.Role.SCHOOL_COUNSELLOR: ACTIONS_SCHOOL,
                TeamMember.Role.OTHER: ACTIONS_SCHOOL if member.unit and member.unit.kind == Unit.Kind.SCHOOL else (),
                TeamMember.Role.BARNEVERN_CASEWORKER: ACTIONS_BARNEVERN,
                TeamMember.Role.POLICE_CONTACT: ACTIONS_POLICE,
            }
            pool = pools.get(member.role, ())
            owners += [(title, member.user, "") for title in pool]
        elif member.kind == TeamMember.Kind.YOUTH:
            owners += [(title, None, f"{_first(case.youth)} (ungdommen)") for title in ACTIONS_YOUTH]
        elif member.kind == TeamMember.Kind.GUARDIAN and member.guardian is not None:
            owners += [(title, None, f"{member.guardian} (foresatt)") for title in ACTIONS_GUARDIAN]
    chosen = rng.sample(owners, k=min(len(owners), rng.randint(1, 3)))
    rows = []
    titles: set[str] = set()
    for title, owner, owner_name in chosen:
        if title in titles:
            continue
        titles.add(title)
        due = plan.day + DAY * rng.randint(14, 35)
        if latest:
            status = rng.choice((Status.OPEN, Status.OPEN, Status.IN_PROGRESS))
            if owner is not None and owner.email == DEMO_FOLLOWER:
                due = SHOWN_FROM + DAY * rng.randint(1, 7)  # due in the days after the demo is shown
        else:
            draw = rng.random()
            status = Status.DONE if draw < 0.72 else Status.CANCELLED if draw < 0.84 else Status.OPEN
        row = _action(
            case.fill(title),
            due,
            status,
            owner=owner,
            owner_name=owner_name,
            youth=case.youth,
            created_by=lead,
            created_at=created,
        )
        if status == Status.DONE:
            done_on = min(due - DAY * rng.randint(0, 10), DEMO_TODAY - DAY)
            row |= {
                "done_note": case.fill(rng.choice(DONE_NOTES)),
                "done_at": max(_at(done_on, 15), created + datetime.timedelta(hours=2)),
                "done_by": owner or lead,
            }
        elif status == Status.CANCELLED:
            row["done_note"] = rng.choice(CANCELLED_NOTES)
        rows.append(row)
    _decisions(plan, rows)
    return rows


def _decisions(plan: Plan, actions: list[dict[str, Any]]) -> None:
    """The minutes' decisions: the action items agreed, with owner and due date."""
    if plan.minutes is None:
        return
    lines = []
    for action in actions:
        owner = action["owner"].full_name if action["owner"] is not None else action["owner_name"]
        lines.append(f"{action['title']} – ansvar: {owner}, frist {action['due_on']:%d.%m.%Y}.")
    text = "\n".join(lines)
    for revision in plan.minutes.revisions:
        revision.decisions = text


def _overdue_item(case: Case, plans: list[Plan]) -> None:
    """An open item of the demo follower's, overdue on DEMO_TODAY, on the team's latest held meeting."""
    held = [plan for plan in plans if plan.held]
    if not held:
        return
    plan = held[-1]
    lead = case.lead
    plan.actions.append(
        _action(
            case.fill("Ringe {parent} om oppmøtet på skolen"),
            DEMO_TODAY - DAY * 2,
            Status.OPEN,
            owner=lead,
            youth=case.youth,
            created_by=lead,
            created_at=plan.ends_at,
        )
    )
    _decisions(plan, plan.actions)


# ---------------------------------------------------------------------------------------------
# Intake meetings and the queue


@dataclass
class Proposal:
    """A named candidate: who proposes, why."""

    youth: Youth
    unit: Unit
    by: User
    reason: str
    urgent: bool = False


# Written by the proposing service; no names: the queue shows a name only to those it is shared with.
REASONS: dict[str, tuple[str, ...]] = {
    Unit.Kind.BARNEVERN: (
        "Barnevernet har en undersøkelse i familien. Ungdommen er mye borte hjemmefra om kveldene og har "
        "kontakt med eldre ungdommer som er kjent for politiet. Familien ønsker hjelp.",
        "Ungdommen har flyttet hjem igjen etter et opphold i beredskapshjem. Barnevernet ønsker en fast voksen "
        "rundt ungdommen i overgangen.",
    ),
    Unit.Kind.SCHOOL: (
        "Skolen er bekymret for økende fravær (over 20 prosent dette halvåret) og flere konflikter med "
        "medelever. Eleven og foresatte har sagt ja til at saken meldes inn.",
        "Eleven har sluttet å møte til flere fag og sier selv at skolen «ikke er for meg». Skolen ønsker "
        "oppfølging også utenfor skoletid.",
    ),
    Unit.Kind.POLICE: (
        "Politiet har hatt bekymringssamtale med ungdommen og foresatte etter en episode på kjøpesenteret. "
        "Ungdommen har sagt ja til oppfølging.",
        "Ungdommen er anmeldt for skadeverk sammen med eldre ungdommer. Politiet mener tett oppfølging nå kan "
        "hindre videre kriminalitet.",
    ),
    Unit.Kind.OUTREACH: (
        "Utekontakten har kjent ungdommen i et halvt år. Ungdommen ønsker selv en fast voksen å snakke med og "
        "hjelp til å finne noe å gjøre på kveldene.",
    ),
    Unit.Kind.SALTO: ("Meldt inn av SaLTo-koordinator etter drøfting med skole og politi. Samtykke er gitt.",),
    Unit.Kind.NAV: (
        "NAV følger familien og ser at ungdommen trenger en voksen utenfor hjemmet. Familien har samtykket.",
    ),
}


def _free_youths(demo: Demo, number: int) -> list[Youth]:
    """Youths of the district aged 12 to 17 without a follow-up of any kind, in a fixed order."""
    followed = set(FollowUp.objects.filter(youth__district=demo.districts[number]).values_list("youth_id", flat=True))
    pool = [
        youth
        for youth in [*demo.youths[number], *demo.siblings.get(number, [])]
        if youth.pk not in followed and 12 <= youth.age_on(DEMO_TODAY) <= 17
    ]
    pool.sort(key=lambda youth: youth.national_id)
    demo.rng("intake-pool", number).shuffle(pool)
    return pool


def _intake_participants(
    units: DistrictUnits, staff: DistrictStaff, *, held: bool, rng: random.Random
) -> list[dict[str, Any]]:
    people: list[tuple[User, Unit]] = [
        (staff.coordinator, units.followup),
        (staff.leader, units.followup),
        *[(follower, units.followup) for follower in staff.followers],
        (staff.caseworkers[0], units.barnevern),
        (staff.police_contact, units.police),
        (staff.school_contacts[0], units.schools[0]),
    ]
    rows = []
    seen: set[int] = set()
    for user, unit in people:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        present = (user == staff.coordinator or rng.random() < 0.85) if held else None
        rows.append(_participant_defaults(_staff(user, unit, present=present)))
    return rows


def _intake_dates(number: int, interval: int, earliest: datetime.date) -> list[datetime.date]:
    """The series' meetings from the one on or before `earliest` to the next one, skipping those
    between DEMO_TODAY and the demo being shown (their state would be neither held nor to come)."""
    step = DAY * 7 * interval
    days = [NEXT_INTAKE[number]]
    day = NEXT_INTAKE[number]
    while True:
        day -= step
        if day < DEMO_TODAY:
            days.append(day)
            if day <= earliest:
                break
    return sorted(days)


def _intake_plans(demo: Demo, number: int, cases: list[Case]) -> tuple[MeetingSeries, list[Plan]]:
    district = demo.districts[number]
    units, staff = demo.units[number], demo.staff[number]
    rng = demo.rng("intake", number)
    (series,) = upsert(
        MeetingSeries,
        [
            {
                "kind": MeetingKind.INTAKE,
                "unit": units.followup,
                "district": district,
                "youth": None,
                "interval_weeks": district.intake_interval_weeks,
                "until": None,
                "created_by": staff.coordinator,
                "created_at": _at(datetime.date(2026, 1, 5), 9),
            }
        ],
        key=("kind", "unit", "district", "youth"),
    )
    intake = [case for case in cases if case.state == FollowUp.State.INTAKE]
    earliest = min((case.decided_on for case in intake), default=DEMO_TODAY - DAY)
    plans = []
    for day in _intake_dates(number, series.interval_weeks, earliest):
        held = day < DEMO_TODAY
        plan = Plan(
            uid=_uid("intake", number, day),
            kind=MeetingKind.INTAKE,
            unit=units.followup,
            district=district,
            series=series,
            title=f"Inntaksmøte bydel {district.name}",
            starts_at=_at(day, 10),
            minutes_long=90,
            created_by=staff.coordinator,
            place=f"Bydel {district.name}, møterom 3",
            agenda=(
                "1. Nye kandidater\n2. Venteliste\n3. Kapasitet i teamet\n4. Oppgaver fra forrige møte\n5. Eventuelt"
            ),
            state=Meeting.State.HELD if held else Meeting.State.PLANNED,
        )
        plan.participants = _intake_participants(units, staff, held=held, rng=rng)
        plans.append(plan)
    return series, plans


def _candidate(
    district: District,
    unit: Unit,
    by: User,
    reason: str,
    created_at: datetime.datetime,
    *,
    youth: Youth | None = None,
    discussion: DiscussionCase | None = None,
    urgent: bool = False,
    outcome: str = "",
    waiting_since: datetime.datetime | None = None,
    followup: FollowUp | None = None,
) -> dict[str, Any]:
    return {
        "district": district,
        "youth": youth,
        "discussion": discussion,
        "proposed_by_unit": unit,
        "proposed_by": by,
        "reason": reason,
        "urgency": Urgency.URGENT if urgent else Urgency.NORMAL,
        "outcome": outcome,
        "waiting_since": waiting_since,
        "followup": followup,
        "created_at": created_at,
    }


OUTCOME_WORDS: dict[str, str] = {
    Outcome.TAKEN_IN: "tatt inn, oppfølger {follower}",
    Outcome.WAITING_LIST: "satt på venteliste",
    Outcome.OTHER_SERVICE: "henvist til {service}",
    Outcome.DECLINED: "ikke tatt inn (utenfor målgruppen)",
}


def _build_intake(demo: Demo, number: int, cases: list[Case], plans: list[Plan]) -> None:
    """The district's candidates and the held meetings' decisions and minutes."""
    district = demo.districts[number]
    units, staff = demo.units[number], demo.staff[number]
    rng = demo.rng("intake-candidates", number)
    held = [plan for plan in plans if plan.held]
    latest = held[-1]
    upcoming = next(plan for plan in plans if not plan.held)
    free = _free_youths(demo, number)
    discussions = list(
        DiscussionCase.objects.filter(district=district).select_related("unit", "created_by").order_by("created_at")
    )
    converted = {case.youth_id: case for case in discussions if case.youth_id is not None}
    open_cases = [case for case in discussions if case.state == DiscussionCase.State.OPEN]
    rows: list[dict[str, Any]] = []
    decided: list[tuple[int, Plan, dict[str, Any]]] = []  # (row index, meeting, decision)
    lines: dict[str, list[str]] = {}

    def note(plan: Plan, who: str, unit: Unit, outcome: str, **words: str) -> None:
        text = OUTCOME_WORDS[outcome].format(**words)
        lines.setdefault(str(plan.uid), []).append(f"{who} (foreslått av {unit.name}): {text}.")

    # The youths in intake were taken in at the meeting on or before the day they were assigned.
    for case in sorted((c for c in cases if c.state == FollowUp.State.INTAKE), key=lambda c: c.decided_on):
        plan = next((p for p in reversed(held) if p.day <= case.decided_on), held[0])
        discussion = converted.get(case.youth.pk)
        unit = discussion.unit if discussion is not None else rng.choice((units.schools[0], units.barnevern))
        by = discussion.created_by if discussion is not None else _proposer(staff, units, unit)
        rows.append(
            _candidate(
                district,
                unit,
                by,
                rng.choice(REASONS.get(unit.kind, REASONS[Unit.Kind.SALTO])),
                discussion.created_at if discussion is not None else plan.starts_at - DAY * rng.randint(7, 20),
                youth=case.youth,
                discussion=discussion,
                outcome=Outcome.TAKEN_IN,
                followup=case.saved(),
            )
        )
        follower = case.leads[0].user
        decided.append(
            (len(rows) - 1, plan, {"outcome": Outcome.TAKEN_IN, "follower": follower, "referred_to": "", "note": ""})
        )
        note(plan, "En ungdom", unit, Outcome.TAKEN_IN, follower=follower.full_name)

    # The latest meeting: two on the waiting list, one referred to BUP, one declined (where there
    # are youths enough); the next meeting's queue: six new in Bjerke, two elsewhere.
    services = [
        (units.schools[-1], Outcome.WAITING_LIST),
        (units.nav, Outcome.WAITING_LIST),
        (units.barnevern, Outcome.OTHER_SERVICE),
        (units.police, Outcome.DECLINED),
    ]
    queue_units = [units.barnevern, units.schools[0], units.police, units.outreach]
    new_count = 4 if number == DEMO_DISTRICT else 2
    past = services[: max(0, min(len(services), len(free) - new_count))]
    for unit, outcome in past:
        youth = free.pop()
        row = _candidate(
            district,
            unit,
            _proposer(staff, units, unit),
            _reason(rng, unit),
            latest.starts_at - DAY * rng.randint(5, 20),
            youth=youth,
            outcome=outcome,
            waiting_since=latest.ends_at if outcome == Outcome.WAITING_LIST else None,
        )
        rows.append(row)
        referred = demo.citywide["bup"].name if outcome == Outcome.OTHER_SERVICE else ""
        decision_note = {
            Outcome.WAITING_LIST: "Ingen ledig plass nå. Tas opp igjen i neste møte.",
            Outcome.OTHER_SERVICE: (
                "Behovet er først og fremst behandling. Barnevernet hjelper familien med henvisning."
            ),
            Outcome.DECLINED: "Ingen bekymring for kriminalitet; skolen og helsesykepleier følger opp.",
        }[outcome]
        decided.append(
            (
                len(rows) - 1,
                latest,
                {"outcome": outcome, "follower": None, "referred_to": referred, "note": decision_note},
            )
        )
        note(latest, "En ungdom", unit, outcome, service=referred)

    queue_start = len(rows)
    for index, unit in enumerate(queue_units[:new_count]):
        if not free:
            break
        youth = free.pop()
        urgent = index == 0
        created = _at(DEMO_TODAY - DAY * (1 if urgent else rng.randint(3, 11)), rng.choice((9, 11, 13, 14)))
        rows.append(
            _candidate(
                district,
                unit,
                _proposer(staff, units, unit),
                _reason(rng, unit, urgent=urgent),
                max(created, latest.ends_at + datetime.timedelta(hours=3)),
                youth=youth,
                urgent=urgent,
            )
        )
    for anon in open_cases:
        rows.append(
            _candidate(
                district,
                anon.unit,
                anon.created_by,
                f"Anonym drøfting: {anon.alias}. Drøftet uten navn; foreslås til én-til-én-oppfølging, og "
                "samtykke er etterspurt før saken tas opp med navn.",
                anon.created_at + datetime.timedelta(hours=5),
                discussion=anon,
            )
        )
    for row in rows:  # intake_candidate_propose's rule on who proposes, for which service
        intake_proposer_check(proposer=row["proposed_by"], district=row["district"], unit=row["proposed_by_unit"])
    candidates = upsert(IntakeCandidate, rows, key=("district", "youth", "discussion", "created_at"))
    # A youth is named to the intake only with consent: the queue's named candidates have one,
    # in force on the day they were proposed (the rule intake_candidate_propose keeps).
    consents.build_intake_consents(demo, number, candidates)
    for candidate in candidates:
        if candidate.youth is not None and candidate.in_queue:
            proposed_on = candidate.created_at.astimezone(OSLO).date()
            if not intake_named_with_consent(candidate.youth, district, on=proposed_on):
                raise ValidationError(f"{candidate.youth} is named to the intake meeting without consent.")

    decision_rows: list[dict[str, Any]] = []
    for index, plan, decision in decided:
        decision_rows.append(
            {
                "candidate": candidates[index],
                "meeting": plan.uid,  # replaced by the saved meeting in _save
                "decided_by": staff.coordinator,
                "decided_at": plan.starts_at + datetime.timedelta(minutes=20 + 5 * len(decision_rows) % 60),
                **decision,
            }
        )
    for plan in held:
        plan.decisions = [(row["candidate"], row) for row in decision_rows if row["meeting"] == plan.uid]

    capacity = max(0, len(staff.followers) * district.max_youths_per_follower - len(cases))
    for plan in held:
        decisions = lines.get(str(plan.uid), []) or ["Ingen nye kandidater til dette møtet."]
        waiting = sum(1 for _, p, d in decided if p is plan and d["outcome"] == Outcome.WAITING_LIST)
        sections = {
            "present_services": (
                f"{units.followup.name} (leder, koordinator og oppfølgere), {units.barnevern.name}, "
                f"{units.police.name}, {units.schools[0].name}."
            ),
            "candidates": "\n".join(decisions),
            "capacity": (
                f"Teamet har {capacity} ledige plasser etter møtet. {waiting} står på venteliste og tas opp igjen "
                "i neste møte."
            ),
            "other": rng.choice(
                (
                    "Skolene minnes om at samtykke må være på plass før en sak meldes inn med navn.",
                    "Neste møte som planlagt. Koordinator sender innkalling.",
                    "Politiet orienterte kort om situasjonen i bydelen; ingen nye saker fra listemøtet.",
                )
            ),
        }
        saved = plan.ends_at + datetime.timedelta(hours=2)
        plan.minutes = MinutesPlan(
            Minutes.State.APPROVED,
            [Revision(1, 1, sections, "\n".join(decisions), staff.coordinator, saved)],
            approved_at=saved + datetime.timedelta(hours=20),
            approved_by=staff.leader,
        )
        plan.actions = [
            _action(
                "Sende oppdatert venteliste til lederen",
                plan.day + DAY * 7,
                Status.DONE,
                owner=staff.coordinator,
                youth=None,
                created_by=staff.coordinator,
                created_at=plan.ends_at,
                done_note="Sendt på e-post samme uke.",
                done_at=_at(plan.day + DAY * 2, 14),
                done_by=staff.coordinator,
            )
        ]
    for anon in open_cases:
        if anon.created_at > latest.ends_at:  # brought after the meeting
            continue
        latest.actions.append(
            _action(
                f"Spørre om samtykke i saken «{anon.alias}» før neste inntaksmøte",
                upcoming.day - DAY * 2,
                Status.IN_PROGRESS,
                owner=anon.created_by,
                youth=None,
                created_by=staff.coordinator,
                created_at=latest.ends_at,
            )
        )
    if number == DEMO_DISTRICT:
        latest.actions.append(
            _action(
                "Avklare med skolen hvem som tar kontakt med familiene på ventelisten",
                upcoming.day - DAY * 3,
                Status.OPEN,
                owner=staff.coordinator,
                youth=None,
                created_by=staff.coordinator,
                created_at=latest.ends_at,
            )
        )
    queued = "\n".join(
        f"   – {row['discussion'].alias if row['youth'] is None else 'Ny kandidat'} "
        f"(foreslått av {row['proposed_by_unit'].name})"
        for row in rows[queue_start:]
    )
    upcoming.agenda = (
        f"1. Nye kandidater:\n{queued}\n2. Venteliste\n3. Kapasitet i teamet\n4. Oppgaver fra forrige møte\n"
        "5. Eventuelt"
    )


def _proposer(staff: DistrictStaff, units: DistrictUnits, unit: Unit) -> User:
    if unit == units.barnevern:
        return staff.caseworkers[0]
    if unit == units.police:
        return staff.police_contact
    if unit in units.schools:
        return staff.school_contacts[units.schools.index(unit)]
    if unit == units.outreach:
        return staff.outreach_worker
    if unit == units.followup:
        return staff.coordinator
    return staff.others[0]


def _reason(rng: random.Random, unit: Unit, *, urgent: bool = False) -> str:
    text = rng.choice(REASONS.get(unit.kind, REASONS[Unit.Kind.SALTO]))
    if urgent:
        text += " Haster: situasjonen har blitt verre den siste uken, og familien ber om hjelp nå."
    return text


# ---------------------------------------------------------------------------------------------
# The list meeting with the police (Bjerke)


def _list_plans(demo: Demo, cases: list[Case]) -> list[Plan]:
    number = DEMO_DISTRICT
    district = demo.districts[number]
    units, staff = demo.units[number], demo.staff[number]
    demo_follower = next((user for user in staff.followers if user.email == DEMO_FOLLOWER), staff.followers[0])
    people = [
        (staff.coordinator, units.followup),
        (staff.leader, units.followup),
        (demo_follower, units.followup),
        (staff.police_contact, units.police),
        (staff.outreach_worker, units.outreach),
    ]
    plans = []
    for day, state in ((LIST_MEETING, Meeting.State.HELD), (NEXT_LIST_MEETING, Meeting.State.PLANNED)):
        plan = Plan(
            uid=_uid("list", number, day),
            kind=MeetingKind.LIST,
            unit=units.followup,
            district=district,
            title=f"Listemøte med politiet, bydel {district.name}",
            starts_at=_at(day, 10),
            minutes_long=90,
            created_by=staff.coordinator,
            place=f"Bydel {district.name}, møterom 2",
            agenda="1. Situasjonen i bydelen\n2. Ungdommer på listen\n3. Anonyme drøftinger\n4. Eventuelt",
            state=state,
        )
        plan.participants = [
            _participant_defaults(_staff(user, unit, present=True if state == Meeting.State.HELD else None))
            for user, unit in people
        ]
        plans.append(plan)
    held = plans[0]
    followed = sorted(
        (case for case in cases if case.state != FollowUp.State.CLOSED and case.tags & {"repeated", "reporting"}),
        key=lambda case: case.youth.national_id,
    )
    entries: list[dict[str, Any]] = []
    texts = (
        (
            "Registrert i to nye saker siden forrige listemøte (tyveri og skadeverk), begge sammen med eldre "
            "ungdommer. Politiet ser at gruppen samles ved T-banen om kveldene.",
            "Oppfølgeren tar dette opp i neste lagmøte. Politikontakten deltar.",
        ),
        (
            "Møter fast til meldeplikten. Ingen nye forhold siden forrige møte.",
            "Fortsetter som nå. Ingen tiltak fra listemøtet.",
        ),
    )
    for case, (police, decision) in zip(followed, texts, strict=False):
        entries.append(
            {"youth": case.youth, "discussion": None, "police_information": case.fill(police), "decision": decision}
        )
    listed = _free_youths(demo, number)[:1]  # a youth not in follow-up: a concern from the police
    for youth in listed:
        entries.append(
            {
                "youth": youth,
                "discussion": None,
                "police_information": (
                    "Ungdommen ble stoppet sammen med en gruppe eldre ungdommer sent en fredag. Ingen anmeldelse."
                ),
                "decision": "Politikontakten har bekymringssamtale med familien. Kan meldes til inntak med samtykke.",
            }
        )
    open_police = DiscussionCase.objects.filter(
        district=district, state=DiscussionCase.State.OPEN, unit=units.police
    ).order_by("created_at")
    for discussion in open_police:
        entries.append(
            {
                "youth": None,
                "discussion": discussion,
                "police_information": (
                    "Jenta er møtt flere ganger sent på kvelden sammen med eldre gutter. Ingen registrerte forhold."
                ),
                "decision": "Politikontakten spør foresatte om samtykke. Tas opp igjen i neste listemøte.",
            }
        )
    for entry in entries:
        entry |= {"recorded_by": staff.coordinator, "recorded_at": held.ends_at}
    held.list_entries = entries
    sections = {
        "present_services": f"{units.followup.name}, {units.police.name}, {units.outreach.name}.",
        "situation": (
            "Politiet ser en gruppe på 8–10 ungdommer som samles ved T-banestasjonen og kjøpesenteret om "
            "kveldene, flere av dem under 15 år. Noen butikktyverier og skadeverk siste måned; ingen vold."
        ),
        "other": "Utekontakten øker tilstedeværelsen på fredager frem til jul.",
    }
    decisions = "\n".join(f"{index}. {entry['decision']}" for index, entry in enumerate(entries, start=1))
    saved = held.ends_at + datetime.timedelta(hours=1)
    held.minutes = MinutesPlan(
        Minutes.State.APPROVED,
        [Revision(1, 1, sections, decisions, staff.coordinator, saved)],
        approved_at=saved + DAY,
        approved_by=staff.leader,
    )
    held.actions = [
        _action(
            "Ha bekymringssamtale med familien til ungdommen som ble stoppet",
            LIST_MEETING + DAY * 14,
            Status.IN_PROGRESS,
            owner=staff.police_contact,
            youth=None,
            created_by=staff.coordinator,
            created_at=held.ends_at,
        ),
        _action(
            "Øke tilstedeværelsen ved T-banen på fredager",
            LIST_MEETING + DAY * 7,
            Status.DONE,
            owner=staff.outreach_worker,
            youth=None,
            created_by=staff.coordinator,
            created_at=held.ends_at,
            done_note="Utekontakten har vært der to fredager; rolig begge kveldene.",
            done_at=_at(DEMO_TODAY - DAY, 10),
            done_by=staff.outreach_worker,
        ),
    ]
    return plans


# ---------------------------------------------------------------------------------------------
# Saving


def build_meetings(demo: Demo) -> None:
    plans: list[Plan] = []
    team_series_rows: list[dict[str, Any]] = []
    open_cases = [
        case for plan in FULL_DISTRICTS for case in demo.cases[plan.number] if case.state != FollowUp.State.CLOSED
    ]
    members: dict[int, list[TeamMember]] = {}
    for member in (
        TeamMember.objects.filter(youth__in=[case.youth for case in open_cases])
        .select_related("user", "unit", "guardian")
        .order_by("youth_id", "-is_lead", "kind", "starts_on", "id")
    ):
        members.setdefault(member.youth_id, []).append(member)
    demo_cases = sorted(
        (case for case in open_cases if case.lead.email == DEMO_FOLLOWER and case.started_on is not None),
        key=lambda case: (case.youth.last_name, case.youth.first_name),
    )
    for case in open_cases:
        team_series_rows.append(
            {
                "kind": MeetingKind.TEAM,
                "unit": demo.units[case.district].followup,
                "district": demo.districts[case.district],
                "youth": case.youth,
                "interval_weeks": TEAM_INTERVAL_WEEKS,
                "until": None,
                "created_by": case.lead,
                "created_at": _at(case.started_on or case.decided_on, 16),
            }
        )
    series = upsert(MeetingSeries, team_series_rows, key=("kind", "unit", "district", "youth"))
    for case, team_series in zip(open_cases, series, strict=True):
        youth_plans = _team_plans(
            demo, case, members.get(case.youth.pk, []), demo_first=bool(demo_cases) and case is demo_cases[0]
        )
        for plan in youth_plans:
            if plan.kind == MeetingKind.TEAM:
                plan.series = team_series
        if demo_cases and case is demo_cases[0]:
            _overdue_item(case, youth_plans)
        plans += youth_plans
    for district_plan in FULL_DISTRICTS:
        number = district_plan.number
        cases = demo.cases[number]
        _, intake = _intake_plans(demo, number, cases)
        _build_intake(demo, number, cases, intake)
        plans += intake
    plans += _list_plans(demo, demo.cases[DEMO_DISTRICT])
    _save(plans)
    held = sum(plan.held for plan in plans)
    demo.say(
        f"Meetings: {len(plans)} ({held} held, {len(plans) - held} planned), "
        f"action items: {sum(len(plan.actions) for plan in plans)}, "
        f"intake candidates: {IntakeCandidate.objects.count()}"
    )


def _check(plan: Plan) -> None:
    """The rules meeting_plan and minutes_save keep, asked of the plan before the bulk save:
    the time and the place (meeting_time_and_place_check), the meeting's state reached through
    MEETING_TRANSITIONS, and the minutes' headings, those of the meeting's template
    (minutes_sections_check); a plan that breaks one stops the build."""
    meeting_time_and_place_check(
        starts_at=plan.starts_at, ends_at=plan.ends_at, place=plan.place, video_link=plan.video_link
    )
    # Planned, then held or cancelled, by the meeting's table; minutes only for a meeting not cancelled.
    state: str = Meeting.State.PLANNED
    if plan.state != Meeting.State.PLANNED:
        steps: dict[str, str] = {Meeting.State.HELD: "hold", Meeting.State.CANCELLED: "cancel"}
        step = steps.get(plan.state, plan.state)
        state = transition_check(MEETING_TRANSITIONS, step, state) or state
    if plan.minutes:
        transition_check(MEETING_TRANSITIONS, "record", state)
    for revision in plan.minutes.revisions if plan.minutes else []:
        minutes_sections_check(Meeting(kind=plan.kind, about_turning_18=plan.about_turning_18), revision.sections)


def _check_action(item: ActionItem) -> None:
    """The rules action_item_add and action_item_set_status keep, in their own functions."""
    action_item_check(title=item.title, due_on=item.due_on, owner=item.owner, owner_name=item.owner_name)
    action_item_status_check(status=item.status, done_note=item.done_note)


def _check_participant(participant: MeetingParticipant, asked: set[tuple[Any, ...]]) -> None:
    """Who may take part (participant_add's rule: participant_check), and meeting_rate's rule,
    for a participant with a rating. participant_check's answer depends only on who the
    participant is (staff: the person and the service; a guardian: of which youth; the youth:
    whether the meeting is about one), so it is asked once per such person (`asked`): a team
    member takes part in every meeting of the youth's team, a coordinator in every intake."""
    about = participant.meeting.youth_id
    who: tuple[Any, ...] = (
        (participant.kind, participant.user_id, participant.unit_id)
        if participant.kind == PKind.STAFF
        else (participant.kind, participant.guardian_id, about is None, about, bool(participant.name))
    )
    if who not in asked:
        participant_check(participant=participant)
        asked.add(who)
    if participant.rating is not None:
        meeting_rating_check(participant=participant, rating=participant.rating)


def _check_minutes(meeting: Meeting, plan: MinutesPlan) -> None:
    """The minutes reached their state the way minutes_save and minutes_approve take them: each
    revision saved (a change to approved minutes makes a new version, in draft:
    MINUTES_TRANSITIONS' "revise"), and approved from draft once written
    (minutes_approve_check) by someone who may approve the meeting's minutes (core.access's
    "approve", teams.policy)."""
    state: str = Minutes.State.DRAFT
    saved = 0  # the revisions saved so far

    def approve() -> None:
        nonlocal state
        minutes_approve_check(meeting=meeting, minutes=Minutes(meeting=meeting, state=state, revision=saved))
        state = transition_check(MINUTES_TRANSITIONS, "approve", state) or state

    for index, revision in enumerate(plan.revisions):
        if state == Minutes.State.APPROVED:
            state = transition_check(MINUTES_TRANSITIONS, "revise", state) or state
        saved = revision.number
        later = plan.revisions[index + 1 :]
        if later and later[0].version != revision.version:  # approved before the next version
            approve()
    if plan.state == Minutes.State.APPROVED and state != Minutes.State.APPROVED:
        approve()
    if state != plan.state:
        raise ValidationError(f"The minutes of {meeting.uid} would be {state}, not {plan.state}.")
    if plan.state == Minutes.State.APPROVED and not (
        plan.approved_by is not None and access.can(plan.approved_by, meeting, "approve")
    ):
        raise PermissionDenied(f"{plan.approved_by} may not approve the minutes of {meeting.uid}.")


def _save(plans: list[Plan]) -> None:
    for plan in plans:
        _check(plan)
    meetings = upsert(Meeting, [plan.row() for plan in plans], key=("uid",))
    by_uid = {meeting.uid: meeting for meeting in meetings}
    participants = [
        row | {"meeting": meeting} for plan, meeting in zip(plans, meetings, strict=True) for row in plan.participants
    ]
    upsert(
        MeetingParticipant,
        participants,
        key=("meeting", "kind", "user", "guardian", "name"),
        check=partial(_check_participant, asked=set()),
    )

    with_minutes = [(plan, meeting) for plan, meeting in zip(plans, meetings, strict=True) if plan.minutes]
    minutes_rows = []
    for plan, meeting in with_minutes:
        assert plan.minutes is not None
        current = plan.minutes.revisions[-1]
        minutes_rows.append(
            {
                "meeting": meeting,
                "revision": current.number,
                "version": current.version,
                "state": plan.minutes.state,
                "approved_at": plan.minutes.approved_at,
                "approved_by": plan.minutes.approved_by,
            }
        )
    for plan, meeting in with_minutes:
        assert plan.minutes is not None
        _check_minutes(meeting, plan.minutes)
    minutes = upsert(Minutes, minutes_rows, key=("meeting",))
    revisions = [
        MinutesRevision(
            minutes=saved,
            number=revision.number,
            version=revision.version,
            sections=revision.sections,
            decisions=revision.decisions,
            saved_by=revision.saved_by,
            saved_at=revision.saved_at,
            change_note=revision.change_note,
        )
        for (plan, _), saved in zip(with_minutes, minutes, strict=True)
        for revision in (plan.minutes.revisions if plan.minutes else [])
    ]
    _insert_missing(MinutesRevision, revisions, ("minutes_id", "number"))

    actions = [
        row | {"meeting": meeting} for plan, meeting in zip(plans, meetings, strict=True) for row in plan.actions
    ]
    upsert(ActionItem, actions, key=("meeting", "title"), check=_check_action)
    entries = [
        row | {"meeting": meeting} for plan, meeting in zip(plans, meetings, strict=True) for row in plan.list_entries
    ]
    upsert(ListMeetingEntry, entries, key=("meeting", "youth", "discussion"))
    decisions = [
        IntakeDecision(**(row | {"meeting": by_uid[row["meeting"]]})) for plan in plans for _, row in plan.decisions
    ]
    for decision in decisions:  # intake_decide's rules, in its own check
        intake_decision_check(
            candidate=decision.candidate,
            meeting=decision.meeting,
            outcome=decision.outcome,
            referred_to=decision.referred_to,
        )
    _insert_missing(IntakeDecision, decisions, ("candidate_id", "meeting_id"))


def _insert_missing(
    model: type[MinutesRevision] | type[IntakeDecision], objects: list[Any], key: tuple[str, str]
) -> None:
    """Insert the rows not there yet; append-only tables are never updated."""
    if not objects:
        return
    first, second = key
    have = set(
        model._default_manager.filter(**{f"{first}__in": {getattr(obj, first) for obj in objects}}).values_list(
            first, second
        )
    )
    model._default_manager.bulk_create(
        [obj for obj in objects if (getattr(obj, first), getattr(obj, second)) not in have]
    )
