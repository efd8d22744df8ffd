"""The demo's anonymous discussions (anonym drøfting): cases brought to intake and list meetings
before consent, in the three districts with a full demo.

- Bjerke: two open cases, one brought by the follow-up team (discussed in an intake meeting),
  one by the district's police (discussed in a list meeting);
- Alna: an open case brought by the outreach workers;
- Søndre Nordstrand: a case closed without being named (barnevern follows it up);
- Bjerke: a case that became a named case after consent, with its notes: a youth of the demo
  follower's, discussed five weeks before the intake meeting that took them in, and named on
  the day its consent (demo.consents, the step before this one) was in force: the youth
  in intake if their consent is in force on DEMO_TODAY, or else the first of the demo
  follower's youths with a consent in force.

The texts are Norwegian and pass consent.discussions.checks's checks: no identity number, name, phone
number, address, school or exact age. Only "fewer than five registered youths fit" can remain,
depending on the seed's youths; it is stored as confirmed by the author, as the service would.
The named case and the closed one are asked the rules of naming and closing before the bulk
save, in the services' own functions, of the case as it was while open: the named case by the
unit that brought it, as a youth the converter sees, with a consent in force on the day it was
named (discussion_case_convert_check); the closed one by the unit that brought it, with one of
the closing reasons (discussion_case_close_check).
Dates are laid out around DEMO_TODAY; rows are keyed on (alias, district) and (case, time), so
a second run finds what the first made. Like the rest of the demo, no audit entries are made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from cases.models import FollowUp, Youth
from consent.discussions import checks as discussion
from consent.discussions.services import (
    discussion_case_close_check,
    discussion_case_convert_check,
    discussion_warnings_confirmed,
)
from consent.models import AGE_BAND_RANGES, DiscussionCase, DiscussionNote
from consent.policy import current_versions, version_in_force
from core.dates import OSLO
from core.models import User
from org.models import Unit

from .builders import DEMO_DISTRICT, Demo, upsert
from .followups import DEMO_FOLLOWER, DEMO_TODAY, Case

State = DiscussionCase.State
Band = DiscussionCase.AgeBand


@dataclass
class Planned:
    district: int
    alias: str
    age_band: str
    summary: str
    unit: Unit
    author: User
    days_before: int  # created this many days before DEMO_TODAY
    notes: list[tuple[int, str, User]] = field(default_factory=list)  # (days after creation, text, author)
    closed: tuple[int, str, User] | None = None  # (days after creation, reason, by whom)
    youth: Youth | None = None
    converted_by: User | None = None
    converted_after: int = 0


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=OSLO)


def _named(demo: Demo) -> tuple[Youth, datetime.date, datetime.date] | None:
    """The demo follower's youth whose case was first discussed anonymously, the day the intake
    meeting decided to take them in, and the day the case was named: when the consent was in
    force, not before the intake decision (module docstring)."""
    cases: list[Case] = [
        case
        for case in demo.cases.get(DEMO_DISTRICT, [])
        if case.lead.email == DEMO_FOLLOWER and case.state != FollowUp.State.CLOSED
    ]
    if not cases:
        return None
    cases.sort(key=lambda case: (case.youth.last_name, case.youth.first_name))
    consented = {case.youth.pk: _consent_from(case.youth) for case in cases}
    with_consent = [case for case in cases if consented[case.youth.pk] is not None]
    intake = [case for case in cases if case.state == FollowUp.State.INTAKE]
    chosen = ([case for case in with_consent if case in intake] or with_consent or intake or cases)[0]
    named_on = max(chosen.decided_on, consented[chosen.youth.pk] or chosen.decided_on)
    return chosen.youth, chosen.decided_on, min(named_on, DEMO_TODAY)


def _consent_from(youth: Youth) -> datetime.date | None:
    """The first day of the youth's consent in force on DEMO_TODAY, if there is one."""
    days = [v.valid_from for v in current_versions(youth) if version_in_force(v, youth, DEMO_TODAY)]
    return min(days) if days else None


def _plans(demo: Demo) -> list[Planned]:
    bjerke, alna, south = demo.units[9], demo.units[12], demo.units[15]
    staff_b, staff_a, staff_s = demo.staff[9], demo.staff[12], demo.staff[15]
    plans = [
        Planned(
            9,
            "Gutt A",
            Band.FROM_15,
            "Skolen er bekymret for mye fravær siden høstferien. Eleven er ofte sammen med eldre ungdommer som "
            "politiet kjenner fra miljøet rundt kjøpesenteret. Foresatte har selv bedt skolen om hjelp.\n"
            "Er én-til-én-oppfølging aktuelt, og hvem tar samtalen om samtykke med familien?",
            bjerke.followup,
            staff_b.coordinator,
            12,
            notes=[
                (
                    0,
                    "Drøftet i inntaksmøtet. Politiet deler bekymringen og kjenner gruppen. Barnevernet har ingen "
                    "sak. Koordinator tar kontakt med foresatte om samtykke før neste møte.",
                    staff_b.coordinator,
                ),
            ],
        ),
        Planned(
            9,
            "Jente B",
            Band.FROM_12,
            "Politiet har møtt jenta flere ganger sent på kvelden sammen med en gruppe eldre gutter. Ingen "
            "registrerte forhold. Bekymring for at hun blir brukt til å oppbevare ting for andre.",
            bjerke.police,
            staff_b.police_contact,
            5,
            notes=[
                (
                    0,
                    "Drøftet i listemøtet. Politikontakten snakker med foresatte om tilbudet og spør om samtykke. "
                    "Tas opp igjen i neste listemøte.",
                    staff_b.police_contact,
                ),
            ],
        ),
        Planned(
            12,
            "Ungdom C",
            Band.FROM_15,
            "Utekontakten har over tid sett ungdommen i en gruppe som har vært med i konflikter mellom to "
            "områder i bydelen. Ungdommen sier selv at det er vanskelig å komme seg ut av miljøet. Vi ønsker å "
            "drøfte om det finnes et tilbud før vi spør om samtykke.",
            alna.outreach,
            staff_a.outreach_worker,
            20,
            notes=[
                (
                    0,
                    "Drøftet i inntaksmøtet. Én-til-én-oppfølging kan være aktuelt. Utekontakten spør ungdommen "
                    "om samtykke til at saken tas opp med navn.",
                    staff_a.coordinator,
                ),
                (
                    14,
                    "Ungdommen vil tenke på det. Utekontakten holder kontakten, og saken tas opp igjen om to uker.",
                    staff_a.outreach_worker,
                ),
            ],
        ),
        Planned(
            15,
            "Gutt D",
            Band.FROM_15,
            "Barnevernet har en undersøkelse i familien og ønsker å drøfte om én-til-én-oppfølging kan være et "
            "tillegg. Ungdommen har sluttet på fritidsklubben og har mye fravær.",
            south.barnevern,
            staff_s.caseworkers[0],
            60,
            notes=[
                (
                    0,
                    "Drøftet i inntaksmøtet. Barnevernet følger opp med tiltak i hjemmet, og familien ønsker ikke "
                    "flere tjenester nå.",
                    staff_s.coordinator,
                ),
            ],
            closed=(1, DiscussionCase.ClosingReason.HANDLED_ELSEWHERE, staff_s.caseworkers[0]),
        ),
    ]
    named = _named(demo)
    if named is not None:
        youth, decided_on, named_on = named
        days_before = (DEMO_TODAY - decided_on).days + 35  # five weeks before the intake decision
        created = DEMO_TODAY - datetime.timedelta(days=days_before)
        age = youth.age_on(created)
        band = next((b for b, (low, high) in AGE_BAND_RANGES.items() if low <= age <= high), Band.FROM_15)
        plans.append(
            Planned(
                9,
                "Ungdom E",
                band,
                "Skolen og helsesykepleier er bekymret etter flere episoder med rus i helgene og en sak om "
                "trusler i friminuttene. Foreldrene er usikre på hva de kan gjøre. Ønsker å drøfte om "
                "én-til-én-oppfølging passer, og hvem som spør om samtykke.",
                bjerke.followup,
                staff_b.coordinator,
                days_before,
                notes=[
                    (
                        0,
                        "Drøftet i inntaksmøtet. Politiet bekrefter bekymringen. Koordinator inviterer til en "
                        "samtale om tilbudet og samtykke.",
                        staff_b.coordinator,
                    ),
                    (
                        21,
                        "Samtalen er gjennomført. Samtykke er på vei. Saken tas opp med navn i neste inntaksmøte.",
                        staff_b.coordinator,
                    ),
                ],
                youth=youth,
                converted_by=staff_b.coordinator,
                converted_after=days_before - (DEMO_TODAY - named_on).days,
            )
        )
    return plans


def build_discussions(demo: Demo) -> None:
    plans = _plans(demo)
    rows: list[dict[str, Any]] = []
    for plan in plans:
        district = demo.districts[plan.district]
        created_on = DEMO_TODAY - datetime.timedelta(days=plan.days_before)
        # discussion_case_create's rules: no identity number; every warning confirmed (and kept).
        discussion.refuse_identity_numbers({"alias": plan.alias, "summary": plan.summary})
        found = discussion.findings(
            texts=[plan.alias, plan.summary], district=district, age_band=plan.age_band, today=created_on
        )
        row: dict[str, Any] = {
            "alias": plan.alias,
            "district": district,
            "age_band": plan.age_band,
            "summary": plan.summary,
            "unit": plan.unit,
            "created_by": plan.author,
            "created_at": _at(created_on, 9),
            "confirmed_warnings": [f.key for f in found],
            "state": State.OPEN,
            "youth": None,
            "converted_at": None,
            "converted_by": None,
            "closed_at": None,
            "closed_by": None,
            "closing_reason": "",
        }
        opened = DiscussionCase(**row)  # the case while it was open
        if plan.youth is not None:
            assert plan.converted_by is not None
            converted_on = created_on + datetime.timedelta(days=plan.converted_after)
            discussion_case_convert_check(actor=plan.converted_by, case=opened, youth=plan.youth, on=converted_on)
            row |= {
                "state": State.CONVERTED,
                "youth": plan.youth,
                "converted_at": _at(converted_on, 14),
                "converted_by": plan.converted_by,
            }
        elif plan.closed is not None:
            after, reason, by = plan.closed
            discussion_case_close_check(actor=by, case=opened, reason=reason)
            row |= {
                "state": State.CLOSED,
                "closed_at": _at(created_on + datetime.timedelta(days=after), 15),
                "closed_by": by,
                "closing_reason": reason,
            }
        rows.append(row)
    cases = upsert(DiscussionCase, rows, key=["alias", "district"])
    note_rows = []
    for plan, case in zip(plans, cases, strict=True):
        created_on = DEMO_TODAY - datetime.timedelta(days=plan.days_before)
        for after, text, author in plan.notes:
            # discussion_note_add's rules: no identity number, and no warning (none is confirmed).
            discussion.refuse_identity_numbers({"text": text})
            found = discussion.findings(
                texts=[text], district=case.district, age_band=case.age_band, today=created_on, whole_district=False
            )
            discussion_warnings_confirmed(found, [])
            note_rows.append(
                {
                    "case": case,
                    "at": _at(created_on + datetime.timedelta(days=after), 12),
                    "author": author,
                    "text": text,
                    "confirmed_warnings": [],
                }
            )
    upsert(DiscussionNote, note_rows, key=["case", "at"])
    demo.say(f"Anonymous discussions: {len(cases)} ({sum(c.state == State.OPEN for c in cases)} open)")
