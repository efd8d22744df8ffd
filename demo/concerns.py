"""The demo's concern reports (bekymringsmeldinger) and the schools' fixed barnevern contacts.

Schools. In each full district every school has a fixed contact person in the district's
barnevern service (referrals.SchoolContact, routine 1 of seed 002): the caseworkers take turns;
the demo caseworker (caseworker@demo.laget.no) is the contact of Linderud skole, the demo school
contact's school, and took over from a colleague when the school year 2025/26 began (the ended
row shows the history).

Reports. Laid out around DEMO_TODAY (Wednesday 25 November 2026) so that every state is there
and still makes sense when the demo is shown in early December (SHOWN_FROM, 3 December):

Bjerke (the demo district), with the demo caseworker on most of them:
- received and not reviewed: a letter from NAV received 13 November (review OVERDUE since
  20 November), and a school form from the demo school contact on Monday 23 November;
- investigating: the demo school contact's report of Friday 4 September, whose investigation is
  due on Friday 4 December, 3 months after the report was received (§ 2-2 counts from receipt;
  warned since 20 November); a NEW REPORT IN THAT ACTIVE CASE from the outreach
  service (linked, with its own clock); a VIOLENCE report from the school on 10 November, the
  guardians not informed and not yet to be told; a phone call from a neighbour about a child who
  is not registered; a police letter from June whose investigation was EXTENDED to 6 months
  with a special reason;
- closed without investigation (with a reason): a KS Fiks report from the health service, and a
  school form;
- closed after investigation: a school form from May, with every feedback sent;
- measures: one with a new contact person who held a handover meeting with the school within a
  week, and one whose new contact person has done nothing in the five weeks since the
  transition (the handover gap of seed 002).
Alna and Søndre Nordstrand have a few each, among them a violence report where the guardians may
now be told, a KS Fiks report from BUP and a report from a grandmother.

Children are mostly registered youths of the district (several in one-to-one follow-up, so the
follower's and the caseworker's work meet), a younger brother or sister, and one child not
registered. Guardians are those with parental responsibility, each with informed yes or no and
why not. The texts are synthetic (no real person), chosen per report from a stream of its own.

Rows are written directly with `upsert` (no audit entries, no notifications): reports keyed on
their barnevern service and the moment received, children and guardians on the report and name,
school contacts on the school and start. ConcernReportEvent is append-only in PostgreSQL: events
are inserted only when missing (report, action, time), never updated.

Each report is first asked concern_report_receive's rules in the service's own functions: who
receives it, into which service, for whom (concern_report_receiver_check), a school's report
going to the school's fixed contact on the day (school_contact_for), and who links its child to
a registered youth (concern_report_child_link_check: whoever sees the youth, or barnevern staff
of the receiving service; a link reveals that the youth is registered). A school contact in the
youth's team picks the youth in the school's form; for a pupil they do not work with in Laget
the school names the child by name and identity number, and the school's fixed contact, who
receives the report (routine 1 of seed 002), links the child within the hour
(concern_report_child_link, the report page's «link the child»; a "child_linked" event of
theirs). So the reports stay linked to the registered youths and their follow-ups, as the demo
shows. Its events are walked in order (`_check_way`): each step of the workflow allowed by
CONCERN_TRANSITIONS, the caseworker given by someone who may give it to someone who may take it
(concern_report_assign_check), each feedback to the reporter recorded when the service would
record it (concern_report_feedback_check), each asked of the report as it was at that step.
"""

from __future__ import annotations

import copy
import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import FollowUp, Guardian, Guardianship, Youth
from core.dates import OSLO
from core.models import User
from core.workflow import transition_check
from org.models import StaffRole, Unit
from referrals.concerns.services import FEEDBACK as SERVICE_FEEDBACK
from referrals.concerns.services import (
    concern_report_assign_check,
    concern_report_child_link_check,
    concern_report_feedback_check,
    concern_report_receiver_check,
    school_contact_for,
)
from referrals.models import (
    CONCERN_TRANSITIONS,
    ConcernReport,
    ConcernReportChild,
    ConcernReportEvent,
    ConcernReportGuardian,
    SchoolContact,
)

from . import names
from .builders import FULL_DISTRICTS, Demo, DistrictStaff, DistrictUnits, upsert
from .followups import DEMO_CLOCK, DEMO_FOLLOWER, DEMO_TODAY

DAY = datetime.timedelta(days=1)
CONTACTS_FROM = datetime.date(2025, 8, 1)  # the school year 2025/26: the present contacts
EARLIER_CONTACT_FROM = datetime.date(2023, 8, 1)

State = ConcernReport.State
Kind = ConcernReport.Kind
Channel = ConcernReport.Channel
ReporterKind = ConcernReport.ReporterKind

# What the events' `action` says: the words referrals.concerns.services writes, and
# "handover_meeting" for the new contact person's handover meeting (routine 3).
RECEIVED = "received"
ASSIGNED = "assigned"
REVIEWED_CLOSED = "closed_uninvestigated"
INVESTIGATION_OPENED = "investigation_opened"
INVESTIGATION_EXTENDED = "investigation_extended"
CONCLUDED = "concluded"
MEASURES = "measures"
GUARDIANS_MAY_BE_TOLD = "guardians_may_be_told"
FEEDBACK = {which: action for which, (_field, action) in SERVICE_FEEDBACK.items()}
FEEDBACK_OF = {action: which for which, action in FEEDBACK.items()}
HANDOVER_MEETING = "handover_meeting"
CHILD_LINKED = "child_linked"
# A school's fixed contact links the child the school named to the registered youth within the
# hour the report came in (concern_report_child_link): before any other step of the report.
LINKED_AFTER = datetime.timedelta(hours=1)
# The received event's note names the channel, in Norwegian whatever language the seed runs in.
CHANNEL_NOTES: dict[str, str] = {
    Channel.SCHOOL_FORM: "Skoleskjema i Laget",
    Channel.LAGET: "Skjema i Laget",
    Channel.PHONE: "Telefon",
    Channel.LETTER: "Brev",
    Channel.KS_FIKS: "KS Fiks",
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def _d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


# ---------------------------------------------------------------------------------------------
# The plan: one Spec per report


@dataclass(frozen=True)
class Spec:
    """One report as planned. Times are Oslo times; `None` means the step has not happened."""

    key: str  # names the report in the plan (and its random stream)
    district: int
    state: str
    channel: str
    reporter: str  # "school:<index>", "nav", "health", "ppt", "police", "outreach", "bup", "private:<relation>"
    received: datetime.datetime
    theme: str
    child: str  # "school", "school-followup", "followup", "older", "sibling", "new", "same:<key>"
    caseworker: int = 0  # index into the district's caseworkers
    kind: str = Kind.ORDINARY
    active_case: str = ""  # the key of the report in whose active case this one comes
    reviewed: datetime.datetime | None = None
    started: datetime.date | None = None
    extended: datetime.datetime | None = None
    concluded: datetime.date | None = None
    measures_on: datetime.date | None = None
    handover: datetime.datetime | None = None  # the new contact person's handover meeting
    receipt: datetime.datetime | None = None
    opening: datetime.datetime | None = None
    conclusion_feedback: datetime.datetime | None = None
    may_be_told: datetime.datetime | None = None
    demo_follower: bool = False  # the child is one of the demo follower's youths, if one fits


SPECS: tuple[Spec, ...] = (
    # --- Bjerke ---------------------------------------------------------------------------
    Spec(
        "bjerke-nav-overdue",
        9,
        State.RECEIVED,
        Channel.LETTER,
        "nav",
        _at(_d(11, 13), 10, 12),
        theme="dropout",
        child="older",
    ),
    Spec(
        "bjerke-school-new",
        9,
        State.RECEIVED,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(11, 23), 9, 40),
        theme="absence",
        child="school-followup",
        demo_follower=True,
    ),
    Spec(
        "bjerke-school-deadline",
        9,
        State.INVESTIGATING,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(9, 4), 12, 30),
        theme="home",
        child="school-followup",
        reviewed=_at(_d(9, 9), 14, 5),
        started=_d(9, 10),
        receipt=_at(_d(9, 11), 9, 15),
        opening=_at(_d(9, 11), 9, 20),
        demo_follower=True,
    ),
    Spec(
        "bjerke-outreach-active-case",
        9,
        State.INVESTIGATING,
        Channel.PHONE,
        "outreach",
        _at(_d(11, 16), 16, 20),
        kind=Kind.ACTIVE_CASE,
        active_case="bjerke-school-deadline",
        theme="night",
        child="same:bjerke-school-deadline",
        reviewed=_at(_d(11, 18), 10, 30),
        started=_d(11, 18),
        receipt=_at(_d(11, 19), 8, 45),
        opening=_at(_d(11, 19), 8, 50),
    ),
    Spec(
        "bjerke-school-violence",
        9,
        State.INVESTIGATING,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(11, 10), 8, 50),
        kind=Kind.VIOLENCE,
        theme="violence",
        child="school",
        reviewed=_at(_d(11, 10), 13, 30),
        started=_d(11, 10),
        receipt=_at(_d(11, 11), 8, 10),
    ),
    Spec(
        "bjerke-neighbour-phone",
        9,
        State.INVESTIGATING,
        Channel.PHONE,
        "private:neighbour",
        _at(_d(11, 18), 15, 10),
        caseworker=1,
        theme="young-child",
        child="new",
        reviewed=_at(_d(11, 24), 11, 0),
        started=_d(11, 24),
        receipt=_at(_d(11, 24), 14, 20),
    ),
    Spec(
        "bjerke-police-extended",
        9,
        State.INVESTIGATING,
        Channel.LETTER,
        "police",
        _at(_d(6, 29), 9, 15),
        caseworker=1,
        theme="crime",
        child="followup",
        reviewed=_at(_d(7, 3), 11, 40),
        started=_d(7, 6),
        extended=_at(_d(9, 28), 13, 0),
        receipt=_at(_d(7, 6), 10, 0),
        opening=_at(_d(7, 6), 10, 5),
    ),
    Spec(
        "bjerke-health-ks-fiks",
        9,
        State.CLOSED_UNINVESTIGATED,
        Channel.KS_FIKS,
        "health",
        _at(_d(10, 26), 8, 3),
        theme="mental-health",
        child="older",
        reviewed=_at(_d(10, 29), 12, 45),
        receipt=_at(_d(10, 30), 9, 0),
        opening=_at(_d(10, 30), 9, 5),
    ),
    Spec(
        "bjerke-school-closed-uninvestigated",
        9,
        State.CLOSED_UNINVESTIGATED,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(9, 14), 9, 5),
        theme="hygiene",
        child="school",
        reviewed=_at(_d(9, 17), 14, 15),
        receipt=_at(_d(9, 18), 8, 30),
        opening=_at(_d(9, 18), 8, 35),
    ),
    Spec(
        "bjerke-school-closed",
        9,
        State.CLOSED,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(5, 11), 10, 0),
        theme="absence",
        child="school",
        reviewed=_at(_d(5, 13), 15, 0),
        started=_d(5, 15),
        concluded=_d(8, 7),
        receipt=_at(_d(5, 18), 9, 0),
        opening=_at(_d(5, 18), 9, 5),
        conclusion_feedback=_at(_d(8, 14), 10, 30),
    ),
    Spec(
        "bjerke-school-measures",
        9,
        State.MEASURES,
        Channel.SCHOOL_FORM,
        "school:2",
        _at(_d(4, 14), 11, 45),
        theme="home",
        child="school-followup",
        reviewed=_at(_d(4, 17), 10, 0),
        started=_d(4, 20),
        concluded=_d(7, 10),
        measures_on=_d(8, 10),
        handover=_at(_d(8, 17), 13, 0),
        receipt=_at(_d(4, 20), 9, 30),
        opening=_at(_d(4, 20), 9, 35),
        conclusion_feedback=_at(_d(7, 24), 11, 0),
        demo_follower=True,
    ),
    Spec(
        "bjerke-ppt-measures-gap",
        9,
        State.MEASURES,
        Channel.LETTER,
        "ppt",
        _at(_d(6, 22), 10, 20),
        theme="young-child",
        child="sibling",
        reviewed=_at(_d(6, 25), 9, 30),
        started=_d(6, 26),
        concluded=_d(9, 18),
        measures_on=_d(10, 26),
        receipt=_at(_d(6, 26), 12, 0),
        opening=_at(_d(6, 26), 12, 5),
        conclusion_feedback=_at(_d(10, 2), 9, 0),
    ),
    # --- Alna ----------------------------------------------------------------------------
    Spec(
        "alna-school-investigating",
        12,
        State.INVESTIGATING,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(10, 12), 11, 10),
        theme="absence",
        child="school",
        reviewed=_at(_d(10, 15), 14, 0),
        started=_d(10, 16),
        receipt=_at(_d(10, 19), 9, 0),
        opening=_at(_d(10, 19), 9, 5),
    ),
    Spec(
        "alna-grandmother-phone",
        12,
        State.CLOSED_UNINVESTIGATED,
        Channel.PHONE,
        "private:grandmother",
        _at(_d(10, 1), 13, 25),
        caseworker=1,
        theme="home",
        child="followup",
        reviewed=_at(_d(10, 6), 10, 15),
        receipt=_at(_d(10, 8), 9, 0),
    ),
    Spec(
        "alna-school-violence-told",
        12,
        State.INVESTIGATING,
        Channel.SCHOOL_FORM,
        "school:1",
        _at(_d(9, 21), 9, 5),
        kind=Kind.VIOLENCE,
        theme="violence",
        child="school",
        reviewed=_at(_d(9, 21), 12, 0),
        started=_d(9, 21),
        may_be_told=_at(_d(9, 24), 15, 30),
        receipt=_at(_d(9, 22), 8, 40),
        opening=_at(_d(9, 22), 8, 45),
    ),
    Spec(
        "alna-police-measures",
        12,
        State.MEASURES,
        Channel.LETTER,
        "police",
        _at(_d(5, 4), 14, 0),
        theme="crime",
        child="followup",
        reviewed=_at(_d(5, 7), 9, 45),
        started=_d(5, 8),
        concluded=_d(7, 31),
        measures_on=_d(8, 17),
        handover=_at(_d(8, 24), 14, 0),
        receipt=_at(_d(5, 11), 10, 0),
        opening=_at(_d(5, 11), 10, 5),
        conclusion_feedback=_at(_d(8, 5), 12, 0),
    ),
    # --- Søndre Nordstrand -----------------------------------------------------------------
    Spec(
        "sondre-school-new",
        15,
        State.RECEIVED,
        Channel.SCHOOL_FORM,
        "school:0",
        _at(_d(11, 24), 13, 15),
        theme="hygiene",
        child="school",
    ),
    Spec(
        "sondre-bup-ks-fiks",
        15,
        State.INVESTIGATING,
        Channel.KS_FIKS,
        "bup",
        _at(_d(10, 20), 7, 45),
        caseworker=1,
        theme="mental-health",
        child="followup",
        reviewed=_at(_d(10, 22), 13, 20),
        started=_d(10, 23),
        receipt=_at(_d(10, 26), 9, 0),
        opening=_at(_d(10, 26), 9, 5),
    ),
    Spec(
        "sondre-school-closed",
        15,
        State.CLOSED,
        Channel.SCHOOL_FORM,
        "school:1",
        _at(_d(3, 16), 10, 30),
        theme="dropout",
        child="school",
        reviewed=_at(_d(3, 19), 11, 0),
        started=_d(3, 20),
        concluded=_d(6, 12),
        receipt=_at(_d(3, 23), 9, 0),
        opening=_at(_d(3, 23), 9, 5),
        conclusion_feedback=_at(_d(6, 19), 10, 0),
    ),
)


# ---------------------------------------------------------------------------------------------
# Texts: the KS Fiks parts (melding, historie, andre synspunkter), a few variants per theme

# {name} is the child's first name, {they} "hun"/"han"/"hen", {school} the reporter's school or service.
THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "absence": {
        "concern": (
            "{name} har hatt stort fravær siden skolestart, ofte hele dager uten at skolen får beskjed. "
            "Når {they} er på skolen virker {they} sliten og trukket tilbake, og {they} har sagt til "
            "kontaktlæreren at {they} ikke orker å være hjemme om kveldene.",
            "Vi er bekymret for {name}s skolegang. Fraværet har økt jevnt dette skoleåret, og de siste "
            "ukene har {they} vært borte nesten halvparten av dagene. Foresatte svarer sjelden på "
            "meldinger fra skolen.",
        ),
        "history": (
            "Skolen har hatt to samtaler med foresatte og satt inn tiltak i klassen (fast voksen om "
            "morgenen, tilpasset timeplan). Fraværet har likevel økt. Helsesykepleier har hatt samtaler "
            "med {name} siden september.",
            "{name} hadde noe fravær i fjor også, men det bedret seg etter et møte med foresatte i mars. "
            "Etter sommerferien har bildet endret seg, og skolen når ikke fram til familien.",
        ),
        "other_views": (
            "Mor sier at {name} har vondt i magen om morgenene og at familien har det travelt. Hun er enig "
            "i at det trengs hjelp, men vil helst ikke at barnevernet kobles inn.",
            "Skolen har drøftet saken anonymt med fast kontaktperson i barnevernet før meldingen ble sendt.",
        ),
    },
    "home": {
        "concern": (
            "{name} har flere ganger fortalt at det er mye krangling hjemme og at {they} ikke får sove. "
            "{They} kommer ofte uten matpakke og ber om mat i friminuttene.",
            "Vi er bekymret for omsorgssituasjonen til {name}. {They} har sagt at {they} er mye alene "
            "hjemme om kveldene og passer yngre søsken, og {they} virker engstelig når skoledagen er slutt.",
        ),
        "history": (
            "Bekymringen har vokst fram over høsten. Kontaktlærer har hatt jevnlige samtaler med {name}, "
            "og skolen har hatt ett møte med foresatte, der far ikke møtte.",
            "Familien flyttet til bydelen for to år siden. Skolen har hatt god kontakt med mor, men "
            "kontakten har blitt sjeldnere dette skoleåret.",
        ),
        "other_views": (
            "Foresatte mener at skolen overdriver, og at {name} har det bra hjemme.",
            "Helsesykepleier deler skolens bekymring og har samtykke fra {name} til å dele det {they} har fortalt.",
        ),
    },
    "violence": {
        "concern": (
            "{name} fortalte i dag kontaktlæreren at far slår {them} når han blir sint, sist i helgen. "
            "{They} hadde et blåmerke på overarmen. {Name} er redd for å dra hjem.",
            "{name} har fortalt helsesykepleier at en voksen i familien har tatt kvelertak på {them}. "
            "{They} var tydelig redd og ba oss om ikke å si noe hjemme.",
        ),
        "history": (
            "Skolen har lagt merke til at {name} har vært urolig og innesluttet de siste månedene, og har "
            "hatt flere fraværsdager etter helger. Ingen tidligere meldinger fra skolen.",
            "Skolen ringte barnevernet samme dag og fulgte rutinen ved bekymringsmelding om vold. "
            "Eleven ble værende på skolen til barnevernet hadde snakket med {them}.",
        ),
        "other_views": (
            "Skolen har etter samråd med barnevernet ikke kontaktet foresatte.",
            "Rektor og kontaktlærer er informert. Ingen andre på skolen kjenner til meldingen.",
        ),
    },
    "young-child": {
        "concern": (
            "Vi er bekymret for {name}, som ofte er ute alene sent på kvelden, også i kulda, uten nok klær. "
            "{They} har flere ganger sagt at {they} ikke kommer inn hjemme.",
            "{name} virker sulten og sliten, og er ofte ikke hentet når SFO stenger. Det har skjedd flere "
            "ganger at ingen har svart når vi har ringt foresatte.",
        ),
        "history": (
            "Det har pågått siden sommeren. Melder har hørt høye stemmer fra leiligheten flere kvelder i uka.",
            "Det har vært kontakt med familien tidligere om henting og oppmøte, uten at det har bedret seg.",
        ),
        "other_views": (
            "Melder ønsker ikke at familien skal få vite hvem som har meldt.",
            "PPT har utredet {name} og mener at hjelpen på skolen ikke er nok alene.",
        ),
    },
    "crime": {
        "concern": (
            "{name} er i høst registrert i fire saker om tyveri og skadeverk sammen med eldre ungdommer, "
            "og ble sist pågrepet sent på kvelden. Politiet er bekymret for at {they} rekrutteres til et "
            "kriminelt miljø.",
            "Politiet har stanset {name} flere ganger sent på kvelden i miljøer der det omsettes narkotika. "
            "{They} hadde sist en kniv på seg.",
        ),
        "history": (
            "Første registrerte sak var i vår. Bekymringssamtale med {name} og foresatte ble holdt i juni.",
            "Politiet har hatt bekymringssamtale med {name} og mor. {Name} følges nå opp i én-til-én-oppfølging.",
        ),
        "other_views": (
            "Foresatte ønsker hjelp og er orientert om at politiet sender bekymringsmelding.",
            "{name} sier selv at {they} vil ut av miljøet, men at det er vanskelig.",
        ),
    },
    "night": {
        "concern": (
            "Utekontakten møtte {name} på Veitvet senter etter midnatt tre netter den siste uka, i en gruppe "
            "eldre ungdommer. {They} virket ruset og sa at {they} ikke ville hjem.",
        ),
        "history": (
            "Utekontakten kjenner {name} fra fritidsklubben. Vi vet at barnevernet har en pågående sak og "
            "melder fordi dette er nytt og akutt.",
        ),
        "other_views": ("{name} har samtykket til at utekontakten sier fra til barnevernet.",),
    },
    "mental-health": {
        "concern": (
            "{name} har de siste ukene fortalt om selvskading og at {they} ikke ser noen vits i å være her. "
            "Vi er bekymret for at hjelpen hjemme ikke er god nok, og at foresatte ikke følger opp "
            "timer hos oss.",
            "{name} har tydelige tegn på depresjon, spiser lite og isolerer seg. Foresatte har avlyst tre "
            "avtaler den siste måneden.",
        ),
        "history": (
            "{name} har gått til samtaler siden i vår. Foresatte har vært med i to av samtalene.",
            "Henvist av fastlege i august. Oppfølgingen har vært ustabil på grunn av avlyste timer.",
        ),
        "other_views": (
            "Mor mener at {name} trenger ro og at flere instanser vil gjøre det verre.",
            "Fastlegen er orientert og deler bekymringen.",
        ),
    },
    "hygiene": {
        "concern": (
            "{name} kommer ofte på skolen i de samme klærne flere dager på rad, og andre elever har begynt "
            "å kommentere det. {They} har sagt at vaskemaskinen hjemme er ødelagt.",
            "{name} har ofte dårlig hygiene og mangler ofte gymtøy og utstyr. Vi vet ikke om familien har "
            "det vanskelig økonomisk.",
        ),
        "history": (
            "Skolen har tatt det opp med mor i en utviklingssamtale. Det ble bedre en periode.",
            "Dette har vart i omtrent et halvt år.",
        ),
        "other_views": (
            "Mor sier at familien har hatt en tung periode og at det er i ferd med å ordne seg.",
            "Skolen har ikke snakket med far.",
        ),
    },
    "dropout": {
        "concern": (
            "{name} har sluttet å møte til avtaler og har ikke startet på skole eller arbeid denne høsten. "
            "{They} bor fortsatt hjemme, og det er mye konflikt med foresatte.",
            "{name} har ikke vært på skolen siden oktober og har sagt at {they} vil slutte. Vi er bekymret "
            "for at {they} blir gående uten noe å gjøre.",
        ),
        "history": (
            "{name} hadde mye fravær på ungdomsskolen og fikk ikke plass på ønsket utdanningsprogram.",
            "Det har vært kontakt med foresatte flere ganger siden i fjor uten bedring.",
        ),
        "other_views": (
            "{name} sier selv at {they} ønsker hjelp til å komme i jobb.",
            "Foresatte er slitne og ønsker hjelp.",
        ),
    },
}

CLOSING_REASONS = (
    "Meldingen er gjennomgått og drøftet i mottaksmøtet. Familien har allerede hjelp fra {service}, og "
    "bekymringen er ikke av en slik art at vilkårene for undersøkelse etter barnevernsloven § 2-2 er "
    "oppfylt. Melder er anbefalt å fortsette samarbeidet med familien og melde på nytt om situasjonen "
    "endrer seg.",
    "Barnevernet har hatt samtale med foresatte etter at meldingen kom inn. Forholdene som er beskrevet er "
    "avklart: familien har fått hjelp til {help}, og det er ikke grunn til å anta at det foreligger "
    "forhold som gir grunnlag for tiltak. Meldingen henlegges uten undersøkelse.",
)
HELP = ("økonomisk råd fra NAV", "ny vaskemaskin og klær gjennom NAV", "avtaler hos fastlegen")
EXTENSION_REASON = (
    "Sakkyndig vurdering fra BUP er bestilt og ventes ikke før i november. Uten den kan barnevernet ikke ta "
    "stilling til hvilke tiltak {name} trenger. Undersøkelsen utvides derfor til seks måneder "
    "(barnevernsloven § 2-2 annet ledd)."
)
CONCLUSIONS_CLOSED = (
    "Undersøkelsen er avsluttet uten tiltak. Fraværet har gått ned etter samarbeidsmøter mellom skole, hjem "
    "og helsesykepleier, og foresatte følger opp. Det er ikke grunnlag for tiltak fra barnevernet.",
    "Undersøkelsen viser at {name} har god omsorg hjemme. Skolen og familien har avtalt tett oppfølging. "
    "Saken henlegges etter undersøkelse.",
)
CONCLUSIONS_MEASURES = (
    "Undersøkelsen er avsluttet med vedtak om hjelpetiltak: råd og veiledning til foresatte, og en "
    "støttekontakt for {name}. Ny kontaktperson i avdeling tiltak følger saken videre.",
    "Undersøkelsen viser behov for hjelpetiltak i hjemmet (foreldreveiledning) og fast oppfølging av "
    "skolegangen. Saken overføres til avdeling tiltak med ny kontaktperson.",
)
MAY_BE_TOLD_NOTE = (
    "Politiet har gjennomført tilrettelagt avhør, og barnevernet har snakket med {name}. Foresatte kan nå "
    "orienteres om meldingen. Skolen er gitt beskjed."
)
VIOLENCE_GUARDIAN_REASON = (
    "Meldingen gjelder mistanke om vold i hjemmet. Etter rutinen ved bekymringsmelding om vold orienteres "
    "ikke foresatte før barnevernet har vurdert saken."
)
GUARDIAN_NOT_TOLD = (
    "Bor ikke sammen med barnet, og melder har ikke kontakt med ham.",
    "Har ikke svart på henvendelser fra melder.",
    "Melder vurderte at det kunne gjøre situasjonen vanskeligere for barnet.",
)
HANDOVER_NOTE = (
    "Overføringsmøte med {name}, foresatte og skolens kontaktperson. Ny kontaktperson presentert; avtalt "
    "oppfølging av skolegangen og neste møte om seks uker."
)


# ---------------------------------------------------------------------------------------------
# Schools' fixed barnevern contacts


# The step of the report's workflow (referrals.models.CONCERN_TRANSITIONS, which the services
# apply) that each event records; the other events (received, assigned, receipts, guardians may
# be told) are not steps of the workflow.
EVENT_STEPS = {
    REVIEWED_CLOSED: "close",
    INVESTIGATION_OPENED: "open",
    INVESTIGATION_EXTENDED: "extend",
    CONCLUDED: "conclude",
    MEASURES: "conclude_measures",
    FEEDBACK["opening"]: "feedback_opening",
    HANDOVER_MEETING: "handover",
}


def build_concerns(demo: Demo) -> None:
    contacts = _school_contacts(demo)
    reports, events = _reports(demo, contacts)
    for report in reports:
        _check_way(report, [event for event in events if event.report_id == report.pk])
    _insert_missing_events(events)
    by_state: dict[str, int] = {}
    for report in reports:
        by_state[report.state] = by_state.get(report.state, 0) + 1
    states = ", ".join(f"{state} {count}" for state, count in sorted(by_state.items()))
    demo.say(
        f"Concern reports: {len(reports)} ({states}), events: {ConcernReportEvent.objects.count()}, "
        f"school contacts: {len(contacts)}"
    )


def _check_way(report: ConcernReport, events: list[ConcernReportEvent]) -> None:
    """The report got to its state the way the services would have taken it: its steps, in the
    order they were taken, each allowed by the workflow's table from the state before it
    (core.workflow.transition_check, the services' own check); the caseworker given by someone
    who may give it to someone who may take it (concern_report_assign_check), and each feedback
    to the reporter recorded when the services would record it (concern_report_feedback_check),
    each asked of the report as it was at that step. A plan that breaks it stops the build with
    the service's message."""
    state: str = State.RECEIVED
    then = copy.copy(report)  # the report as it was at each step
    then.state = state
    then.investigation_concluded_on = None
    for sent_field, _action in SERVICE_FEEDBACK.values():
        setattr(then, sent_field, None)
    if any(event.action == ASSIGNED for event in events):
        then.caseworker = None
    for event in sorted(events, key=lambda event: event.at):
        if event.action == ASSIGNED:
            assert event.actor is not None
            concern_report_assign_check(actor=event.actor, report=then, caseworker=report.caseworker)
            then.caseworker = report.caseworker
        which = FEEDBACK_OF.get(event.action)
        if which is not None:
            concern_report_feedback_check(report=then, which=which, sent_at=event.at, now=DEMO_CLOCK)
            setattr(then, SERVICE_FEEDBACK[which][0], event.at)
        if event.action in (CONCLUDED, MEASURES):
            then.investigation_concluded_on = report.investigation_concluded_on
        step = EVENT_STEPS.get(event.action)
        if step is not None:
            state = transition_check(CONCERN_TRANSITIONS, step, state) or state
            then.state = state
    if state != report.state:
        raise ValidationError(f"The demo's concern report {report.pk} is {report.state}; its steps lead to {state}.")


def _school_contacts(demo: Demo) -> dict[int, User]:
    """Each school's present contact (by school id). The caseworkers of the district take turns;
    in the demo district the demo caseworker has the demo school contact's school."""
    rows: list[dict[str, Any]] = []
    present: dict[int, User] = {}
    for plan in FULL_DISTRICTS:
        units = demo.units[plan.number]
        caseworkers = demo.staff[plan.number].caseworkers
        for index, school in enumerate(units.schools):
            contact = caseworkers[index % len(caseworkers)]
            present[school.pk] = contact
            if index == 0:
                # The school had a colleague as its contact until the school year 2025/26.
                rows.append(
                    _contact_row(
                        school,
                        units.barnevern,
                        caseworkers[1 % len(caseworkers)],
                        EARLIER_CONTACT_FROM,
                        CONTACTS_FROM - DAY,
                    )
                )
            rows.append(_contact_row(school, units.barnevern, contact, CONTACTS_FROM, None))
    upsert(SchoolContact, rows, key=("school", "starts_on"))
    return present


def _contact_row(
    school: Unit, barnevern: Unit, contact: User, starts_on: datetime.date, ends_on: datetime.date | None
) -> dict[str, Any]:
    return {
        "school": school,
        "barnevern_unit": barnevern,
        "contact": contact,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass
class Reporter:
    kind: str
    fields: dict[str, Any]  # the reporter_* fields
    actor: User | None  # who registered the report in Laget (the school contact, or the mottak)
    service: str  # how the texts name the reporter's service


@dataclass
class Child:
    youth: Youth | None
    name: str
    first: str
    pronoun: str  # hun / han / hen
    row: dict[str, Any] = field(default_factory=dict)
    mother: str = ""  # for a child not registered: the mother as the reporter named her


def _pronoun(youth: Youth | None, rng: random.Random) -> str:
    if youth is None:
        return rng.choice(("hun", "han"))
    return {"female": "hun", "male": "han"}.get(youth.gender, "hen")


def _object(pronoun: str) -> str:
    return {"hun": "henne", "han": "ham"}.get(pronoun, "hen")


def _phone(rng: random.Random, *, mobile: bool = True) -> str:
    number = rng.randint(0, 9_999_999)
    first = rng.choice("49") if mobile else "2"
    return f"{first}{number // 100_000:02d} {number // 1000 % 100:02d} {number % 1000:03d}"


def _org_address(demo: Demo, unit: Unit) -> dict[str, str]:
    rng = demo.rng("concern-org-address", unit.name)
    district = unit.district.name if unit.district is not None else "Bjerke"
    street = rng.choice(names.STREETS.get(district, names.STREETS["Bjerke"]))
    return {
        "adresselinje1": f"{street} {rng.randint(1, 90)}",
        "postnummer": names.POSTAL_CODES[street],
        "poststed": "Oslo",
    }


def _public(demo: Demo, rng: random.Random, user: User, unit: Unit, role: str) -> dict[str, Any]:
    return {
        "reporter_name": user.full_name,
        "reporter_role": role,
        "reporter_organisation": unit.name,
        "reporter_org_number": f"9{rng.randint(70_000_000, 99_999_999)}",
        "reporter_phone": user.phone or _phone(rng, mobile=False),
        "reporter_email": user.email,
        "reporter_address": _org_address(demo, unit),
        "reporter_relation": "",
    }


def _reporter(
    demo: Demo, spec: Spec, rng: random.Random, titles: dict[int, str]
) -> tuple[Reporter, Unit | None, User | None]:
    """The reporter's fields, the school (reporter_unit) and the user who sent it in Laget."""
    units = demo.units[spec.district]
    staff = demo.staff[spec.district]
    mottak = staff.barnevern_leader
    source, _, detail = spec.reporter.partition(":")
    if source == "school":
        school = units.schools[int(detail)]
        user = staff.school_contacts[int(detail)]
        fields = _public(demo, rng, user, school, titles.get(user.pk, "") or "lærer")
        return Reporter(ReporterKind.PUBLIC, fields, user, school.name), school, user
    if source == "private":
        origin = names.NORWEGIAN if detail == "neighbour" else rng.choice((names.NORWEGIAN, names.PAKISTANI))
        female = detail == "grandmother" or rng.random() < 0.6
        first = rng.choice(names.ADULT_FIRST_NAMES[origin][names.FEMALE if female else names.MALE])
        last = rng.choice(names.LAST_NAMES[origin])
        relation = {"neighbour": "nabo", "grandmother": "mormor"}[detail]
        street = rng.choice(names.STREETS[demo.districts[spec.district].name])
        fields = {
            "reporter_name": f"{first} {last}",
            "reporter_role": "",
            "reporter_organisation": "",
            "reporter_org_number": "",
            "reporter_phone": _phone(rng),
            "reporter_email": "",
            "reporter_address": {
                "adresselinje1": f"{street} {rng.randint(1, 140)}",
                "postnummer": names.POSTAL_CODES[street],
                "poststed": "Oslo",
            },
            "reporter_relation": relation,
        }
        return Reporter(ReporterKind.PRIVATE, fields, mottak, relation), None, None
    others = {"nav": 0, "health": 1, "ppt": 2}
    if source in others:
        user = staff.others[others[source]]
        unit = (units.nav, units.health, units.ppt)[others[source]]
        role = ("veileder, ungdomsteamet", "helsesykepleier", "PP-rådgiver")[others[source]]
        return Reporter(ReporterKind.PUBLIC, _public(demo, rng, user, unit, role), mottak, unit.name), None, None
    if source == "police":
        fields = _public(demo, rng, staff.police_contact, units.police, "politibetjent, forebyggende")
        return Reporter(ReporterKind.PUBLIC, fields, mottak, "politiet"), None, None
    if source == "outreach":
        fields = _public(demo, rng, staff.outreach_worker, units.outreach, "utekontakt")
        return Reporter(ReporterKind.PUBLIC, fields, mottak, "utekontakten"), None, None
    if source == "bup":
        bup = demo.citywide["bup"]
        first = rng.choice(names.ADULT_FIRST_NAMES[names.NORWEGIAN][names.FEMALE])
        last = rng.choice(names.LAST_NAMES[names.NORWEGIAN])
        fields = {
            "reporter_name": f"{first} {last}",
            "reporter_role": "psykologspesialist",
            "reporter_organisation": bup.name,
            "reporter_org_number": f"9{rng.randint(70_000_000, 99_999_999)}",
            "reporter_phone": _phone(rng, mobile=False),
            "reporter_email": f"{names.ascii_slug(first)}.{names.ascii_slug(last)}@ous-hf.no",
            "reporter_address": {"adresselinje1": "Sognsvannsveien 21", "postnummer": "0372", "poststed": "Oslo"},
            "reporter_relation": "",
        }
        return Reporter(ReporterKind.PUBLIC, fields, mottak, "BUP"), None, None
    raise ValueError(f"Unknown reporter {spec.reporter!r}")


@dataclass
class Pools:
    """The district's people a report may be about, and who has been taken."""

    followup: list[Youth]  # youths in an open follow-up
    demo_follower: list[Youth]
    youths: list[Youth]
    siblings: list[Youth]
    addresses: dict[int, tuple[str, str]]  # family id -> (address, postal code)
    taken: set[int] = field(default_factory=set)


def _by_id(youths: Iterable[Youth]) -> list[Youth]:
    return sorted(youths, key=lambda youth: youth.national_id)


def _pools(demo: Demo, number: int) -> Pools:
    cases = [case for case in demo.cases[number] if case.state != FollowUp.State.CLOSED]
    youths = _by_id(demo.youths[number])
    addresses = {
        youth.family_id: (youth.address, youth.postal_code)
        for youth in youths
        if youth.family_id is not None and youth.address
    }
    return Pools(
        followup=_by_id(case.youth for case in cases),
        demo_follower=_by_id(case.youth for case in cases if case.lead.email == DEMO_FOLLOWER),
        youths=youths,
        siblings=_by_id(demo.siblings[number]),
        addresses=addresses,
    )


def _pick(rng: random.Random, pools: Pools, candidates: list[Youth]) -> Youth | None:
    free = [youth for youth in candidates if youth.pk not in pools.taken]
    if not free:
        return None
    youth = rng.choice(free)
    pools.taken.add(youth.pk)
    return youth


def _choose_youth(spec: Spec, rng: random.Random, pools: Pools, school: Unit | None) -> Youth:
    at_school = [youth for youth in pools.youths if school is not None and youth.school_id == school.pk]
    # Younger brothers and sisters (8 and up) of the school's pupils go to the same school.
    families = {youth.family_id for youth in at_school if youth.family_id is not None}
    younger = [youth for youth in pools.siblings if youth.family_id in families and youth.age_on(DEMO_TODAY) >= 8]
    young = [youth for youth in at_school if youth.age_on(DEMO_TODAY) <= 15]
    followup_ids = {youth.pk for youth in pools.followup}
    minors = [youth for youth in pools.youths if youth.age_on(DEMO_TODAY) < 18]
    demo_ids = {youth.pk for youth in pools.demo_follower}
    choices: list[list[Youth]]
    if spec.child == "school-followup":
        choices = [
            [youth for youth in at_school if youth.pk in demo_ids] if spec.demo_follower else [],
            [youth for youth in at_school if youth.pk in followup_ids],
            at_school,
            younger,
        ]
    elif spec.child == "school":
        choices = [[youth for youth in young if youth.pk not in followup_ids], young, younger, at_school]
    elif spec.child == "followup":
        choices = [[youth for youth in minors if youth.pk in followup_ids], minors]
    elif spec.child == "older":
        choices = [
            # Barnevern's reports are about children: 16 or 17, not yet of age.
            [youth for youth in minors if youth.age_on(DEMO_TODAY) >= 16 and youth.pk not in followup_ids],
            [youth for youth in minors if youth.age_on(DEMO_TODAY) >= 16],
        ]
    elif spec.child == "sibling":
        choices = [[youth for youth in pools.siblings if youth.family_id in pools.addresses], pools.siblings]
    else:
        raise ValueError(f"Unknown child {spec.child!r}")
    for candidates in choices:
        youth = _pick(rng, pools, candidates)
        if youth is not None:
            return youth
    raise ValueError(f"No youth left for the demo report {spec.key}")


def _youth_child(youth: Youth, pools: Pools, rng: random.Random) -> Child:
    address, postal_code = youth.address, youth.postal_code
    if not address and youth.family_id in pools.addresses:
        address, postal_code = pools.addresses[youth.family_id]
    name = f"{youth.first_name} {youth.last_name}"
    row: dict[str, Any] = {
        "youth": youth,
        "name": name,
        "national_id": youth.national_id,
        "unborn": False,
        "assumed_age": "",
        "phone": youth.phone,
        "address": {"adresselinje1": address, "postnummer": postal_code, "poststed": "Oslo"} if address else {},
        "relation": "",
    }
    first = youth.preferred_name or youth.first_name
    return Child(youth, name, first, _pronoun(youth, rng), row)


def _new_child(demo: Demo, spec: Spec, rng: random.Random) -> Child:
    """A child the reporter named who is not registered in Laget (no identity number known)."""
    female = rng.random() < 0.5
    origin = rng.choice((names.NORWEGIAN, names.POLISH, names.SOMALI))
    first = rng.choice(names.CHILD_FIRST_NAMES[origin][names.FEMALE if female else names.MALE])
    surname = rng.choice(names.LAST_NAMES[origin])
    last = names.feminine_surname(origin, surname) if female else surname
    street = rng.choice(names.STREETS[demo.districts[spec.district].name])
    name = f"{first} {last}"
    row: dict[str, Any] = {
        "youth": None,
        "name": name,
        "national_id": "",
        "unborn": False,
        "assumed_age": f"ca. {rng.randint(8, 10)} år",
        "phone": "",
        "address": {
            "adresselinje1": f"{street} {rng.randint(1, 140)}",
            "postnummer": names.POSTAL_CODES[street],
            "poststed": "Oslo",
        },
        "relation": "nabo",
    }
    mother = rng.choice(names.ADULT_FIRST_NAMES[origin][names.FEMALE])
    return Child(
        None, name, first, "hun" if female else "han", row, mother=f"{mother} {names.feminine_surname(origin, surname)}"
    )


def _child_informed(spec: Spec, child: Child) -> tuple[bool | None, str]:
    if spec.kind == Kind.VIOLENCE:
        return True, ""  # the child told the school; it is the parents who are not told
    if spec.reporter.startswith("private"):
        return False, f"Melder kjenner ikke {child.first} godt nok til å snakke med {_object(child.pronoun)} om det."
    if spec.child == "sibling":
        return (
            False,
            f"{child.first} er for ung til å orienteres om meldingen av melder; barnevernet snakker med barnet.",
        )
    return True, ""


def _guardian_rows(spec: Spec, rng: random.Random, child: Child, guardians: list[Guardian]) -> list[dict[str, Any]]:
    rows = []
    if child.youth is None:
        # The neighbour knows the mother by name only.
        guardians_named: list[tuple[Guardian | None, str, str]] = [(None, child.mother, "")]
    else:
        guardians_named = [(g, f"{g.first_name} {g.last_name}", g.phone) for g in guardians]
    for index, (guardian, name, phone) in enumerate(guardians_named):
        if spec.kind == Kind.VIOLENCE:
            informed, reason = False, VIOLENCE_GUARDIAN_REASON
        elif spec.reporter.startswith("private:neighbour"):
            informed, reason = False, "Melder er nabo og har ikke snakket med foreldrene om bekymringen."
        elif index == 0 or rng.random() < 0.5:
            informed, reason = True, ""
        else:
            informed, reason = False, rng.choice(GUARDIAN_NOT_TOLD)
        rows.append(
            {"guardian": guardian, "name": name, "phone": phone, "informed": informed, "informed_reason": reason}
        )
    return rows


def _fill(text: str, child: Child, reporter: Reporter, rng: random.Random) -> str:
    pronoun = child.pronoun
    return text.format(
        name=child.first,
        Name=child.first,
        they=pronoun,
        They=pronoun.capitalize(),
        them=_object(pronoun),
        service=reporter.service,
        help=rng.choice(HELP),
    )


def _reports(demo: Demo, contacts: dict[int, User]) -> tuple[list[ConcernReport], list[ConcernReportEvent]]:
    pools = {plan.number: _pools(demo, plan.number) for plan in FULL_DISTRICTS}
    all_youths = [youth for pool in pools.values() for youth in (*pool.youths, *pool.siblings)]
    guardians: dict[int, list[Guardian]] = {}
    for guardianship in (
        Guardianship.objects.filter(youth__in=all_youths, parental_responsibility=True)
        .select_related("guardian")
        .order_by("guardian__last_name", "guardian__first_name", "guardian_id")
    ):
        guardians.setdefault(guardianship.youth_id, []).append(guardianship.guardian)

    school_contacts = [user for plan in FULL_DISTRICTS for user in demo.staff[plan.number].school_contacts]
    titles = dict(
        StaffRole.objects.filter(user__in=school_contacts, ends_on__isnull=True, unit__kind=Unit.Kind.SCHOOL)
        .order_by("id")
        .values_list("user_id", "title")
    )
    planned: list[tuple[Spec, dict[str, Any], Child, list[dict[str, Any]], Reporter, User | None]] = []
    children_by_key: dict[str, Child] = {}
    for spec in SPECS:
        rng = demo.rng("concern", spec.key)
        reporter, school, reporter_user = _reporter(demo, spec, rng, titles)
        if spec.child == "new":
            child = _new_child(demo, spec, rng)
        elif spec.child.startswith("same:"):
            child = children_by_key[spec.child.removeprefix("same:")]
        else:
            youth = _choose_youth(spec, rng, pools[spec.district], school)
            child = _youth_child(youth, pools[spec.district], rng)
        children_by_key[spec.key] = child
        child_row = dict(child.row)
        child_row["informed"], child_row["informed_reason"] = _child_informed(spec, child)
        child_row["relation"] = "nabo" if spec.child == "new" else ("elev" if school is not None else "")
        child = Child(child.youth, child.name, child.first, child.pronoun, child_row, child.mother)
        guardian_rows = _guardian_rows(
            spec, rng, child, guardians.get(child.youth.pk, []) if child.youth is not None else []
        )
        row = _report_row(demo, spec, rng, reporter, school, reporter_user, child, contacts)
        linker = _linker(row, child.youth) if child.youth is not None else None
        planned.append((spec, row, child, guardian_rows, reporter, linker))

    # Save the reports in two rounds: a new report in an active case points at an earlier one.
    first = [item for item in planned if not item[0].active_case]
    later = [item for item in planned if item[0].active_case]
    saved: dict[str, ConcernReport] = {}
    for batch in (first, later):
        rows = []
        for spec, row, *_ in batch:
            if spec.active_case:
                row["active_case"] = saved[spec.active_case]
            rows.append(row)
        for row in rows:
            _check_received(row)
        for (spec, *_), report in zip(batch, upsert(ConcernReport, rows, key=("unit", "received_at")), strict=True):
            saved[spec.key] = report

    child_rows = []
    guardian_rows_all = []
    events: list[ConcernReportEvent] = []
    for spec, _, child, guardian_rows, reporter, linker in planned:
        report = saved[spec.key]
        child_rows.append(child.row | {"report": report})
        guardian_rows_all += [row | {"report": report} for row in guardian_rows]
        events += _events(demo, spec, report, child, reporter, linker)
    upsert(ConcernReportChild, child_rows, key=("report", "name"))
    upsert(ConcernReportGuardian, guardian_rows_all, key=("report", "name"))
    return [saved[spec.key] for spec in SPECS], events


def _check_received(row: dict[str, Any]) -> None:
    """concern_report_receive's rules on who receives the report, into which service, for whom
    (concern_report_receiver_check), and its first caseworker: a school's report goes to the
    school's fixed contact in force on the day it came in (school_contact_for, routine 1)."""
    concern_report_receiver_check(
        actor=row["created_by"],
        unit=row["unit"],
        reporter_user=row["reporter_user"],
        reporter_unit=row["reporter_unit"],
        channel=row["channel"],
    )
    school = row["reporter_unit"]
    if school is not None and school.kind == Unit.Kind.SCHOOL:
        received_on = row["received_at"].astimezone(OSLO).date()
        if school_contact_for(school=school, barnevern_unit=row["unit"], on=received_on) != row["caseworker"]:
            raise ValidationError(f"The report from {school} on {received_on} would not go to {row['caseworker']}.")


def _linker(row: dict[str, Any], youth: Youth) -> User:
    """Who links the child to the registered youth (concern_report_child_link_check, the rule
    concern_report_receive and concern_report_child_link ask): whoever registers the report, when
    they see the youth (a school contact in the youth's team picks the youth in the school's
    form); otherwise the school names the child by name and identity number, and the caseworker
    who receives the report, barnevern staff of the receiving service, links them
    (concern_report_child_link). A plan where neither may stops the build."""
    registered_by: User | None = row["created_by"]
    if registered_by is not None:
        try:
            concern_report_child_link_check(actor=registered_by, unit=row["unit"], youth=youth)
        except PermissionDenied:
            pass
        else:
            return registered_by
    caseworker: User | None = row["caseworker"]
    if caseworker is None:
        raise PermissionDenied(f"No one who may link {youth} receives the report of {row['received_at']}.")
    concern_report_child_link_check(actor=caseworker, unit=row["unit"], youth=youth)
    return caseworker


def _report_row(
    demo: Demo,
    spec: Spec,
    rng: random.Random,
    reporter: Reporter,
    school: Unit | None,
    reporter_user: User | None,
    child: Child,
    contacts: dict[int, User],
) -> dict[str, Any]:
    units: DistrictUnits = demo.units[spec.district]
    staff: DistrictStaff = demo.staff[spec.district]
    theme = THEMES[spec.theme]
    caseworker = contacts[school.pk] if school is not None else staff.caseworkers[spec.caseworker]
    concluded = spec.state in (State.CLOSED, State.MEASURES)
    row: dict[str, Any] = {
        "unit": units.barnevern,
        "received_at": spec.received,
        "channel": spec.channel,
        "kind": spec.kind,
        "active_case": None,
        "reporter_kind": reporter.kind,
        **reporter.fields,
        "reporter_user": reporter_user,
        "reporter_unit": school,
        "concern": _fill(rng.choice(theme["concern"]), child, reporter, rng),
        "history": _fill(rng.choice(theme["history"]), child, reporter, rng),
        "other_views": _fill(rng.choice(theme["other_views"]), child, reporter, rng),
        "interpreter_need": "",
        "other_agencies": "",
        "sent_at": spec.received - datetime.timedelta(minutes=4) if spec.channel == Channel.KS_FIKS else None,
        "delivery_channel": "Fagsystem" if spec.channel == Channel.KS_FIKS else "",
        "municipality_number": "0301",
        "state": spec.state,
        "caseworker": caseworker,
        "reviewed_at": spec.reviewed,
        "reviewed_by": caseworker if spec.reviewed else None,
        "closing_reason": (
            _fill(rng.choice(CLOSING_REASONS), child, reporter, rng)
            if spec.state == State.CLOSED_UNINVESTIGATED
            else ""
        ),
        "investigation_started_on": spec.started,
        "investigation_extended": spec.extended is not None,
        "extension_reason": _fill(EXTENSION_REASON, child, reporter, rng) if spec.extended else "",
        "investigation_concluded_on": spec.concluded,
        "conclusion": (
            _fill(
                rng.choice(CONCLUSIONS_MEASURES if spec.state == State.MEASURES else CONCLUSIONS_CLOSED),
                child,
                reporter,
                rng,
            )
            if concluded
            else ""
        ),
        "guardians_may_be_told_at": spec.may_be_told,
        "guardians_may_be_told_by": caseworker if spec.may_be_told else None,
        "receipt_sent_at": spec.receipt,
        "opening_feedback_sent_at": spec.opening,
        "conclusion_feedback_sent_at": spec.conclusion_feedback,
        "contact_person": _new_contact(staff, caseworker) if spec.state == State.MEASURES else None,
        "measures_started_on": spec.measures_on,
        "created_by": reporter.actor,
        "created_at": spec.received,
    }
    if spec.kind != Kind.VIOLENCE and child.youth is not None and child.youth.needs_interpreter:
        row["interpreter_need"] = f"Ja, foresatte trenger tolk ({child.youth.language})."
    if spec.theme in ("crime", "night"):
        row["other_agencies"] = "Én-til-én-oppfølgingen i bydelen og politiets forebyggende enhet."
    elif spec.theme == "mental-health":
        row["other_agencies"] = "Fastlege og helsesykepleier."
    return row


def _new_contact(staff: DistrictStaff, caseworker: User) -> User:
    """Measures go to a contact person in the measures team, not the one who investigated."""
    return next(user for user in reversed(staff.caseworkers) if user != caseworker)


def _events(
    demo: Demo, spec: Spec, report: ConcernReport, child: Child, reporter: Reporter, linker: User | None
) -> list[ConcernReportEvent]:
    """The report's way so far, each step by the person who took it, at the time it was taken;
    a child linked to the registered youth after the report came in, by the caseworker who did
    it (`linker`, see _linker)."""
    caseworker = report.caseworker
    leader = demo.staff[spec.district].barnevern_leader
    steps: list[tuple[str, str, User | None, datetime.datetime]] = [
        (RECEIVED, CHANNEL_NOTES[spec.channel], reporter.actor, spec.received)
    ]
    if caseworker is not None and not spec.reporter.startswith("school"):
        # A school's report goes to the school's fixed contact at once; others are assigned.
        steps.append((ASSIGNED, caseworker.full_name, leader, spec.received + datetime.timedelta(hours=3)))
    if linker is not None and linker != reporter.actor:
        steps.append((CHILD_LINKED, child.name, linker, spec.received + LINKED_AFTER))
    if spec.receipt:
        steps.append((FEEDBACK["receipt"], "", caseworker, spec.receipt))
    if spec.reviewed and spec.state == State.CLOSED_UNINVESTIGATED:
        steps.append((REVIEWED_CLOSED, report.closing_reason, caseworker, spec.reviewed))
    elif spec.reviewed and spec.started:
        steps.append((INVESTIGATION_OPENED, spec.started.isoformat(), caseworker, spec.reviewed))
    if spec.opening:
        steps.append((FEEDBACK["opening"], "", caseworker, spec.opening))
    if spec.may_be_told:
        steps.append((GUARDIANS_MAY_BE_TOLD, MAY_BE_TOLD_NOTE.format(name=child.first), caseworker, spec.may_be_told))
    if spec.extended:
        steps.append((INVESTIGATION_EXTENDED, report.extension_reason, caseworker, spec.extended))
    if spec.concluded:
        action = MEASURES if spec.state == State.MEASURES else CONCLUDED
        steps.append((action, report.conclusion, caseworker, _at(spec.concluded, 14)))
    if spec.conclusion_feedback:
        steps.append((FEEDBACK["conclusion"], "", caseworker, spec.conclusion_feedback))
    if spec.handover and report.contact_person is not None:
        steps.append((HANDOVER_MEETING, HANDOVER_NOTE.format(name=child.first), report.contact_person, spec.handover))
    return [
        ConcernReportEvent(report=report, action=action, note=note, actor=actor, at=at)
        for action, note, actor, at in steps
    ]


def _insert_missing_events(events: list[ConcernReportEvent]) -> None:
    """Append-only: insert the events not there yet, never change one."""
    if not events:
        return
    have = set(
        ConcernReportEvent.objects.filter(report__in={event.report_id for event in events}).values_list(
            "report_id", "action", "at"
        )
    )
    ConcernReportEvent.objects.bulk_create(
        [event for event in events if (event.report_id, event.action, event.at) not in have]
    )
