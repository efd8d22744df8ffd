"""The one sharing policy: may this person see this category of this youth's information?

Views, API, PDFs and exports all ask a `Viewer` (or `decide` for one category); no
other module decides field-level visibility (STYLE.md). A person acts for the services
(units) where they hold a role in force. A category of a youth's information is open to them
on one of three bases, tried in this order:

1. own_service — the information stays inside the service:
   - a service that holds the youth's follow-up (not closed) sees the youth's identity and
     contact details (OWN_SERVICE_CATEGORIES): it cannot follow a youth it cannot name or reach;
   - a service always sees what its own staff recorded (pass `source`, the unit the item was
     recorded in). Everything else — school, health, police matters, barnevern, family,
     substance use recorded by other services — needs consent or a legal basis, also for the
     follow-up team (follow-up is voluntary and rests on consent, DOMAIN.md).
2. consent — the current version of a consent of the youth covers the category and names one
   of the person's services as a receiving service, and is in force on the day: given by
   everyone its age rule requires (consent.models), refused by nobody, valid_from <= day <=
   valid_to, not withdrawn, and, when it rests on guardians' answers, the youth is under 18 on
   that day (guardian consents lapse on the 18th birthday by themselves; no job needed).
   Only the current version counts, so a withdrawal takes effect at once, also for questions
   about past days: a withdrawn consent opens nothing more.
3. legal_basis — a recorded use of a legal basis (consent.services.legal_basis_use), in
   force at the time, covering the category, whose receiving service is one of the person's.

Outreach workers' notes (items recorded in a Unit.Kind.OUTREACH unit) reach the police
(Unit.Kind.POLICE) only through a consent version in force that names that police unit, covers
the categories and says so explicitly (ConsentVersion.outreach_notes_to_police, "the outreach
service's notes may be shared with the police"). An ordinary consent naming the police unit
does not open them, nor does a legal-basis use, nor a follow-up held by the police unit (seed
003: the outreach workers' safety and standing among the youths depend on it). Where the law
obliges an outreach worker to warn the police (straffeloven § 196), they do so themselves;
Laget does not open their notes for it.

What every output does with it (cases.selectors.youth_view, reports.selectors.youth_rows, the
API, the PDFs): it gets the youth's record from `Viewer.show_fields`, which masks each field by
its category in FIELD_CATEGORY (the one map from field to category), asks `Viewer.show` before
showing each item, shows only what is open, and says plainly what was withheld and that no
consent or legal basis covers the person's service. `Viewer.sees` and `Viewer.fields` are the
same questions with no side effect (for rules in services); `show` and `show_fields` remember
the decisions, and the selector that returns the output logs them, so no output can forget.

- The frame is shown to anyone who may open the youth at all (core.access: the follow-up team,
  and members of the youth's team through their grant): the name, the district, the follow-up
  team and who works in it, among them who holds lead responsibility. A team member without
  consent for their service sees only that — they know whom to ask, and nothing more.
- The youth's record (birth date, age, identity number, gender, address, phone, language,
  safety notes: identity and contact; school and class: school; guardians and siblings:
  family) is kept by the service that holds, or last held, the follow-up (`sees_record`).
- Items carry their categories and the service that recorded them: contacts (their life
  areas, always identity and contact), offences and criminal-justice steps (police matters),
  outcome measures (school, police matters, substance use), the follow-up's own changes
  (identity and contact). Whatever a barnevern service (Unit.Kind.BARNEVERN) recorded is
  barnevern information as well: it carries the barnevern category, so another service needs
  a consent or legal basis covering barnevern to see it, also a service that holds the
  follow-up. A list item is shown only when every category it carries is open.
- Searching by identity number or school finds only youths whose number or record the person
  may see (cases.selectors.youth_search_filter): a search must not reveal what a page hides.

Every disclosure is logged (consent.services.disclosure_record): each page, PDF or API response
about one youth logs what it showed on every basis, own service included, so the right-to-know
report (consent.selectors.disclosure_report) answers "who has seen what" completely; lists log
only what crossed a service boundary (consent or legal basis), since a service's overview of its
own youths is not a disclosure and would drown the report.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Case, Model, Q, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import Contact, Family, FollowUp, Guardian, Guardianship, LifeArea, Offence, Youth
from core import access
from core.dates import OSLO, oslo_date, today_in_oslo
from org.models import StaffRole, Unit
from org.selectors import active_role_q

from .models import Category, Consent, ConsentAnswer, ConsentVersion, LegalBasisUse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

OWN_SERVICE = "own_service"
CONSENT = "consent"
LEGAL_BASIS = "legal_basis"
NO_BASIS = "no_basis"

# What a service that holds the follow-up sees without consent (see the module docstring).
OWN_SERVICE_CATEGORIES = frozenset({Category.IDENTITY_CONTACT.value})

# A contact's life areas and the category each belongs to. Leisure, work and friends are
# everyday life with no category of their own: the contact is still identity-and-contact
# information (it says who the youth is and that we met), which every contact carries.
# Housing and economy is the household's situation: family information.
LIFE_AREA_CATEGORIES: dict[str, str] = {
    LifeArea.SCHOOL: Category.SCHOOL,
    LifeArea.HEALTH: Category.HEALTH,
    LifeArea.FAMILY: Category.FAMILY,
    LifeArea.SUBSTANCE_USE: Category.SUBSTANCE_USE,
    LifeArea.HOUSING_ECONOMY: Category.FAMILY,
}

T = TypeVar("T")

# --- Which category each field of a youth's record belongs to ------------------------------------

# The frame: shown to anyone who may open the youth at all (core.access), see the docstring.
FRAME = "frame"
IDENTITY = Category.IDENTITY_CONTACT.value

# The one map from a field of the youth's record to the category of information it is. Every
# output of the record (page, API, PDF, export) gets its values through Viewer.show_fields,
# which reads this map; tests/consent/test_field_map.py fails when a model gains a field that
# is neither here nor in NOT_PERSONAL. The record is kept by the service that holds (or last
# held) the follow-up (`sees_record`). Address and national identity number are also under
# barnevern's stricter confidentiality (cases.policy.restricted_fields), applied on top of this.
# E-mails and calendar files (core.notifications, teams.calendar.feed) carry no field of the
# record at all; the calendar page names a youth (the frame) only to whoever may open them.
FIELD_CATEGORY: dict[type[Model], dict[str, str]] = {
    Youth: {
        "first_name": FRAME,
        "last_name": FRAME,
        "preferred_name": FRAME,
        "display_name": FRAME,  # a property: the preferred or first name, and the last name
        "district": FRAME,
        "national_id": IDENTITY,
        "birth_date": IDENTITY,
        "gender": IDENTITY,
        "address": IDENTITY,
        "postal_code": IDENTITY,
        "phone": IDENTITY,
        "language": IDENTITY,
        "needs_interpreter": IDENTITY,
        "safety_notes": IDENTITY,
        "school": Category.SCHOOL.value,
        "school_class": Category.SCHOOL.value,
        "family": Category.FAMILY.value,
        # Figures lists compute over the youth's items (cases.selectors.youths_for_user).
        "last_contact_at": IDENTITY,
        "offences_this_year": Category.POLICE.value,
        "repeated_crime_years": Category.POLICE.value,  # years with repeated crime (the flag)
    },
    Family: {"name": Category.FAMILY.value, "district": Category.FAMILY.value},
    Guardian: {
        "first_name": Category.FAMILY.value,
        "last_name": Category.FAMILY.value,
        "phone": Category.FAMILY.value,
        "email": Category.FAMILY.value,
        "language": Category.FAMILY.value,
        "needs_interpreter": Category.FAMILY.value,
        "family": Category.FAMILY.value,
    },
    Guardianship: {
        "youth": FRAME,
        "guardian": Category.FAMILY.value,
        "relation": Category.FAMILY.value,
        "parental_responsibility": Category.FAMILY.value,
    },
}

# Fields that say nothing about the person: keys and when a row was written.
NOT_PERSONAL: dict[type[Model], frozenset[str]] = {
    Youth: frozenset({"id", "created_at"}),
    Family: frozenset({"id"}),
    Guardian: frozenset({"id"}),
    Guardianship: frozenset({"id"}),
}

# The other models that hold something about a youth (a link to Youth): their items carry
# categories as a whole, and this says where the policy decides what of each is shown. Keyed by
# label, so the policy names them without importing the apps above it. A new model with a link
# to Youth fails tests/consent/test_field_map.py until it is here or in FIELD_CATEGORY.
ITEM_RULES: dict[str, str] = {
    "cases.FollowUp": "the frame (who works with the youth); a closing summary by Viewer.show_written_by",
    "cases.Contact": "categories_of_contact (its life areas), recorded by its follow-up's unit",
    "cases.ContactDraft": "never shown to anyone but its author: an unsaved contact",
    "cases.Offence": "categories_of_offence (police matters), recorded by its unit",
    "cases.JusticeStep": "categories_of_timeline_item (police matters), recorded by its unit",
    "consent.Consent": "its scope is shown to whoever sees the youth; its history to those who record consents",
    "consent.LegalBasisUse": "shown with the consents, to those who record consents or review the uses",
    "consent.Disclosure": "the right-to-know report, for those who record consents",
    "consent.DiscussionCase": "identity and contact, written in its unit (consent.selectors)",
    "teams.TeamMember": "the frame; guardians with family information (teams.selectors.team_shown)",
    "teams.MeetingSeries": "the frame: a recurring meeting's kind and time",
    "teams.Meeting": "the minutes' headings by their categories, written in the organising unit",
    "teams.ActionItem": "identity and contact, written in the organising unit (teams.meetings.selectors); "
    "a plan's step by its goal's life area (teams.plans.selectors.plan_items_shown)",
    "teams.Plan": "each goal and its steps by the category of its life area, recorded by the service that keeps "
    "the record (teams.plans.selectors.plan_shown)",
    "teams.TransitionItem": "each point by its category (teams.transition.policy.POINT_CATEGORY), recorded by "
    "the service that keeps the record (teams.transition.selectors)",
    "teams.ListMeetingEntry": "identity and contact; police information with police matters",
    "referrals.IntakeCandidate": "identity from the proposing unit, school from the record",
    "referrals.ConcernReportChild": "barnevern, recorded by the report's unit (report_children_shown)",
}

# Mapped names that are annotations of a list, not fields: shown only when an output names them.
ANNOTATIONS = frozenset({"last_contact_at", "offences_this_year", "repeated_crime_years"})
# Figures over items recorded by many services, decided without a source (not the record's).
DERIVED = frozenset({"offences_this_year", "repeated_crime_years"})

# The frame is shown to whoever may open the youth (core.access). An output whose audience need
# not be such people (intake's shared screen and queue, minutes that go to every participant)
# decides the frame as identity information: a name says who the youth is.
SHARED_FRAME = IDENTITY


def categories_of_fields(model: type[Model], names: Iterable[str], *, shared: bool = False) -> list[str]:
    """The categories of these fields of `model`, by FIELD_CATEGORY, for an output that decides
    a few fields for many people at once rather than through one `Viewer.show_fields` (intake's
    shared screen). The frame counts as no category, or as SHARED_FRAME when `shared`; a field
    the map has no word on is a KeyError. In the catalogue's order, each once."""
    mapped = FIELD_CATEGORY[model]
    wanted = {mapped[name] for name in names}
    if FRAME in wanted:
        wanted.discard(FRAME)
        if shared:
            wanted.add(SHARED_FRAME)
    return [value for value in Category.values if value in wanted]


def fields_source(names: Iterable[str], record_unit: Unit | None) -> Unit | None:
    """The service fields of the youth's record count as recorded by (as `Viewer.show_fields`
    decides them): the record's keeper, or none for figures over items many services recorded
    (DERIVED)."""
    return None if all(name in DERIVED for name in names) else record_unit


class Shown:
    """An object's fields as one person may see them (Viewer.show_fields). A withheld field
    reads None; a field the output did not ask for does not exist (AttributeError), so an
    output cannot reach past the policy to the object. `withheld` names the withheld fields."""

    __slots__ = ("_values", "withheld")

    def __init__(self, *, values: dict[str, Any], withheld: frozenset[str]) -> None:
        self._values = values
        self.withheld = withheld

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def open(self, name: str) -> bool:
        """Was the field asked for and not withheld?"""
        return name in self._values and name not in self.withheld

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def replace(self, **values: Any) -> Shown:
        """Another value for open fields (a restricted field's masked form, for instance);
        withheld fields stay None."""
        merged = dict(self._values)
        merged.update({k: v for k, v in values.items() if k in merged and k not in self.withheld})
        return Shown(values=merged, withheld=self.withheld)


@dataclass(frozen=True)
class Decision:
    """The answer for one category: allowed or withheld, and on which basis."""

    allowed: bool
    reason: str  # own_service | consent | legal_basis | no_basis
    category: str
    unit_id: int | None = None  # the person's service the basis applies to
    consent_version_id: int | None = None
    legal_basis_use_id: int | None = None

    @property
    def withheld(self) -> bool:
        return not self.allowed


def guardian_based(version: ConsentVersion) -> bool:
    return version.age_rule != ConsentVersion.AgeRule.ADULT


def version_in_force(version: ConsentVersion, youth: Youth, day: datetime.date) -> bool:
    """Is this version, if it is the current one, a consent in force on `day`?

    Uses version.answers.all(), so prefetch answers when checking many."""
    if version.is_withdrawn or not (version.valid_from <= day <= version.valid_to):
        return False
    answers = list(version.answers.all())
    if any(a.answer == ConsentAnswer.Answer.REFUSED for a in answers):
        return False
    youth_gave = any(a.party == ConsentVersion.Party.YOUTH for a in answers)
    guardians = [a for a in answers if a.party == ConsentVersion.Party.GUARDIAN]
    rule = version.age_rule
    if rule == ConsentVersion.AgeRule.ADULT:
        return youth_gave
    if youth.age_on(day) >= 18:
        return False  # guardian consents lapse on the 18th birthday
    if not guardians:
        return False
    return youth_gave or rule == ConsentVersion.AgeRule.UNDER_15


def current_versions(youth: Youth) -> list[ConsentVersion]:
    """The current version of each of the youth's consents, with answers and units."""
    return list(
        ConsentVersion.objects.current()
        .filter(consent__youth=youth)
        .prefetch_related("answers", "units")
        .order_by("-recorded_at", "-id")
    )


# --- Guardians after 18 -----------------------------------------------------------------------


def _oslo_day(at: datetime.datetime | datetime.date | None) -> datetime.date:
    if at is None:
        return today_in_oslo()
    if isinstance(at, datetime.datetime):  # before date: a datetime is a date too
        return oslo_date(at)
    return at


def guardians_told(youth: Youth, *, at: datetime.datetime | datetime.date | None = None) -> bool:
    """May the youth's guardians be told and involved at `at`? The one rule every place that
    addresses guardians asks (issue 14, DOMAIN.md "Turning 18").

    `at` is a moment (taken to its calendar date in Europe/Oslo, core.dates.oslo_date), a date
    as it is, or now in Oslo by default. Under 18 on that day (`youth.eighteenth_birthday >
    day`; born on 29 February: the birthday is 1 March in a year without it, core.dates), the
    guardians are told. From 00:00 Oslo time on the 18th birthday they are told nothing
    unless the current version of one of the youth's consents, in force that day
    (`version_in_force`: the youth's own answer given, within its dates, not withdrawn), is the
    youth's own (age rule "adult") and says `involve_guardians` ("the youth wants the guardians
    told and involved after 18"). A withdrawn or expired such consent closes it again.

    Asked by (each place that addresses guardians):
    - referrals.concerns.services.guardian_output_check: the letter to the guardians about a
      concern report, for each registered child of the report (guardian_letter_output for the
      PDF, refused and audited; guardian_letter_refusal for the report's page and API detail);
    - teams.meetings.services.participant_check (a guardian invited to a meeting that starts on
      or after the birthday, at the meeting's start: participant_add, the demo) and meeting_plan
      (the team's guardians left out of such meetings, naming one refused);
      teams.meetings.selectors.participants_of (an invitation made before, to a meeting now on
      or after the birthday, shown as stopped on the meeting page and in the API);
    - teams.plans.selectors.plan_acknowledgement_status (the guardians not asked to acknowledge
      the plan) and through it teams.plans.services.plan_acknowledge (a guardian's
      acknowledgement refused) and the acknowledgement page; plan_helper_choices and
      plan_step_check (a guardian as a step's helper);
    - teams.services.team_member_check (a guardian joining the team: team_member_add, page,
      API, demo) and teams.selectors.team_shown (the team page and API say the guardians in the
      team are no longer told);
    - consent.selectors.who_knows_what (the youth's own copy of Min plan says, from 18, whether
      the parents are still told).
    Lists ask `guardians_told_many` (a fixed number of queries)."""
    return guardians_told_many([youth], at=at)[youth.pk]


def guardians_told_many(
    youths: Sequence[Youth], *, at: datetime.datetime | datetime.date | None = None
) -> dict[int, bool]:
    """`guardians_told` for many youths at once, by youth id: no query when all are under 18 on
    the day, one query for the consents of those who are not."""
    day = _oslo_day(at)
    told = {youth.pk: True for youth in youths}
    adults = {youth.pk: youth for youth in youths if youth.eighteenth_birthday <= day}
    if not adults:
        return told
    versions = (
        ConsentVersion.objects.current()
        .filter(consent__youth_id__in=list(adults), involve_guardians=True, age_rule=ConsentVersion.AgeRule.ADULT)
        .select_related("consent")
        .prefetch_related("answers")
    )
    consented = {v.consent.youth_id for v in versions if version_in_force(v, adults[v.consent.youth_id], day)}
    for pk in adults:
        told[pk] = pk in consented
    return told


def guardians_not_told_reason(youth: Youth) -> str:
    """What a page or the API says when a place refuses to address the guardians
    (guardians_told is False): the youth is 18 and has not asked for them to be involved."""
    return _(
        "%(name)s turned 18 on %(birthday)s. From then on the guardians are told nothing unless "
        "%(name)s has consented to involving them (a consent of the youth's own that says "
        "the guardians are to be told and involved after 18)."
    ) % {"name": youth.display_name, "birthday": formats.date_format(youth.eighteenth_birthday, "j.n.Y")}


@dataclass
class _Facts:
    """What the policy needs about one person and one youth, loaded once."""

    youth: Youth
    day: datetime.date
    unit_ids: set[int]
    own_unit_ids: set[int]
    police_unit_ids: set[int]
    versions: list[ConsentVersion]
    uses: list[LegalBasisUse]
    record_unit: Unit | None = None  # the service that keeps the youth's record (RECORD)
    cache: dict[tuple[str, int | None], Decision] = field(default_factory=dict)


def _followup_order() -> tuple[Any, ...]:
    """Open follow-ups first, then the newest: the first is the one that keeps the record."""
    return (Case(When(state=FollowUp.State.CLOSED, then=1), default=0), "-created_at", "-id")


def _facts_many(
    user: User | AnonymousUser | None, youths: Sequence[Youth], on: datetime.date | None
) -> dict[int, _Facts]:
    """The facts for many youths at once: a fixed number of queries however many youths."""
    day = on or today_in_oslo()
    ids = [y.pk for y in youths]
    roles = StaffRole.objects.filter(active_role_q(on=day)) if _active(user) else StaffRole.objects.none()
    units = dict(roles.filter(user=user.pk if user is not None else None).values_list("unit_id", "unit__kind"))
    followups = (
        FollowUp.objects.filter(youth_id__in=ids).select_related("unit").order_by("youth_id", *_followup_order())
    )
    record_unit: dict[int, Unit] = {}
    own: dict[int, set[int]] = {}
    for followup in followups:
        record_unit.setdefault(followup.youth_id, followup.unit)
        if followup.unit_id in units and followup.state != FollowUp.State.CLOSED:
            own.setdefault(followup.youth_id, set()).add(followup.unit_id)
    versions: dict[int, list[ConsentVersion]] = {}
    uses: dict[int, list[LegalBasisUse]] = {}
    if units and ids:
        for version in (
            ConsentVersion.objects.current()
            .filter(consent__youth_id__in=ids)
            .select_related("consent")
            .prefetch_related("answers", "units")
            .order_by("-recorded_at", "-id")
        ):
            versions.setdefault(version.consent.youth_id, []).append(version)
        if on is None:
            now = timezone.now()
            in_force = Q(starts_at__lte=now, until__gt=now)
        else:
            start = datetime.datetime.combine(day, datetime.time.min, tzinfo=OSLO)
            in_force = Q(starts_at__lt=start + datetime.timedelta(days=1), until__gt=start)
        for use in LegalBasisUse.objects.filter(in_force, youth_id__in=ids, unit_id__in=units).order_by("id"):
            uses.setdefault(use.youth_id, []).append(use)
    police = {pk for pk, kind in units.items() if kind == Unit.Kind.POLICE}
    return {
        youth.pk: _Facts(
            youth=youth,
            day=day,
            unit_ids=set(units),
            own_unit_ids=own.get(youth.pk, set()),
            police_unit_ids=police,
            versions=versions.get(youth.pk, []),
            uses=uses.get(youth.pk, []),
            record_unit=record_unit.get(youth.pk),
        )
        for youth in youths
    }


def _facts(user: User | AnonymousUser | None, youth: Youth, on: datetime.date | None) -> _Facts:
    return _facts_many(user, [youth], on)[youth.pk]


def _active(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _decide(facts: _Facts, category: str, source: Unit | None) -> Decision:
    key = (category, source.pk if source is not None else None)
    if key in facts.cache:
        return facts.cache[key]
    decision = _decide_uncached(facts, category, source)
    facts.cache[key] = decision
    return decision


def _decide_uncached(facts: _Facts, category: str, source: Unit | None) -> Decision:
    if category not in Category.values:
        raise ValueError(f"unknown category {category!r}")
    if source is not None and source.pk in facts.unit_ids:
        return Decision(True, OWN_SERVICE, category, unit_id=source.pk)
    from_outreach = source is not None and source.kind == Unit.Kind.OUTREACH
    # Outreach notes reach a police unit only on a consent that says so (module docstring): the
    # person's police units are left out of every other basis for them.
    own = facts.own_unit_ids - facts.police_unit_ids if from_outreach else facts.own_unit_ids
    if category in OWN_SERVICE_CATEGORIES and own:
        return Decision(True, OWN_SERVICE, category, unit_id=min(own))
    for version in facts.versions:
        if category not in version.categories:
            continue
        receiving = sorted(
            u.pk
            for u in version.units.all()
            if u.pk in facts.unit_ids
            and not (from_outreach and u.pk in facts.police_unit_ids and not version.outreach_notes_to_police)
        )
        if receiving and version_in_force(version, facts.youth, facts.day):
            return Decision(True, CONSENT, category, unit_id=receiving[0], consent_version_id=version.pk)
    for use in facts.uses:
        if category not in use.categories:
            continue
        if from_outreach and use.unit_id in facts.police_unit_ids:
            continue  # outreach notes reach the police only on consent (module docstring)
        return Decision(True, LEGAL_BASIS, category, unit_id=use.unit_id, legal_basis_use_id=use.pk)
    return Decision(False, NO_BASIS, category)


def decide(
    user: User, youth: Youth, category: str, *, on: datetime.date | None = None, source: Unit | None = None
) -> Decision:
    """May `user` see `category` of `youth`'s information (recorded in `source`, when known)?

    `on` is a day in Europe/Oslo (today by default); legal-basis uses count when in force now,
    or at some time on `on` when a day is given."""
    return _decide(_facts(user, youth, on), category, source)


def consent_opens_to_unit(youth: Youth, category: str, unit: Unit, *, on: datetime.date | None = None) -> bool:
    """Does a consent of the youth in force on `on` (today by default) open `category` to
    `unit` as a receiving service? The consent basis alone, decided by the same rule as for a
    person (`_decide`): not a follow-up the unit holds, not a legal basis. Used where a rule
    needs the youth's own agreement, e.g. naming a youth to an intake meeting
    (referrals.intake.services.intake_candidate_propose)."""
    facts = _Facts(
        youth=youth,
        day=on or today_in_oslo(),
        unit_ids={unit.pk},
        own_unit_ids=set(),
        police_unit_ids={unit.pk} if unit.kind == Unit.Kind.POLICE else set(),
        versions=current_versions(youth),
        uses=[],
    )
    return _decide(facts, category, None).reason == CONSENT


# --- What one person is shown ---------------------------------------------------------------


@dataclass
class Viewer:
    """One person looking at one youth's information, for one page, PDF or API response.

    Every part of the output asks `sees` (or `filter` for a list of items) before it is shown.
    The viewer remembers the decisions behind what was shown (`shown`, for the disclosure log)
    and counts what was withheld per category (`withheld`, so the output can say so plainly).
    """

    facts: _Facts
    shown: list[Decision] = field(default_factory=list)
    withheld: Counter[str] = field(default_factory=Counter)

    @property
    def youth(self) -> Youth:
        return self.facts.youth

    def decide(self, category: str, source: Unit | None = None) -> Decision:
        return _decide(self.facts, category, source)

    def sees(self, categories: str | Iterable[str], source: Unit | None = None) -> bool:
        """May the person see something that carries these categories, recorded in `source`?
        Open only when every category is. A question, with no side effect: an output that
        goes on to show the thing calls `show` (or a selector that does), which remembers it."""
        wanted = [categories] if isinstance(categories, str) else list(categories)
        return all(_decide(self.facts, category, source).allowed for category in wanted)

    def sees_record(self, category: str) -> bool:
        """A part of the youth's record itself (details, school, guardians). The record is kept
        by the service that holds (or last held) the follow-up, so that service sees it."""
        return self.sees(category, self.facts.record_unit)

    def show(self, categories: str | Iterable[str], source: Unit | None = None) -> bool:
        """`sees`, for an output about to show the thing: the decisions are remembered, those
        that opened it in `shown` (for the disclosure log, written by the selector that returns
        the output) and what was withheld in `withheld` (so the output can say so plainly)."""
        wanted = [categories] if isinstance(categories, str) else list(categories)
        return self._note([_decide(self.facts, category, source) for category in wanted])

    def show_written_by(self, category: str, source: Unit) -> bool:
        """`show`, for what one service wrote about its own work with the youth (a closing
        summary): that service's staff see it; another service only on a consent or legal
        basis, since holding the youth's follow-up now opens the youth's identity, not what
        an earlier service concluded."""
        across = dataclasses.replace(self.facts, own_unit_ids=set(), cache={})
        return self._note([_decide(across, category, source)])

    def _note(self, decisions: list[Decision]) -> bool:
        if all(d.allowed for d in decisions):
            self.shown.extend(decisions)
            return True
        for d in decisions:
            if d.withheld:
                self.withheld[d.category] += 1
        return False

    def show_record(self, category: str) -> bool:
        """`show` for a part of the youth's record (see `sees_record`)."""
        return self.show(category, self.facts.record_unit)

    def fields(self, obj: Any, names: Iterable[str] | None = None) -> Shown:
        """`obj`'s fields as this person may see them, by FIELD_CATEGORY. A question, with no
        side effect (for a rule such as "only a service that sees the record may change it");
        an output uses `show_fields`, or better a selector that calls it and logs.

        `names` are the fields the output shows (all of the model's mapped fields by default;
        annotations such as `last_contact_at` only when named). A category is asked only when
        one of its fields holds something, so an empty school is neither withheld nor
        disclosed."""
        return self._fields(obj, names, note=False)

    def show_fields(self, obj: Any, names: Iterable[str] | None = None) -> Shown:
        """`fields`, for an output of the youth's record (page, API, PDF, export) that shows
        these values instead of the object itself: each category asked is remembered once in
        `shown` or `withheld` (`show`)."""
        return self._fields(obj, names, note=True)

    def _fields(self, obj: Any, names: Iterable[str] | None, *, note: bool) -> Shown:
        model_fields = FIELD_CATEGORY[type(obj)]
        wanted = [n for n in model_fields if n not in ANNOTATIONS] if names is None else list(names)
        values: dict[str, Any] = {"pk": obj.pk, **{n: getattr(obj, n) for n in NOT_PERSONAL[type(obj)]}}
        groups: dict[tuple[str, bool], list[str]] = {}  # (category, derived) -> field names
        for name in wanted:
            category = model_fields[name]  # KeyError: a field the policy has no word on
            values[name] = getattr(obj, name, None)
            if category != FRAME:
                groups.setdefault((category, name in DERIVED), []).append(name)
        withheld: set[str] = set()
        for (category, derived), names_of in groups.items():
            if all(values[n] in (None, "") for n in names_of):
                continue
            source = None if derived else self.facts.record_unit
            if not (self.show(category, source) if note else self.sees(category, source)):
                withheld.update(names_of)
        for name in withheld:
            values[name] = None
        return Shown(values=values, withheld=frozenset(withheld))

    def filter(
        self,
        items: Iterable[T],
        category_of: Callable[[T], set[str]],
        source_of: Callable[[T], Unit | None] = lambda item: None,
    ) -> list[T]:
        """The items this person may see, each remembered as shown or withheld (`show`)."""
        return [item for item in items if self.show(category_of(item), source_of(item))]

    def withheld_categories(self) -> list[tuple[str, int]]:
        """(category label, how many things) withheld, in the catalogue's order."""
        return [(str(label), self.withheld[value]) for value, label in Category.choices if self.withheld[value]]


def viewer(user: User | AnonymousUser | None, youth: Youth, *, on: datetime.date | None = None) -> Viewer:
    return Viewer(_facts(user, youth, on))


def viewers(
    user: User | AnonymousUser | None, youths: Sequence[Youth], *, on: datetime.date | None = None
) -> dict[int, Viewer]:
    """One viewer per youth in a list, in a fixed number of queries."""
    return {pk: Viewer(facts) for pk, facts in _facts_many(user, youths, on).items()}


# --- Data carries its category --------------------------------------------------------------


def _recorded_by_barnevern(source: Unit | None) -> bool:
    return source is not None and source.kind == Unit.Kind.BARNEVERN


def categories_of_contact(contact: Contact) -> set[str]:
    """A contact is always identity-and-contact information, plus the categories of its life
    areas (LIFE_AREA_CATEGORIES); one recorded by a barnevern service (its follow-up's unit)
    is barnevern information as well. Select followup__unit with the contacts."""
    categories = {Category.IDENTITY_CONTACT.value}
    for area in contact.life_areas:
        if area in LIFE_AREA_CATEGORIES:
            categories.add(str(LIFE_AREA_CATEGORIES[area]))
    if _recorded_by_barnevern(source_of_item(contact)):
        categories.add(Category.BARNEVERN.value)
    return categories


def categories_of_offence(offence: Offence) -> set[str]:
    """Offences are registered by the police: police matters."""
    return {Category.POLICE.value}


OUTCOME_CATEGORIES = frozenset({Category.SCHOOL.value, Category.POLICE.value, Category.SUBSTANCE_USE.value})


def categories_of_timeline_item(item: Any) -> set[str]:
    """A timeline entry (cases.selectors.TimelineItem): contacts by their life areas; offences
    and criminal-justice steps are police matters; an outcome measure holds school attendance,
    registered offences and substance use; the follow-up's own changes (started, assigned,
    closed) are identity-and-contact information: who works with the youth. Anything a
    barnevern service recorded carries the barnevern category too."""
    if item.kind == "contact":
        return categories_of_contact(item.obj)
    if item.kind in ("offence", "justice"):
        categories = {Category.POLICE.value}
    elif item.kind == "outcome":
        categories = set(OUTCOME_CATEGORIES)
    else:
        categories = {Category.IDENTITY_CONTACT.value}
    if _recorded_by_barnevern(source_of_timeline_item(item)):
        categories.add(Category.BARNEVERN.value)
    return categories


def source_of_timeline_item(item: Any) -> Unit | None:
    """The service that recorded a timeline entry (select the units with the entries)."""
    obj = item.obj
    if item.kind in ("offence", "justice"):
        return obj.unit if obj.unit_id else None
    if item.kind in ("started", "closed"):
        unit: Unit = obj.unit
        return unit
    return source_of_item(obj)


def source_of_item(item: Any) -> Unit | None:
    """The service an item was recorded in: for a contact, the unit holding its follow-up.
    Select followup__unit with the items to keep this to one query."""
    followup = getattr(item, "followup", None)
    return getattr(followup, "unit", None) if followup is not None else None


# --- Who records consents ----------------------------------------------------------------------


def may_record_consent(user: User | AnonymousUser, youth: Youth) -> bool:
    """Those who work with the youth's follow-up record consents: anyone with an assignment in
    force (follower, family follower, coordinator) and the unit's coordinators and leaders."""
    return access.can(user, youth) and (
        access.can(user, youth, "log_contact") or access.can(user, youth, "manage_followup")
    )


def _may_record(user: User, child: Consent | ConsentVersion) -> bool:
    youth = child.youth if isinstance(child, Consent) else child.consent.youth
    return may_record_consent(user, youth)


# A consent and its versions are seen by whoever sees the youth (the list shows each consent's
# scope to the youth's team); its history, its signed forms and any change are for those who
# record consents ("record").
access.register_child(Consent, parent="youth", actions={"record": _may_record})
access.register_child(ConsentVersion, parent="consent__youth", actions={"record": _may_record})
