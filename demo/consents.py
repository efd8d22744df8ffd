"""Consents and a use of a legal basis in the demo, in every state the consent pages show.

Every open follow-up (intake, active or paused) has a consent for «Samarbeid i laget rundt
ungdommen», given at the start-up meeting (or, in intake, at the intake decision): identity
and contact details, school, family, substance use, health and police matters, to the
follow-up team, the youth's school (if any), the district's barnevern and the district's
police unit. On top of that, the states are varied:

- The demo follower's youths, in the order (last name, first name) agreed with the demo
  teams (the district's police contact sits in the team of the first two):
  1. in force, covering the police (the police category, the police unit receiving);
  2. in force, never covering the police (neither the category nor the unit, in any
     version), and revised once (version 2 adds substance use and health);
  3. in force, but ending within 30 days of DEMO_TODAY (the expiry reminder's case);
  4. withdrawn three weeks before DEMO_TODAY (version 2, by a guardian under 18, otherwise by
     the youth, with the reason), and no other consent in force; a week before DEMO_TODAY
     the demo follower shared information with barnevern on the duty to report
     (barnevernsloven § 13-2), so the leader's review has an entry;
  5. refused (under 15 a guardian refuses and the youth is heard; from 15 the youth refuses).
- Somewhere else in the demo, the youth in follow-up whose 18th birthday came most recently
  before DEMO_TODAY had a consent from the guardians and the youth at 17: it lapsed at 18.
- Every other youth who is 18 on the day the consent starts consents alone; a youth who
  turned 18 after the start-up meeting (other than the one above) was asked again at 18.

The rows are written in bulk (a few queries for all of them), after each version has passed
the rules the services keep, in the services' own function (consent.services
.consent_version_check, on the day the answers were given; the age rule is the service's
consent_age_rule), so a plan that breaks a rule stops the build: answers as the
age rule on the first day requires (under 15 every guardian with parental responsibility, and
the youth's view; 15 to 17 the youth too; from 18 the youth alone), an oral consent noted by
the follower at the time, a written one with a small PDF saved through Django's storage,
versions numbered from 1, and a withdrawal as a new version that copies the one before
(consent_withdrawal_check); the signed form passes the service's file check before it is saved
(consent_document_check: a written consent has a PDF, PNG or JPEG of at most 10 MB; an oral
one none). The use of a legal basis passes legal_basis_use's rules at the time it was used
(legal_basis_use_check: who may use it for which service, the reason, the basis's categories
and receiving services, the end within the limit).
Versions and answers are append-only (PostgreSQL refuses changes), so a second run only adds
what is missing and changes nothing. Rows are dated when the consent was given (not when the
demo was built), and no audit entries or notifications are made (see followups.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from cases.models import FollowUp, Guardian, Guardianship, Youth
from consent.models import Consent, ConsentAnswer, ConsentVersion, LegalBasis, LegalBasisUse
from consent.services import (
    consent_age_rule,
    consent_document_check,
    consent_version_check,
    consent_withdrawal_check,
    legal_basis_use_check,
)
from core.dates import OSLO
from core.models import User
from org.models import Unit
from referrals.models import IntakeCandidate

from .builders import DEMO_DISTRICT, Demo, upsert
from .followups import DAY, DEMO_FOLLOWER, DEMO_TODAY, Case

PURPOSE = "Samarbeid i laget rundt ungdommen"
INTAKE_PURPOSE = "Vurdering i inntaksmøtet og én-til-én-oppfølging"
INTAKE_CATEGORIES = ("identity_contact", "school")
CATEGORIES = ("identity_contact", "school", "family", "substance_use", "health", "police")
WITHOUT_POLICE_FIRST = ("identity_contact", "school", "family")
VALID_DAYS = 365
EXPIRING_IN_DAYS = 18  # the expiring consent ends this many days after DEMO_TODAY
WITHDRAWN_DAYS_AGO = 20
LAPSED_GIVEN_DAYS_BEFORE = 75  # the lapsed consent was given this many days before the 18th birthday
LEGAL_BASIS_DAYS_AGO = 6
LEGAL_BASIS_CODE = "barnevernsloven-13-2"

Event = ConsentVersion.Event
AgeRule = ConsentVersion.AgeRule
Party = ConsentVersion.Party
GIVEN: str = ConsentAnswer.Answer.GIVEN
REFUSED: str = ConsentAnswer.Answer.REFUSED

# The demo follower's youths, in the agreed order.
IN_FORCE_WITH_POLICE = "with_police"
IN_FORCE_WITHOUT_POLICE = "without_police"
EXPIRING = "expiring"
WITHDRAWN = "withdrawn"
REFUSED_STATE = "refused"
DEMO_FOLLOWER_STATES = (IN_FORCE_WITH_POLICE, IN_FORCE_WITHOUT_POLICE, EXPIRING, WITHDRAWN, REFUSED_STATE)
LAPSED_18 = "lapsed_18"
IN_FORCE = "in_force"

YOUTH_VIEWS = (
    "{name} synes det er greit at de voksne snakker sammen, så lenge de forteller hva som blir sagt.",
    "{name} ville helst at skolen ikke skulle vite noe, men sa ja til at læreren får vite om oppmøtet.",
    "{name} sa at det er fint at mamma og oppfølgeren snakker sammen, men ikke om ting fra vennegjengen.",
    "{name} var usikker og ville tenke på det; etter en prat sa {name} at det er i orden.",
)
REFUSED_VIEW = (
    "{name} sa at det er greit å snakke med skolen, men er redd for hva som skjer hvis politiet får vite noe."
)
WITHDRAWAL_REASONS = {
    Party.GUARDIAN: (
        "{Parent} ringte og trakk samtykket etter et vanskelig møte på skolen. {Parent} vil ikke at skolen og "
        "politiet skal få opplysninger lenger, men er åpen for å snakke om det igjen på neste hjemmebesøk."
    ),
    Party.YOUTH: (
        "{name} sa i samtale at opplysninger ikke lenger skal deles med de andre tjenestene. "
        "Vi snakket om hva det betyr; {name} vil fortsatt møte oppfølgeren."
    ),
}
LEGAL_BASIS_REASON = (
    "{name} fortalte på tur i går ettermiddag om voldsomme krangler hjemme den siste tiden, og om å ha blitt "
    "slått. Bekymringsmelding er sendt barnevernet samme dag. Samtykket er trukket tilbake, så opplysningene "
    "deles på grunnlag av opplysningsplikten."
)


@dataclass
class VersionPlan:
    number: int
    event: str
    categories: list[str]
    units: list[Unit]
    valid_from: datetime.date
    valid_to: datetime.date
    age_rule: str
    at: datetime.datetime  # given (and noted) then
    by: User  # who heard it or received the signed form: the lead follower that day
    written: bool
    youth_answer: str | None
    guardian_answers: list[tuple[Guardian, str]]
    youth_view: str = ""
    withdrawn_at: datetime.datetime | None = None
    withdrawn_by_party: str = ""
    withdrawn_by_guardian: Guardian | None = None
    withdrawal_reason: str = ""
    recorded_by: User | None = None  # when not `by` (a withdrawal recorded later by someone else)


@dataclass
class ConsentPlan:
    case: Case | None  # the follow-up it was given in; None for an intake candidate's consent
    state: str
    versions: list[VersionPlan] = field(default_factory=list)
    youth: Youth | None = None  # when there is no case
    purpose: str = PURPOSE

    @property
    def subject(self) -> Youth:
        youth = self.youth or (self.case.youth if self.case is not None else None)
        assert youth is not None
        return youth


def build_consents(demo: Demo) -> None:
    cases = [
        case for number in sorted(demo.cases) for case in demo.cases[number] if case.state != FollowUp.State.CLOSED
    ]
    guardians = _responsible_guardians([case.youth for case in cases])
    states = _states(cases, guardians)
    plans = []
    for case in cases:
        plan = _plan(demo, case, states.get(case.youth.pk, IN_FORCE), guardians.get(case.youth.pk, []))
        if plan is not None:
            plans.append(plan)
    with _dated_as_given():
        _save(plans)
        used = _legal_basis_use(demo, plans)
    made = {plan.state for plan in plans}
    demo.say(f"Consents: {len(plans)} ({', '.join(sorted(made))}); legal-basis uses: {used}")


def demo_follower_cases(cases: list[Case]) -> list[Case]:
    """The demo follower's open follow-ups, by the youth's last and first name (the order the
    demo teams and the consents agree on)."""
    mine = [case for case in cases if case.state != FollowUp.State.CLOSED and case.lead.email == DEMO_FOLLOWER]
    return sorted(mine, key=lambda case: (case.youth.last_name, case.youth.first_name))


def _responsible_guardians(youths: list[Youth]) -> dict[int, list[Guardian]]:
    found: dict[int, list[Guardian]] = {}
    rows = (
        Guardianship.objects.filter(youth__in=youths, parental_responsibility=True)
        .select_related("guardian")
        .order_by("guardian_id")
    )
    for row in rows:
        found.setdefault(row.youth_id, []).append(row.guardian)
    return found


def _states(cases: list[Case], guardians: dict[int, list[Guardian]]) -> dict[int, str]:
    states = {
        case.youth.pk: state for case, state in zip(demo_follower_cases(cases), DEMO_FOLLOWER_STATES, strict=False)
    }
    # The youth who came of age most recently (within the year), with guardians who could have
    # consented with the youth at 17.
    candidates = [
        case
        for case in cases
        if case.youth.pk not in states
        and DEMO_TODAY - VALID_DAYS * DAY < case.youth.eighteenth_birthday <= DEMO_TODAY
        and guardians.get(case.youth.pk)
    ]
    if candidates:
        lapsed = max(candidates, key=lambda case: (case.youth.eighteenth_birthday, case.youth.pk))
        states[lapsed.youth.pk] = LAPSED_18
    return states


def _age_rule(youth: Youth, day: datetime.date) -> str:
    """The service's age rule for a consent given and recorded on this day."""
    return consent_age_rule(youth, day, day)


def _at(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.choice((10, 12, 13, 14, 15)), rng.choice((0, 15, 30))), OSLO
    )


def _plan(demo: Demo, case: Case, state: str, guardians: list[Guardian]) -> ConsentPlan | None:
    """What one youth's consent says, version by version, or None when no valid consent can be
    made (a youth under 18 without a guardian with parental responsibility)."""
    youth = case.youth
    rng = demo.rng("consents", youth.national_id)
    units = demo.units[case.district]
    start = case.started_on or case.decided_on
    birthday = youth.eighteenth_birthday
    if state == LAPSED_18:
        start = min(start, birthday - LAPSED_GIVEN_DAYS_BEFORE * DAY)
    elif start < birthday <= DEMO_TODAY or (youth.age_on(start) < 18 and not guardians and birthday <= DEMO_TODAY):
        start = birthday  # asked again at 18 (see the module docstring)
    rule = _age_rule(youth, start)
    if rule != AgeRule.ADULT and not guardians:
        return None
    receiving = [unit for unit in (case.saved().unit, youth.school, units.barnevern, units.police) if unit is not None]
    categories = list(CATEGORIES)
    if state == IN_FORCE_WITHOUT_POLICE:
        receiving = [unit for unit in receiving if unit.kind != Unit.Kind.POLICE]
        categories = list(WITHOUT_POLICE_FIRST)
    valid_to = DEMO_TODAY + EXPIRING_IN_DAYS * DAY if state == EXPIRING else start + VALID_DAYS * DAY
    name = youth.preferred_name or youth.first_name
    youth_answer: str | None = None if rule == AgeRule.UNDER_15 else GIVEN
    guardian_answers = [] if rule == AgeRule.ADULT else [(guardian, GIVEN) for guardian in guardians]
    youth_view = rng.choice(YOUTH_VIEWS).format(name=name) if rule == AgeRule.UNDER_15 else ""
    if state == REFUSED_STATE:
        if rule == AgeRule.UNDER_15:
            guardian_answers[0] = (guardian_answers[0][0], REFUSED)
            youth_view = REFUSED_VIEW.format(name=name)
        else:
            youth_answer = REFUSED
    at = _at(rng, start)
    first = VersionPlan(
        number=1,
        event=Event.RECORDED,
        categories=sorted(categories),
        units=receiving,
        valid_from=start,
        valid_to=valid_to,
        age_rule=rule,
        at=at,
        by=case.lead_on(start),
        written=rng.random() < 0.5,
        youth_answer=youth_answer,
        guardian_answers=guardian_answers,
        youth_view=youth_view,
    )
    plan = ConsentPlan(case=case, state=state, versions=[first])
    if state == IN_FORCE_WITHOUT_POLICE:
        # Six weeks on, the youth and the guardians agreed to add substance use and health.
        day = max(start + DAY, min(start + 42 * DAY, DEMO_TODAY - 7 * DAY))
        rule = _age_rule(youth, day)
        plan.versions.append(
            VersionPlan(
                number=2,
                event=Event.REVISED,
                categories=sorted([*WITHOUT_POLICE_FIRST, "substance_use", "health"]),
                units=receiving,
                valid_from=day,
                valid_to=first.valid_to,
                age_rule=rule,
                at=_at(rng, day),
                by=case.lead_on(day),
                written=False,
                youth_answer=None if rule == AgeRule.UNDER_15 else GIVEN,
                guardian_answers=[] if rule == AgeRule.ADULT else [(guardian, GIVEN) for guardian in guardians],
                youth_view=youth_view if rule == AgeRule.UNDER_15 else "",
            )
        )
    if state == WITHDRAWN:
        day = DEMO_TODAY - WITHDRAWN_DAYS_AGO * DAY
        by_guardian = youth.age_on(day) < 18 and bool(guardians)
        party = Party.GUARDIAN if by_guardian else Party.YOUTH
        reason = WITHDRAWAL_REASONS[party].format(name=name, Parent=case.parent.capitalize())
        plan.versions.append(
            dataclasses.replace(
                first,
                number=2,
                event=Event.WITHDRAWN,
                withdrawn_at=_at(rng, day),
                withdrawn_by_party=party,
                withdrawn_by_guardian=guardians[0] if by_guardian else None,
                withdrawal_reason=reason,
                recorded_by=case.lead_on(day),
            )
        )
    return plan


# ---------------------------------------------------------------------------------------------
# The named candidates in the intake queues


def build_intake_consents(demo: Demo, number: int, candidates: list[IntakeCandidate]) -> int:
    """A consent for each named candidate still in the district's queue (new or on the waiting
    list): a youth is named to the intake meeting only with consent
    (referrals.intake.services.intake_candidate_propose). The proposer asked the youth and the
    guardians (as the age rule on the day needs) two days before proposing, and noted the oral
    answers: identity and contact details and school, to the follow-up unit, barnevern, the
    police unit and the school that sit in the intake meeting. In the demo district:
    - the candidates proposed by the police, and the urgent one, add police matters;
    - the one proposed by the outreach service (or else the last) did not agree to the police:
      neither the category nor the unit. With the police contact in the room, intake mode
      shows that candidate as «En navngitt ungdom» and says what is withheld, while the
      coordinator's queue names the youth.
    Inserted only when missing, like every consent in the demo. Returns the number of plans."""
    named = [c for c in candidates if c.youth is not None and c.in_queue]
    if not named:
        return 0
    units = demo.units[number]
    guardians = _responsible_guardians([c.youth for c in named if c.youth is not None])
    story = without_police_candidate(demo, number, named) if number == DEMO_DISTRICT else None
    plans = []
    for candidate in named:
        youth = candidate.youth
        assert youth is not None
        rng = demo.rng("intake-consent", youth.national_id)
        at = candidate.created_at - 2 * DAY
        start = at.astimezone(OSLO).date()
        rule = _age_rule(youth, start)
        if rule != AgeRule.ADULT and not guardians.get(youth.pk):
            continue  # no valid consent can be made; the seed tests require none to be missing
        receiving = [units.followup, units.barnevern, units.police, units.schools[0]]
        categories = list(INTAKE_CATEGORIES)
        police_matters = number == DEMO_DISTRICT and (
            candidate.proposed_by_unit_id == units.police.pk or candidate.urgency == "urgent"
        )
        if candidate is story:
            receiving.remove(units.police)
        elif police_matters:
            categories.append("police")
        name = youth.preferred_name or youth.first_name
        version = VersionPlan(
            number=1,
            event=Event.RECORDED,
            categories=sorted(categories),
            units=receiving,
            valid_from=start,
            valid_to=start + VALID_DAYS * DAY,
            age_rule=rule,
            at=at,
            by=candidate.proposed_by,
            written=False,
            youth_answer=None if rule == AgeRule.UNDER_15 else GIVEN,
            guardian_answers=[] if rule == AgeRule.ADULT else [(g, GIVEN) for g in guardians[youth.pk]],
            youth_view=rng.choice(YOUTH_VIEWS).format(name=name) if rule == AgeRule.UNDER_15 else "",
        )
        plans.append(ConsentPlan(case=None, state=IN_FORCE, versions=[version], youth=youth, purpose=INTAKE_PURPOSE))
    with _dated_as_given():
        _save(plans)
    return len(plans)


def without_police_candidate(demo: Demo, number: int, named: list[IntakeCandidate]) -> IntakeCandidate | None:
    """The demo district's named candidate whose consent leaves out the police: the one the
    outreach service proposed among the new candidates, or else the last new one."""
    new = [c for c in named if c.outcome == ""]
    outreach = demo.units[number].outreach.pk
    return next((c for c in new if c.proposed_by_unit_id == outreach), new[-1] if new else None)


# ---------------------------------------------------------------------------------------------
# Saving


@contextmanager
def _dated_as_given() -> Iterator[None]:
    """Date the rows when the consent was given, not when the demo is built: the fields that
    stamp the time of writing (auto_now_add) take the value given while the demo writes."""
    stamps = [(Consent, "created_at"), (ConsentVersion, "recorded_at"), (LegalBasisUse, "created_at")]
    fields: list[Any] = [model._meta.get_field(name) for model, name in stamps]
    try:
        for stamp in fields:
            stamp.auto_now_add = False
        yield
    finally:
        for stamp in fields:
            stamp.auto_now_add = True


def _save(plans: list[ConsentPlan]) -> None:
    consents = upsert(
        Consent,
        [
            {
                "youth": plan.subject,
                "purpose": plan.purpose,
                "created_by": plan.versions[0].by,
                "created_at": plan.versions[0].at,
            }
            for plan in plans
        ],
        key=("youth", "purpose"),
    )
    existing = set(ConsentVersion.objects.filter(consent__in=consents).values_list("consent_id", "number").order_by())
    new: list[tuple[ConsentVersion, VersionPlan]] = []
    for plan, consent in zip(plans, consents, strict=True):
        documents: dict[str, str] = {}  # a withdrawal keeps the signed form of the version it copies
        for number, version_plan in enumerate(plan.versions, start=1):
            if (consent.pk, number) in existing:
                continue
            _check(plan.subject, version_plan)
            version = _version(consent, version_plan, documents)
            new.append((version, version_plan))
    versions = ConsentVersion.objects.bulk_create([version for version, _ in new])
    ConsentVersion.units.through.objects.bulk_create(
        ConsentVersion.units.through(consentversion_id=version.pk, unit_id=unit.pk)
        for version, version_plan in zip(versions, (p for _, p in new), strict=True)
        for unit in version_plan.units
    )
    ConsentAnswer.objects.bulk_create(
        answer
        for version, version_plan in zip(versions, (p for _, p in new), strict=True)
        for answer in _answers(version, version_plan)
    )


def _check(youth: Youth, plan: VersionPlan) -> None:
    """The rules consent_record and consent_revise keep (consent.services.consent_version_check),
    on the day the answers were given, and for a withdrawal those of consent_withdraw
    (consent_withdrawal_check) on the day it was withdrawn; a plan that breaks one stops the build."""
    rule = consent_version_check(
        youth=youth,
        categories=plan.categories,
        units=plan.units,
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        youth_answer=plan.youth_answer,
        guardian_answers=dict(plan.guardian_answers),
        youth_view=plan.youth_view,
        recorded_on=plan.at.astimezone(OSLO).date(),
    )
    if rule != plan.age_rule:
        raise ValidationError(f"The demo planned the age rule {plan.age_rule} for {youth}; the service says {rule}.")
    if plan.event == Event.WITHDRAWN:
        assert plan.withdrawn_at is not None, "a withdrawal has its time"
        consent_withdrawal_check(
            youth=youth,
            party=plan.withdrawn_by_party,
            reason=plan.withdrawal_reason,
            guardian=plan.withdrawn_by_guardian,
            on=plan.withdrawn_at.astimezone(OSLO).date(),
        )


def _version(consent: Consent, plan: VersionPlan, documents: dict[str, str]) -> ConsentVersion:
    version = ConsentVersion(
        consent=consent,
        number=plan.number,
        event=plan.event,
        categories=plan.categories,
        form=ConsentVersion.Form.WRITTEN if plan.written else ConsentVersion.Form.ORAL,
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        age_rule=plan.age_rule,
        youth_view=plan.youth_view,
        withdrawn_at=plan.withdrawn_at,
        withdrawn_by_party=plan.withdrawn_by_party,
        withdrawn_by_guardian=plan.withdrawn_by_guardian,
        withdrawal_reason=plan.withdrawal_reason,
        recorded_by=plan.recorded_by or plan.by,
        recorded_at=plan.withdrawn_at or plan.at,
    )
    if plan.written:
        key = f"{plan.valid_from}:{plan.categories}"
        if key in documents:
            version.document.name = documents[key]
        else:
            name = f"samtykke-demo-{consent.pk}-versjon-{plan.number}.pdf"
            document = ContentFile(signed_form_pdf(consent.pk, plan.number), name=name)
            consent_document_check(form=version.form, document=document)  # the form consent_record takes
            version.document.save(name, document, save=False)
            documents[key] = version.document.name
    else:
        version.noted_by = plan.by
        version.noted_at = plan.at
    return version


def _answers(version: ConsentVersion, plan: VersionPlan) -> list[ConsentAnswer]:
    answers = [
        ConsentAnswer(version=version, party=Party.GUARDIAN, guardian=guardian, answer=answer)
        for guardian, answer in plan.guardian_answers
    ]
    if plan.youth_answer is not None:
        answers.append(ConsentAnswer(version=version, party=Party.YOUTH, answer=plan.youth_answer))
    return answers


def _legal_basis_use(demo: Demo, plans: list[ConsentPlan]) -> int:
    """The demo follower's report to barnevern about the youth whose consent was withdrawn."""
    plan = next((plan for plan in plans if plan.state == WITHDRAWN), None)
    basis = LegalBasis.objects.filter(code=LEGAL_BASIS_CODE).first()
    if plan is None or basis is None:
        return 0
    case = plan.case
    assert case is not None
    youth = case.youth
    rng = demo.rng("legal_basis", youth.national_id)
    starts_at = _at(rng, DEMO_TODAY - LEGAL_BASIS_DAYS_AGO * DAY)
    categories = sorted(c for c in ("identity_contact", "family", "school") if c in basis.categories)
    # legal_basis_use's rules, asked at the time it was used (legal_basis_use_check).
    unit, categories, reason, until = legal_basis_use_check(
        actor=case.lead,
        youth=youth,
        basis=basis,
        categories=categories,
        reason=LEGAL_BASIS_REASON.format(name=youth.preferred_name or youth.first_name),
        unit=demo.units[case.district].barnevern,
        until=starts_at + 21 * DAY,
        now=starts_at,
    )
    upsert(
        LegalBasisUse,
        [
            {
                "basis": basis,
                "youth": youth,
                "actor": case.lead,
                "unit": unit,
                "categories": categories,
                "reason": reason,
                "starts_at": starts_at,
                "until": until,
                "created_at": starts_at,
            }
        ],
        key=("youth", "basis", "actor", "starts_at"),
    )
    return 1


def signed_form_pdf(consent_id: int, number: int) -> bytes:
    """A small, valid one-page PDF standing in for the scanned, signed consent form."""
    lines = [
        "Samtykkeerklæring – samarbeid i laget rundt ungdommen",
        f"Samtykke nr. {consent_id}, versjon {number}",
        "Signert av ungdommen og foresatte etter aldersreglene.",
        "Demodata: syntetiske personer, ikke et ekte skjema.",
    ]
    text = (
        b"BT /F1 12 Tf 72 770 Td 16 TL "
        + b"".join(
            b"(" + line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '\n"
            for line in lines
        )
        + b"ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{index} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
