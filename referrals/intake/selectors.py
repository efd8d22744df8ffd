"""Reads of the intake queue, intake mode and list meetings.

What a person is shown of a named youth is the sharing policy's to decide (consent.policy);
in intake mode, shown on a shared screen, a category is shown only when every staff member
present may see it (`audience_for`, `intake_card`), and the name of a named youth only when
every person present may see the youth's identity — the same rule the queue applies to one
person, so the queue and the screen agree. The minutes follow the same rule for everyone they go
to (`minutes_audience`). Anonymous candidates are shown by their alias only, never by a name,
whoever looks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import FollowUp, FollowUpAssignment, Youth
from cases.selectors import repeated_crime_years
from cases.services import capacity_for
from consent import policy as consent_policy
from consent.models import Category, Disclosure, DiscussionCase
from consent.services import disclosure_record, disclosures_record_for_list
from core import access, audit
from core.models import User
from org.models import District, StaffRole, Unit
from org.selectors import staffroles_active
from referrals.intake import policy
from referrals.models import OPEN_OUTCOMES, IntakeCandidate, IntakeDecision, Outcome
from teams.models import ListMeetingEntry, Meeting, MeetingKind, MeetingParticipant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

POLICE = Category.POLICE.value

# The fields of the youth's record the shared screen shows (intake_card); their categories are
# the sharing policy's (consent.policy.FIELD_CATEGORY), asked when the card is made, so a change
# to the map changes the card. The name counts as identity there (consent.policy.SHARED_FRAME):
# not everyone present may open the youth.
CARD_NAME_FIELDS = ("display_name", "birth_date")  # the name and the exact age
CARD_SCHOOL_FIELDS = ("school", "school_class")
CARD_CRIME_FIELDS = ("repeated_crime_years",)  # the repeated-crime flag, a figure over offences


def shared_categories(names: Sequence[str]) -> list[str]:
    """The categories intake asks before it shows these fields of a youth (FIELD_CATEGORY, the
    name as identity): on the shared screen, in the queue, in the summary and the minutes."""
    return consent_policy.categories_of_fields(Youth, names, shared=True)


QUEUE_ORDER = ("-urgency", "created_at", "id")
WAITING_ORDER = ("-urgency", "waiting_since", "id")


def in_queue_q() -> Q:
    """Candidates still in the queue: not yet decided, on the waiting list, or awaiting consent."""
    return Q(outcome="") | Q(outcome__in=list(OPEN_OUTCOMES))


def _with_relations(qs: QuerySet[IntakeCandidate]) -> QuerySet[IntakeCandidate]:
    return qs.select_related("district", "youth", "youth__school", "discussion", "proposed_by_unit", "proposed_by")


# --- Districts and candidates --------------------------------------------------------------


def districts_for_queue(*, user: User | AnonymousUser, wanted: str | None = None) -> list[District]:
    """The districts whose intake queue the person sees, by number (403 for anyone who sees no
    intake); `wanted`, a district's id, only that one (404 when it is not among them). For the
    queue page and the API alike."""
    if not policy.may_see_intake(user):
        raise PermissionDenied
    districts = list(District.objects.filter(pk__in=policy.queue_district_ids(user)).order_by("number"))
    if wanted:
        districts = [d for d in districts if str(d.pk) == wanted]
        if not districts:
            raise Http404
    return districts


def candidate_get(*, user: User | AnonymousUser, pk: int, action: str = access.VIEW) -> IntakeCandidate:
    """One candidate through core.access (404 when the person may not see it, 403 when they may
    not do `action`)."""
    return access.get(user, _with_relations(IntakeCandidate.objects.all()), action=action, pk=pk)


def waiting_positions(*, district: District | int | None) -> dict[int, int]:
    """The waiting list of a district: candidate id → position (1 is next), urgent first, then
    by how long they have waited."""
    ids = IntakeCandidate.objects.filter(district=district, outcome=Outcome.WAITING_LIST).order_by(*WAITING_ORDER)
    return {pk: n for n, pk in enumerate(ids.values_list("pk", flat=True), start=1)}


def candidate_open_for_youth(*, youth: Youth) -> IntakeCandidate | None:
    return IntakeCandidate.objects.filter(in_queue_q(), youth=youth).first()


def candidate_open_for_discussion(*, discussion: DiscussionCase) -> IntakeCandidate | None:
    return IntakeCandidate.objects.filter(in_queue_q(), discussion=discussion).first()


@dataclass
class QueueRow:
    candidate: IntakeCandidate
    title: str
    named: bool  # a named youth whose name the person may see
    withheld: bool  # a named youth whose name is not shared with the person's service
    position: int | None = None


@dataclass
class Queue:
    district: District
    new: list[QueueRow]
    waiting: list[QueueRow]
    awaiting_consent: list[QueueRow]
    may_decide: bool
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.waiting or self.awaiting_consent)


def _title(candidate: IntakeCandidate, name_visible: bool) -> tuple[str, bool, bool]:
    if candidate.youth_id is None:
        assert candidate.discussion is not None
        return candidate.discussion.alias, False, False
    if name_visible:
        assert candidate.youth is not None
        return candidate.youth.display_name, True, False
    return str(_("A named youth")), False, True


def intake_queue(*, user: User | AnonymousUser, district: District, channel: str = Disclosure.Channel.VIEW) -> Queue:
    """The district's queue as the person may see it: new candidates, the waiting list with
    positions, and those awaiting consent. Named youths are shown by name when the sharing
    policy opens identity to the person's service (or their service proposed them); lists log
    what crossed a service boundary (through `channel`: the page or the API). A fixed number of
    queries."""
    if district.pk not in policy.queue_district_ids(user):
        raise Http404
    candidates = list(
        _with_relations(access.visible(user, IntakeCandidate.objects.filter(in_queue_q(), district=district))).order_by(
            *QUEUE_ORDER
        )
    )
    youths = [c.youth for c in candidates if c.youth is not None]
    viewers = consent_policy.viewers(user, youths) if youths else {}
    positions = waiting_positions(district=district)
    queue = Queue(district, [], [], [], policy.may_decide_in(user, district.pk))
    name = shared_categories(("display_name",))
    for candidate in candidates:
        visible = False
        if candidate.youth_id is not None:
            visible = viewers[candidate.youth_id].show(name, candidate.proposed_by_unit)
        title, named, withheld = _title(candidate, visible)
        row = QueueRow(candidate, title, named, withheld, positions.get(candidate.pk))
        if candidate.outcome == Outcome.WAITING_LIST:
            queue.waiting.append(row)
        elif candidate.outcome == Outcome.AWAITING_CONSENT:
            queue.awaiting_consent.append(row)
        else:
            queue.new.append(row)
    queue.waiting.sort(key=lambda row: row.position or 0)
    queue.meetings = list(meetings_for_district(user=user, district=district))
    disclosures_record_for_list(user=user, viewers=viewers.values(), channel=channel)
    audit.record(
        actor=user,
        action="intake.queue_viewed",
        target=district,
        detail={"candidates": [c.pk for c in candidates]},
    )
    return queue


# --- Meetings --------------------------------------------------------------------------------


def meetings_for_district(*, user: User | AnonymousUser, district: District) -> QuerySet[Meeting]:
    """The district's intake and list meetings the person sees (core.access), from a week ago on."""
    since = timezone.now() - datetime.timedelta(days=7)
    meetings = Meeting.objects.filter(kind__in=policy.MEETING_KINDS, district=district, starts_at__gte=since)
    return access.visible(user, meetings).exclude(state=Meeting.State.CANCELLED).order_by("starts_at", "id")[:10]


def meeting_get(*, user: User | AnonymousUser, pk: int, kind: str, action: str = access.VIEW) -> Meeting:
    """An intake or list meeting through core.access (404 when the person may not see it), then
    403 when they may see it but not `action` ("run": coordinators and leaders of the district's
    follow-up unit; "record": those, and the police taking part)."""
    meeting = access.get(user, Meeting.objects.filter(kind=kind).select_related("district", "unit"), pk=pk)
    if action == "run" and not policy.may_run_meeting(user, meeting):
        raise PermissionDenied
    if action == "record" and not policy.may_record_list_entry(user, meeting):
        raise PermissionDenied
    return meeting


def _people(participants: Iterable[MeetingParticipant], user: User | AnonymousUser) -> list[User | None]:
    """The people behind the participants: a staff member with an active account once each, and
    `None` for everyone the sharing policy knows nothing of (an external person, the youth, a
    guardian, staff without an active account): the policy opens nothing to them."""
    people: dict[int, User] = {}
    unknown = 0
    for participant in participants:
        person = participant.user
        if participant.kind == MeetingParticipant.Kind.STAFF and person is not None and person.is_active:
            people.setdefault(person.pk, person)
        else:
            unknown += 1
    me = access.signed_in(user)
    people.setdefault(me.pk, me)
    return [*people.values(), *([None] * unknown)]


def audience_for(*, meeting: Meeting, user: User | AnonymousUser) -> list[User | None]:
    """Who sees the shared screen: the participants present (or invited, before presence is
    marked: `present` empty), and the person showing it. A participant without a Laget account
    in the room (`None`) sees nothing the sharing policy decides, so nothing of it is shown."""
    participants = (
        MeetingParticipant.objects.filter(meeting=meeting)
        .exclude(present=False)
        .select_related("user", "unit")
        .order_by("id")
    )
    return _people(participants, user)


def minutes_audience(*, meeting: Meeting, user: User | AnonymousUser) -> list[User | None]:
    """Who reads the minutes: every participant, present or not (minutes go to all
    participants, DOMAIN.md), and the person drafting them."""
    participants = MeetingParticipant.objects.filter(meeting=meeting).select_related("user", "unit").order_by("id")
    return _people(participants, user)


def present_services(*, meeting: Meeting) -> list[Unit]:
    units: dict[int, Unit] = {}
    for participant in (
        MeetingParticipant.objects.filter(meeting=meeting, kind=MeetingParticipant.Kind.STAFF, unit__isnull=False)
        .exclude(present=False)
        .select_related("unit")
        .order_by("id")
    ):
        assert participant.unit is not None
        units.setdefault(participant.unit.pk, participant.unit)
    return list(units.values())


def meeting_candidates(*, meeting: Meeting) -> list[IntakeCandidate]:
    """The candidates an intake meeting goes through: the district's queue (new, waiting list,
    awaiting consent) and those decided in this meeting, urgent first. Each carries
    `meeting_decisions` (this meeting's decisions, oldest first)."""
    decided = IntakeDecision.objects.filter(meeting=meeting).values("candidate_id")
    decisions = IntakeDecision.objects.filter(meeting=meeting).select_related("follower").order_by("decided_at", "id")
    return list(
        _with_relations(IntakeCandidate.objects.filter(district=meeting.district))
        .filter(in_queue_q() | Q(pk__in=decided))
        .prefetch_related(Prefetch("decisions", queryset=decisions, to_attr="meeting_decisions"))
        .order_by(*QUEUE_ORDER)
    )


def meeting_candidate_get(
    *, user: User | AnonymousUser, pk: int, candidate_pk: int, action: str = ""
) -> tuple[Meeting, IntakeCandidate]:
    """An intake meeting the person runs (`meeting_get`, action "run") and one of the candidates
    it goes through (`meeting_candidates`: 404 for any other); with `action` ("decide"), the
    candidate through core.access for it as well (`candidate_get`)."""
    meeting = meeting_get(user=user, pk=pk, kind=MeetingKind.INTAKE, action="run")
    candidates = {c.pk: c for c in meeting_candidates(meeting=meeting)}
    candidate = candidate_get(user=user, pk=candidate_pk, action=action) if action else candidates.get(candidate_pk)
    if candidate is None or candidate.pk not in candidates:
        raise Http404
    return meeting, candidate


# --- Followers and their load ------------------------------------------------------------------


@dataclass(frozen=True)
class FollowerChoice:
    user: User
    unit: Unit
    load: int
    limit: int

    @property
    def full(self) -> bool:
        return self.load >= self.limit

    @property
    def label(self) -> str:
        return str(
            _("%(name)s – %(load)d of %(limit)d")
            % {"name": self.user.full_name or self.user.email, "load": self.load, "limit": self.limit}
        )


def followup_units(*, district: District | int | None) -> QuerySet[Unit]:
    return Unit.objects.filter(district=district, kind=policy.FOLLOWUP_UNIT_KIND, is_active=True).select_related(
        "district"
    )


def followers_available(*, district: District | int | None) -> list[FollowerChoice]:
    """Staff with the follower role in the district's follow-up units, with their load (the
    youths they follow as lead in follow-ups not closed, as cases.services.follower_load counts
    them) against the district's limit. Three queries however many followers."""
    roles = list(
        staffroles_active()
        .filter(role=StaffRole.Role.FOLLOWER, unit__in=followup_units(district=district), user__is_active=True)
        .select_related("user", "unit__district")
        .order_by("user__full_name", "user_id")
    )
    loads = dict(
        FollowUpAssignment.objects.filter(
            user_id__in=[r.user_id for r in roles], role=FollowUpAssignment.Role.LEAD, ends_on__isnull=True
        )
        .exclude(followup__state=FollowUp.State.CLOSED)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    choices: dict[int, FollowerChoice] = {}
    for role in roles:
        if role.user_id not in choices:
            choices[role.user_id] = FollowerChoice(
                role.user, role.unit, loads.get(role.user_id, 0), capacity_for(unit=role.unit)
            )
    return list(choices.values())


# --- Intake mode: one candidate on the shared screen -------------------------------------------


@dataclass
class Card:
    """What the shared screen shows of one candidate: only what every person present may see."""

    candidate: IntakeCandidate
    title: str
    anonymous: bool
    age: str
    named: bool = False  # a named youth whose name is shown (everyone present may see it)
    summary: str = ""
    school: str = ""
    repeated_crime_years: list[int] = field(default_factory=list)
    police_shown: bool = False
    withheld: list[str] = field(default_factory=list)
    decision: IntakeDecision | None = None
    position: int | None = None

    @property
    def something_withheld(self) -> bool:
        return bool(self.withheld)


def _all_see(viewers: Sequence[consent_policy.Viewer], categories: Sequence[str], source: Unit | None) -> bool:
    """Does every viewer see every category? Decided without recording; `_show` records."""
    return all(v.decide(category, source).allowed for v in viewers for category in categories)


def _show(viewers: Iterable[consent_policy.Viewer], categories: Sequence[str], source: Unit | None) -> None:
    """Record that the categories were shown to every viewer (call only for what is shown)."""
    for v in viewers:
        v.show(categories, source)


def _unseen(viewers: Sequence[consent_policy.Viewer], categories: Sequence[str], source: Unit | None) -> list[str]:
    """The categories someone in the audience may not see, in words (what the card withholds)."""
    missing = [c for c in categories if not _all_see(viewers, [c], source)] or list(categories)
    return [str(_label(c)) for c in missing]


def _label(category: str) -> str | Promise:
    return Category(category).label


def age_band(age: int) -> str:
    """The age band an anonymous discussion uses (consent.models.DiscussionCase.AgeBand): shown
    instead of the exact age when the youth's identity is withheld; empty past the bands."""
    bands = DiscussionCase.AgeBand
    for upper, band in ((11, bands.UNDER_12), (14, bands.FROM_12), (17, bands.FROM_15), (20, bands.FROM_18)):
        if age <= upper:
            return str(band.label)
    return str(bands.FROM_21.label) if age <= 24 else ""


def named_title(candidate: IntakeCandidate) -> str:
    """A named youth whose identity is withheld, told apart from the others by the number of
    the candidacy (never by anything about the youth)."""
    return str(_("A named youth (#%(number)d)") % {"number": candidate.pk})


def _viewers(audience: Sequence[User | None], youth: Youth) -> list[consent_policy.Viewer]:
    return [consent_policy.viewer(person, youth) for person in audience]


def intake_card(
    *,
    user: User | AnonymousUser,
    meeting: Meeting,
    candidate: IntakeCandidate,
    audience: Sequence[User | None],
    today: datetime.date | None = None,
    channel: str = Disclosure.Channel.VIEW,
) -> Card:
    """The candidate as the shared screen shows it, the showing audited and every person's
    disclosures logged (only what was shown). Named youths: the reason, urgency and proposing
    service (the referral's own content) always; the name and exact age only when every person
    present may see the youth's identity and contact details (as the queue decides it for one
    person: recorded by the proposing service), otherwise «A named youth» and the age band;
    the school only when the name is shown and every person present may see school (a school
    would identify an unnamed youth); the repeated-crime flag only when every person present
    may see police matters. Each of these asks the categories the sharing policy gives the
    fields it shows (CARD_*_FIELDS through consent.policy.FIELD_CATEGORY). Anonymous cases: the
    alias, age band, district and the concern, never a name. What was shown is logged for every
    person present on `channel` (the screen's page, or the API that fetched the card for it)."""
    today = today or timezone.localdate()
    decisions = getattr(candidate, "meeting_decisions", None)
    decision = decisions[-1] if decisions else None
    positions = waiting_positions(district=candidate.district_id)
    people = [p.pk for p in audience if p is not None]
    unknown = sum(1 for p in audience if p is None)
    if candidate.youth is None:
        case = candidate.discussion
        assert case is not None
        card = Card(
            candidate,
            case.alias,
            True,
            str(case.get_age_band_display()),
            summary=case.summary,
            decision=decision,
            position=positions.get(candidate.pk),
        )
        audit.record(
            actor=user,
            action="intake.candidate_shown",
            target=candidate,
            detail={"meeting": meeting.pk, "audience": people, "without_account": unknown, "anonymous": True},
        )
        return card
    youth = candidate.youth
    viewers = _viewers(audience, youth)
    age = youth.age_on(today)
    card = Card(candidate, str(_("A named youth")), False, age_band(age), decision=decision)
    card.position = positions.get(candidate.pk)
    # The name and age as the queue decides the name: recorded by the proposing service.
    proposer = candidate.proposed_by_unit
    categories = shared_categories(CARD_NAME_FIELDS)
    named = _all_see(viewers, categories, proposer)
    if named:
        _show(viewers, categories, proposer)
        card.title = youth.display_name
        card.named = True
        card.age = str(_("%(age)d years") % {"age": age})
    else:
        card.withheld.extend(_unseen(viewers, categories, proposer))
    record_unit = viewers[0].facts.record_unit if viewers else None
    categories = shared_categories(CARD_SCHOOL_FIELDS)
    source = consent_policy.fields_source(CARD_SCHOOL_FIELDS, record_unit)
    if named and _all_see(viewers, categories, source):
        _show(viewers, categories, source)
        if youth.school is not None:
            card.school = youth.school.name + (f", {youth.school_class}" if youth.school_class else "")
    else:
        card.withheld.extend(_unseen(viewers, categories, source))
    categories = shared_categories(CARD_CRIME_FIELDS)
    source = consent_policy.fields_source(CARD_CRIME_FIELDS, record_unit)
    if _all_see(viewers, categories, source):
        _show(viewers, categories, source)
        card.police_shown = True
        card.repeated_crime_years = repeated_crime_years(youth=youth)
    else:
        card.withheld.extend(_unseen(viewers, categories, source))
    for person, v in zip(audience, viewers, strict=True):
        if person is not None:
            disclosure_record(user=person, youth=youth, decisions=v.shown, channel=channel)
    audit.record(
        actor=user,
        action="intake.candidate_shown",
        target=candidate,
        youth=youth,
        detail={
            "meeting": meeting.pk,
            "audience": people,
            "without_account": unknown,
            "named": named,
            "withheld": card.withheld,
            "channel": channel,
        },
    )
    return card


def candidate_title(*, candidate: IntakeCandidate, audience: Sequence[User | None]) -> str:
    """The candidate as the shared screen names it (the rule of `intake_card` and
    `meeting_summary`): the alias, the name when everyone present may see it, or «A named youth
    (#<candidate>)»."""
    return meeting_summary(candidates=[candidate], audience=audience)[0].title


@dataclass
class SummaryRow:
    candidate: IntakeCandidate
    title: str
    decision: IntakeDecision | None


def meeting_summary(
    *, candidates: Iterable[IntakeCandidate], audience: Sequence[User | None], channel: str = ""
) -> list[SummaryRow]:
    """The meeting's decisions, for the screen after the last candidate (`audience_for`) and for
    the minutes (`minutes_audience`): anonymous candidates by alias, a named youth by name only
    when every person in the audience may see the youth's identity (the rule of `intake_card`),
    otherwise «A named youth (#<candidate>)». With a `channel`, what crossed a service boundary
    is logged for every person (as for every list). A fixed number of queries per person."""
    candidates = list(candidates)
    youths = list({c.youth.pk: c.youth for c in candidates if c.youth is not None}.values())
    per_person = [(person, consent_policy.viewers(person, youths) if youths else {}) for person in audience]
    rows = []
    for c in candidates:
        decisions = getattr(c, "meeting_decisions", [])
        if c.youth is None:
            title = c.discussion.alias if c.discussion else ""
        else:
            youth_viewers = [viewers[c.youth.pk] for _person, viewers in per_person]
            name = shared_categories(("display_name",))
            if _all_see(youth_viewers, name, c.proposed_by_unit):
                _show(youth_viewers, name, c.proposed_by_unit)
                title = c.youth.display_name
            else:
                title = named_title(c)
        rows.append(SummaryRow(c, title, decisions[-1] if decisions else None))
    if channel:
        for person, viewers in per_person:
            if person is not None:
                disclosures_record_for_list(user=person, viewers=viewers.values(), channel=channel)
    return rows


def intake_summary(
    *, user: User | AnonymousUser, meeting: Meeting, channel: str = Disclosure.Channel.VIEW
) -> list[SummaryRow]:
    """The screen after an intake meeting's last candidate: each candidate and this meeting's
    decision, named for the people present (`audience_for`, `meeting_summary`), what was shown
    logged for each of them on `channel` and the showing audited (intake.summary_shown). For the
    page and the API alike."""
    candidates = meeting_candidates(meeting=meeting)
    audience = audience_for(meeting=meeting, user=user)
    rows = meeting_summary(candidates=candidates, audience=audience, channel=channel)
    audit.record(
        actor=user,
        action="intake.summary_shown",
        target=meeting,
        detail={
            "candidates": [row.candidate.pk for row in rows],
            "audience": [p.pk for p in audience if p is not None],
            "without_account": sum(1 for p in audience if p is None),
            "channel": channel,
        },
    )
    return rows


# --- List meetings -----------------------------------------------------------------------


@dataclass
class EntryRow:
    entry: ListMeetingEntry
    title: str
    anonymous: bool
    police_information: str
    police_withheld: bool
    name_withheld: bool


def _recorder_units(entries: Sequence[ListMeetingEntry]) -> dict[int, Unit | None]:
    """Police information comes from the police: when the person who recorded it acts for a
    police unit, that unit is its source (the police see what they told); when someone else
    typed it in, it has no service of its own and needs consent or a legal basis to be shown."""
    users = {e.recorded_by_id for e in entries}
    result: dict[int, Unit | None] = dict.fromkeys(users)
    for role in (
        staffroles_active().filter(user_id__in=users, unit__kind=Unit.Kind.POLICE).select_related("unit").order_by("id")
    ):
        if result.get(role.user_id) is None:
            result[role.user_id] = role.unit
    return result


def list_entries(
    *, user: User | AnonymousUser, meeting: Meeting, channel: str = Disclosure.Channel.VIEW
) -> list[EntryRow]:
    """The youths and anonymous cases discussed in a list meeting. Police information
    (consent category POLICE) is shown only when the sharing policy opens police matters of the
    youth to the person's service, or their own service recorded it; the youth's name when
    identity is open to them. Anonymous cases by alias only. What crossed a service boundary is
    logged (as for every list); the
    read audited. A fixed number of queries."""
    entries = list(
        ListMeetingEntry.objects.filter(meeting=meeting)
        .select_related("youth", "discussion", "recorded_by")
        .order_by("recorded_at", "id")
    )
    youths = [e.youth for e in entries if e.youth is not None]
    viewers = consent_policy.viewers(user, youths) if youths else {}
    sources = _recorder_units(entries)
    rows = []
    for entry in entries:
        source = sources.get(entry.recorded_by_id)
        if entry.youth is None:
            assert entry.discussion is not None
            rows.append(EntryRow(entry, entry.discussion.alias, True, entry.police_information, False, False))
            continue
        v = viewers[entry.youth.pk]
        name_visible = v.show(shared_categories(("display_name",)), source)
        police_visible = not entry.police_information or v.show(POLICE, source)
        rows.append(
            EntryRow(
                entry,
                entry.youth.display_name if name_visible else str(_("A named youth")),
                False,
                entry.police_information if police_visible else "",
                not police_visible,
                not name_visible,
            )
        )
    disclosures_record_for_list(user=user, viewers=viewers.values(), channel=channel)
    audit.record(actor=user, action="list_meeting.viewed", target=meeting, detail={"entries": [e.pk for e in entries]})
    return rows


def list_youth_choices(*, user: User | AnonymousUser, meeting: Meeting) -> QuerySet[Youth]:
    """The youths a person may bring to the list: those they may see (core.access), not on it yet."""
    on_list = ListMeetingEntry.objects.filter(meeting=meeting, youth__isnull=False).values("youth_id")
    return (
        access.visible(user, Youth.objects.all())
        .exclude(pk__in=on_list)
        .select_related("district")
        .order_by("last_name", "first_name")
    )


def list_discussion_choices(*, user: User | AnonymousUser, meeting: Meeting) -> QuerySet[DiscussionCase]:
    """Open anonymous cases of the meeting's district the person sees, not on the list yet."""
    on_list = ListMeetingEntry.objects.filter(meeting=meeting, discussion__isnull=False).values("discussion_id")
    return (
        access.visible(user, DiscussionCase.objects.filter(state=DiscussionCase.State.OPEN, district=meeting.district))
        .exclude(pk__in=on_list)
        .order_by("alias")
    )


def propose_youth_choices(*, user: User | AnonymousUser) -> QuerySet[Youth]:
    return access.visible(user, Youth.objects.all()).select_related("district").order_by("last_name", "first_name")


def propose_discussion_choices(*, user: User | AnonymousUser) -> QuerySet[DiscussionCase]:
    return (
        access.visible(user, DiscussionCase.objects.filter(state=DiscussionCase.State.OPEN))
        .select_related("district")
        .order_by("alias")
    )
