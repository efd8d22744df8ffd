"""Every read about youths: lists, the youth page, the timeline, search. Reads of one youth's
data are audited here, not in each view (STYLE.md)."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import CharField, Count, F, Func, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, Lower
from django.http import Http404
from django.utils import timezone

from consent import policy as consent_policy
from consent.models import Category
from consent.policy import Shown, Viewer
from consent.selectors import discussions_for_youth
from consent.services import disclosure_record, disclosures_record_for_list
from core import access, audit
from core.validators import normalise_national_id
from org.models import Unit

from . import sections
from .models import (
    Contact,
    ContactDraft,
    FollowUp,
    FollowUpAssignment,
    Guardianship,
    JusticeStep,
    Offence,
    OutcomeMeasure,
    ReportingDate,
    Youth,
)
from .policy import RestrictedFields, record_scope, restricted_fields, restricted_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


class Unaccent(Func):
    """laget_unaccent: PostgreSQL's unaccent as an immutable function (migration cases 0003)."""

    function = "laget_unaccent"


# Exactly the expression of the trigram index youth_name_trgm (migration cases 0003), so that
# PostgreSQL uses the index for the %> operator.
_SEARCH_NAME = RawSQL(
    """laget_unaccent(lower("cases_youth"."first_name" || ' ' || "cases_youth"."preferred_name" """
    """|| ' ' || "cases_youth"."last_name"))""",
    [],
    output_field=CharField(),
)


def _open_followup_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "followups",
        queryset=FollowUp.objects.exclude(state=FollowUp.State.CLOSED)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=FollowUpAssignment.objects.filter(ends_on__isnull=True).select_related("user"),
                to_attr="current_assignments",
            )
        ),
        to_attr="open_followups",
    )


def _with_overview(qs: QuerySet[Youth]) -> QuerySet[Youth]:
    """Annotations every youth list shows: last contact, open tasks, offences this year."""
    year = timezone.localdate().year
    live_contacts = Contact.objects.filter(youth=OuterRef("pk"), deleted_at__isnull=True)
    return (
        qs.select_related("district", "school")
        .prefetch_related(_open_followup_prefetch())
        .annotate(
            last_contact_at=Subquery(live_contacts.order_by("-occurred_at").values("occurred_at")[:1]),
            next_task_due=Subquery(
                live_contacts.filter(task_done_at__isnull=True, task_due_on__isnull=False)
                .order_by("task_due_on")
                .values("task_due_on")[:1]
            ),
            offences_this_year=Count("offences", filter=Q(offences__committed_on__year=year), distinct=True),
        )
    )


def youths_for_user(*, user: User | AnonymousUser, query: str = "") -> QuerySet[Youth]:
    """The youths the person may see, optionally searched, with their overview."""
    qs = access.visible(user, Youth.objects.all())
    qs = youth_search_filter(qs, query, user=user) if query.strip() else qs.order_by("last_name", "first_name")
    return _with_overview(qs)


def caseload_for(*, viewer: User | AnonymousUser, follower: Any) -> QuerySet[Youth]:
    """The youths `follower` follows now (as follower or family follower), as far as `viewer`
    may see them (a leader's review of one follower's caseload; cases.policy.may_review_caseload)."""
    followed = FollowUpAssignment.objects.filter(
        user=follower, ends_on__isnull=True, role__in=[FollowUpAssignment.Role.LEAD, FollowUpAssignment.Role.FAMILY]
    ).exclude(followup__state=FollowUp.State.CLOSED)
    youths = Youth.objects.filter(pk__in=followed.values("followup__youth_id"))
    return _with_overview(access.visible(viewer, youths)).order_by("last_name", "first_name")


def youths_followed_by(*, user: User | AnonymousUser) -> QuerySet[Youth]:
    """The youths the person follows now (as follower or family follower): the follower's home."""
    followed = FollowUpAssignment.objects.filter(
        user=access.signed_in(user),
        ends_on__isnull=True,
        role__in=[FollowUpAssignment.Role.LEAD, FollowUpAssignment.Role.FAMILY],
    ).exclude(followup__state=FollowUp.State.CLOSED)
    youths = Youth.objects.filter(pk__in=followed.values("followup__youth_id"))
    return _with_overview(access.visible(user, youths)).order_by(F("last_contact_at").asc(nulls_first=True))


def youth_search_filter(qs: QuerySet[Youth], query: str, *, user: User | AnonymousUser) -> QuerySet[Youth]:
    """Name (tolerant of accents and typos), national identity number, or school. A search
    never reveals what the person may not see: by national identity number only among youths
    whose number they may see, by school only among youths whose record their service keeps."""
    text = query.strip()
    digits = normalise_national_id(text)
    if digits.isdigit() and len(digits) >= 6:
        return qs.filter(restricted_scope(user), national_id__startswith=digits).order_by("last_name")
    folded = Unaccent(Lower(Value(text)))
    schools = Unit.objects.filter(kind=Unit.Kind.SCHOOL, name__unaccent__icontains=text).values("pk")
    return (
        qs.alias(search_name=_SEARCH_NAME)
        .annotate(similarity=TrigramWordSimilarity(folded, _SEARCH_NAME))  # type: ignore[arg-type]
        .filter(Q(search_name__trigram_word_similar=folded) | (Q(school_id__in=schools) & record_scope(user)))
        .order_by("-similarity", "last_name")
    )


def youth_get(*, user: User | AnonymousUser, pk: int, action: str = access.VIEW, purpose: str = "viewed") -> Youth:
    """One youth through the access module; the read is audited."""
    youth = access.get(user, Youth.objects.select_related("district", "school", "family"), action=action, pk=pk)
    audit.record(actor=user, action=f"youth.{purpose}", target=youth)
    return youth


# --- Flags -------------------------------------------------------------------------------


@dataclass
class Flags:
    repeated_crime_years: list[int] = field(default_factory=list)
    days_since_contact: int | None = None
    no_contact: bool = False
    siblings_at_risk: list[Youth] = field(default_factory=list)
    next_reporting: ReportingDate | None = None
    turns_18_on: datetime.date | None = None


def repeated_crime_years(*, youth: Youth) -> list[int]:
    """Calendar years with four or more registered offences (gjentatt kriminalitet)."""
    threshold = settings.LAGET_REPEATED_CRIME_THRESHOLD
    rows = (
        Offence.objects.filter(youth=youth)
        .annotate(year=ExtractYear("committed_on"))
        .values("year")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("year")
    )
    return [row["year"] for row in rows]


def siblings_at_risk(*, youth: Youth) -> list[Youth]:
    """Younger siblings of a youth in follow-up are at risk of being drawn in (seed 003)."""
    if youth.family_id is None:
        return []
    return list(
        Youth.objects.filter(family_id=youth.family_id, birth_date__gt=youth.birth_date)
        .exclude(pk=youth.pk)
        .order_by("birth_date")
    )


def youth_flags(*, youth: Youth, today: datetime.date | None = None) -> Flags:
    today = today or timezone.localdate()
    last = Contact.objects.filter(youth=youth, deleted_at__isnull=True).aggregate(last=Max("occurred_at"))["last"]
    flags = Flags(
        repeated_crime_years=repeated_crime_years(youth=youth), siblings_at_risk=siblings_at_risk(youth=youth)
    )
    if last is not None:
        flags.days_since_contact = (today - timezone.localtime(last).date()).days
    active = youth.followups.filter(state=FollowUp.State.ACTIVE).exists()
    flags.no_contact = active and (
        flags.days_since_contact is None or flags.days_since_contact >= settings.LAGET_NO_CONTACT_DAYS
    )
    flags.next_reporting = (
        ReportingDate.objects.filter(step__youth=youth, due_at__gte=timezone.now()).order_by("due_at").first()
    )
    eighteen = youth.eighteenth_birthday
    if eighteen >= today:
        flags.turns_18_on = eighteen
    return flags


def last_contact_days(youth: Youth, today: datetime.date | None = None) -> int | None:
    """Days since the last contact, from the list annotation."""
    last = getattr(youth, "last_contact_at", None)
    if last is None:
        return None
    return ((today or timezone.localdate()) - timezone.localtime(last).date()).days


# --- The youth page ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime
    kind: str  # contact, offence, outcome, followup, assignment, justice
    obj: Any


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def youth_timeline(*, youth: Youth, limit: int = 200) -> list[TimelineItem]:
    """Contacts, offences, outcome measures, criminal-justice steps and follow-up changes, newest
    first. A fixed number of queries however long the history."""
    contacts = (
        Contact.objects.filter(youth=youth, deleted_at__isnull=True)
        .select_related("author", "followup__unit")
        .order_by("-occurred_at")[:limit]
    )
    offences = Offence.objects.filter(youth=youth).select_related("unit").order_by("-committed_on")[:limit]
    outcomes = (
        OutcomeMeasure.objects.filter(followup__youth=youth)
        .select_related("recorded_by", "followup__unit")
        .order_by("-measured_on")[:limit]
    )
    steps = JusticeStep.objects.filter(youth=youth).select_related("unit").order_by("-starts_on")[:limit]
    assignments = (
        FollowUpAssignment.objects.filter(followup__youth=youth)
        .select_related("user", "followup__unit")
        .order_by("-starts_on")[:limit]
    )
    followups = FollowUp.objects.filter(youth=youth).select_related("unit").order_by("-created_at")
    items = chain(
        (TimelineItem(c.occurred_at, "contact", c) for c in contacts),
        (TimelineItem(_as_datetime(o.committed_on), "offence", o) for o in offences),
        (TimelineItem(_as_datetime(m.measured_on), "outcome", m) for m in outcomes),
        (TimelineItem(_as_datetime(s.starts_on), "justice", s) for s in steps),
        (TimelineItem(_as_datetime(a.starts_on), "assignment", a) for a in assignments),
        (TimelineItem(_as_datetime(f.started_on), "started", f) for f in followups if f.started_on),
        (TimelineItem(_as_datetime(f.ended_on), "closed", f) for f in followups if f.ended_on),
    )
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]


def followup_current(*, youth: Youth) -> FollowUp | None:
    return (
        youth.followups.exclude(state=FollowUp.State.CLOSED)
        .select_related("unit__district")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=FollowUpAssignment.objects.filter(ends_on__isnull=True).select_related("user"),
                to_attr="current_assignments",
            )
        )
        .first()
    )


def outcome_series(*, youth: Youth) -> list[OutcomeMeasure]:
    return list(
        OutcomeMeasure.objects.filter(followup__youth=youth).select_related("followup__unit").order_by("measured_on")
    )


def contact_get(*, user: User | AnonymousUser, pk: int, channel: str = "view") -> Contact:
    """One contact, when the person may see the youth and every category the contact carries
    (consent.policy); otherwise 404, as if it did not exist. The read is audited and logged."""
    contact = access.get(
        user, Contact.objects.select_related("youth", "author", "followup__unit").filter(deleted_at__isnull=True), pk=pk
    )
    viewer = consent_policy.viewer(user, contact.youth)
    if not viewer.show(consent_policy.categories_of_contact(contact), consent_policy.source_of_item(contact)):
        raise Http404
    audit.record(actor=user, action="contact.viewed", target=contact, youth=contact.youth_id)
    disclosure_record(user=user, youth=contact.youth, decisions=viewer.shown, channel=channel)
    return contact


def reporting_date_get(*, user: User | AnonymousUser, pk: int) -> ReportingDate:
    """One reporting date, through its youth (core.access): 404 unless the person may see the
    youth. The read of the youth is audited, as youth_get does."""
    reporting_date = access.get(
        user,
        ReportingDate.objects.select_related("step__youth__district", "step__youth__school", "step__youth__family"),
        pk=pk,
    )
    audit.record(actor=user, action="youth.viewed", target=reporting_date.step.youth)
    return reporting_date


def contacts_for_youth(*, youth: Youth) -> QuerySet[Contact]:
    """The youth's contacts, newest first (deleted ones are hidden), with the unit each was
    recorded in (consent.policy.source_of_item) so checking them costs no query per contact."""
    return (
        Contact.objects.filter(youth=youth, deleted_at__isnull=True)
        .select_related("author", "followup__unit")
        .order_by("-occurred_at", "-id")
    )


def offences_for_youth(*, youth: Youth) -> QuerySet[Offence]:
    return Offence.objects.filter(youth=youth).select_related("unit").order_by("-committed_on", "-id")


# --- Drafts of contacts ----------------------------------------------------------------------
# A draft belongs to the person who typed it and nobody else; it lives LAGET_DRAFT_TTL after its
# last change (cases.services.drafts_expire deletes it at night; until then it is simply not
# offered). A new contact starts empty: drafts are offered in a list, and one is continued only
# when the person chooses it (draft_get).

_PREVIEW_LENGTH = 60


def drafts_for_user(*, user: User) -> QuerySet[ContactDraft]:
    """The person's own drafts that have not expired, the last changed first."""
    cutoff = timezone.now() - settings.LAGET_DRAFT_TTL
    return ContactDraft.objects.filter(owner=user, updated_at__gte=cutoff).order_by("-updated_at")


def draft_get(*, user: User, key: Any) -> ContactDraft:
    """The person's own draft to continue, or 404: another person's draft, an expired one and one
    that never existed look the same."""
    draft = drafts_for_user(user=user).filter(key=key).first() if isinstance(key, uuid.UUID) else None
    if draft is None:
        raise Http404
    return draft


@dataclass(frozen=True)
class DraftSummary:
    """One unsaved draft as the list describes it: when, which youths and the first words.

    A youth the person can no longer see (core.access) is neither named nor quoted: it is only
    counted, so the person knows the draft was about someone else."""

    key: uuid.UUID
    updated_at: datetime.datetime
    youth_names: list[str]
    hidden_youths: int
    preview: str


def _draft_youth_ids(data: dict[str, Any]) -> list[int]:
    """The youths a draft is about: those ticked, then those with a note, in that order."""
    ids: list[int] = []
    names = [str(value) for value in data.get("youths") or [] if isinstance(value, str | int)]
    names += [name[len("text_") :] for name in sorted(data) if name.startswith("text_") and str(data[name]).strip()]
    for value in names:
        if value.isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids


def _first_words(text: Any) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= _PREVIEW_LENGTH else f"{words[: _PREVIEW_LENGTH - 1]}…"


def draft_list(*, user: User, exclude: uuid.UUID | None = None) -> list[DraftSummary]:
    """The person's unsaved drafts (but `exclude`, the one in the form), described for the list
    from which one is continued or discarded. Two queries, however many drafts."""
    drafts = [draft for draft in drafts_for_user(user=user) if draft.key != exclude]
    wanted = {pk for draft in drafts for pk in _draft_youth_ids(draft.data)}
    visible = {youth.pk: youth for youth in access.visible(user, Youth.objects.filter(pk__in=wanted))} if wanted else {}
    summaries = []
    for draft in drafts:
        ids = _draft_youth_ids(draft.data)
        seen = [pk for pk in ids if pk in visible]
        texts = [draft.data.get(f"text_{pk}") for pk in seen] + [draft.data.get("place"), draft.data.get("task")]
        preview = next((_first_words(text) for text in texts if str(text or "").strip()), "")
        summaries.append(
            DraftSummary(
                key=draft.key,
                updated_at=draft.updated_at,
                youth_names=[visible[pk].display_name for pk in seen],
                hidden_youths=len(ids) - len(seen),
                preview=preview,
            )
        )
    return summaries


def loggable_youths(*, user: User) -> QuerySet[Youth]:
    """Youths the person may log contacts for: an assignment in force on an open follow-up."""
    open_assignments = FollowUpAssignment.objects.filter(user=user, ends_on__isnull=True).exclude(
        followup__state=FollowUp.State.CLOSED
    )
    return Youth.objects.filter(pk__in=open_assignments.values("followup__youth_id")).order_by(
        "first_name", "last_name"
    )


def recent_contact_kinds(*, user: User, limit: int = 50) -> list[str]:
    """The person's contact types, the last used first, then by how recently each was used
    (to order the choices and preselect the last-used type)."""
    rows = Contact.objects.filter(author=user).order_by("-occurred_at", "-id").values_list("kind", flat=True)[:limit]
    return list(dict.fromkeys(rows))


def first_followup_start(*, youth: Youth) -> datetime.date | None:
    first: datetime.date | None = youth.followups.aggregate(first=Min("started_on"))["first"]
    return first


# --- A youth as one person may see them (consent.policy) -----------------------------------


# The youth's record as outputs show it: every mapped field but the list's annotations.
RECORD_FIELDS = tuple(n for n in consent_policy.FIELD_CATEGORY[Youth] if n not in consent_policy.ANNOTATIONS)


@dataclass
class YouthView:
    """A youth as one person may see them, for the youth page, its PDF and the API. Every part
    passed through consent.policy; `viewer.withheld` says what was left out. The frame is
    always shown to anyone who may open the youth at all: the name, the district and who works
    with the youth (the follow-up team and its people, among them who holds lead
    responsibility) — without it a team member could not know whom to ask (consent.policy)."""

    youth: Youth
    viewer: Viewer
    record: Shown  # the youth's record as the person may see it (consent.policy.FIELD_CATEGORY)
    identity: bool  # details: birth date, age, gender, phone, language, safety notes, address
    school: bool
    family: bool  # guardians and siblings
    restricted: RestrictedFields
    followup: FollowUp | None
    guardianships: list[Guardianship]
    timeline: list[TimelineItem]
    measures: list[OutcomeMeasure]
    flags: Flags
    team: list[Any]  # the youth's team now (teams.TeamMember); guardians only with family information
    discussions: list[Any]  # anonymous discussions that became this case (consent.DiscussionCase)

    @property
    def age(self) -> int:
        return self.youth.age_on(timezone.localdate())


def _record(user: User | AnonymousUser, viewer: Viewer) -> tuple[Shown, RestrictedFields]:
    """The record's fields as the person may see them: consent.policy first, then barnevern's
    stricter confidentiality for address and national identity number (cases.policy). The
    family link itself is not shown: guardians and siblings are asked for on their own."""
    youth = viewer.youth
    record = viewer.show_fields(youth, [n for n in RECORD_FIELDS if n != "family"])
    if "birth_date" in record.withheld:
        return record, RestrictedFields(False, "", "", "")
    restricted = restricted_fields(user, youth)
    masked = record.replace(
        national_id=restricted.national_id, address=restricted.address, postal_code=restricted.postal_code
    )
    return masked, restricted


def youth_record(*, user: User | AnonymousUser, youth: Youth, channel: str = "view") -> Shown:
    """The youth's record alone (the edit form), masked as on every output, with what was shown
    logged as a disclosure on `channel`."""
    viewer = consent_policy.viewer(user, youth)
    record, _restricted = _record(user, viewer)
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return record


def youth_records_for_list(
    *, user: User | AnonymousUser, youths: list[Youth], names: tuple[str, ...], channel: str = "api"
) -> list[tuple[Shown, Viewer]]:
    """A list of youths' records as the person may see them, each field masked by consent.policy
    (the fields in `names`, annotations of youths_for_user included), with what crossed a
    service boundary logged as disclosed (consent.services.disclosures_record_for_list). A fixed
    number of queries for the whole list."""
    viewers = consent_policy.viewers(user, youths) if youths else {}
    rows = [(viewers[youth.pk].show_fields(youth, names), viewers[youth.pk]) for youth in youths]
    disclosures_record_for_list(user=user, viewers=viewers.values(), channel=channel)
    return rows


def youth_view_get(
    *, user: User | AnonymousUser, pk: int, channel: str = "view", purpose: str = "viewed", timeline: bool = True
) -> YouthView:
    """What every output of one youth (the page, its PDF, the API) calls: the youth through
    core.access (404 to outsiders), the read audited (youth.<purpose>), the record masked by the
    sharing policy and what was shown logged as a disclosure on `channel`, in one call."""
    youth = youth_get(user=user, pk=pk, purpose=purpose)
    return youth_view(user=user, youth=youth, channel=channel, timeline=timeline)


def youth_view(*, user: User | AnonymousUser, youth: Youth, channel: str = "view", timeline: bool = True) -> YouthView:
    """Assemble what `user` may see of `youth` (fetched with youth_get), and log the disclosure
    (consent.services.disclosure_record) on `channel`: view, pdf or api. A fixed number of
    queries however long the youth's history. The record's fields come masked from
    consent.policy (Viewer.show_fields); address and national identity number also through
    cases.policy.restricted_fields."""
    viewer = consent_policy.viewer(user, youth)
    record, restricted = _record(user, viewer)
    identity = "birth_date" not in record.withheld
    school = "school" not in record.withheld
    family = viewer.show_record(Category.FAMILY)
    items = youth_timeline(youth=youth) if timeline else []
    visible_items = viewer.filter(
        items, consent_policy.categories_of_timeline_item, consent_policy.source_of_timeline_item
    )
    measures = viewer.filter(
        outcome_series(youth=youth), lambda m: set(consent_policy.OUTCOME_CATEGORIES), consent_policy.source_of_item
    )
    offences = viewer.filter(
        Offence.objects.filter(youth=youth).select_related("unit"),
        consent_policy.categories_of_offence,
        lambda o: o.unit,
    )
    flags = _visible_flags(viewer, youth, identity=identity, family=family, offences=offences)
    view = YouthView(
        youth=youth,
        viewer=viewer,
        record=record,
        identity=identity,
        school=school,
        family=family,
        restricted=restricted,
        followup=followup_current(youth=youth),
        guardianships=list(youth.guardianships.select_related("guardian").order_by("guardian__last_name"))
        if family
        else [],
        timeline=visible_items,
        measures=measures,
        flags=flags,
        team=[
            m
            for m in sections.section("team", user=user, youth=youth, default=[])
            if family or m.kind != m.Kind.GUARDIAN
        ],
        # What was said about the youth before consent names no category; it is shown with the
        # youth's identity and contact details (it was recorded by, and stays with, the services
        # that take the case on).
        discussions=list(discussions_for_youth(youth=youth)) if identity else [],
    )
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return view


def contacts_shown(
    *, user: User | AnonymousUser, youth: Youth, contacts: Iterable[Contact], channel: str
) -> tuple[list[Contact], Viewer]:
    """The contacts (of one youth) the person may see by their categories (consent.policy), what
    was shown logged as a disclosure on `channel`; the viewer says what was withheld."""
    viewer = consent_policy.viewer(user, youth)
    shown = viewer.filter(contacts, consent_policy.categories_of_contact, consent_policy.source_of_item)
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return shown, viewer


def offences_shown(
    *, user: User | AnonymousUser, youth: Youth, offences: Iterable[Offence], channel: str
) -> tuple[list[Offence], Viewer]:
    """The offences (of one youth) the person may see (police matters, recorded by the offence's
    unit: consent.policy), what was shown logged as a disclosure on `channel`."""
    viewer = consent_policy.viewer(user, youth)
    shown = viewer.filter(offences, consent_policy.categories_of_offence, lambda offence: offence.unit)
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel=channel)
    return shown, viewer


def outcome_last_shown(
    *, user: User | AnonymousUser, youth: Youth, series: list[OutcomeMeasure]
) -> OutcomeMeasure | None:
    """The youth's last outcome measure, for the form of the next one, when the person may see
    it: it holds school attendance, offences and substance use, shown only when the sharing
    policy opens those categories from the service that recorded it (as on the timeline). Its
    showing is logged as a disclosure. None when there is none or it is withheld."""
    if not series:
        return None
    last = series[-1]
    viewer = consent_policy.viewer(user, youth)
    if not viewer.show(consent_policy.OUTCOME_CATEGORIES, consent_policy.source_of_item(last)):
        return None
    disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel="view")
    return last


def closed_followups_seen(*, user: User | AnonymousUser, youth: Youth) -> list[FollowUp]:
    """The youth's closed follow-ups, each with `summary_shown`: a closing summary is what one
    service wrote about the youth when it ended its work, shown by
    consent.policy.Viewer.show_written_by (its own staff; another service only on a consent or
    legal basis). What was shown is logged as a disclosure."""
    closed = list(youth.followups.filter(state=FollowUp.State.CLOSED).select_related("unit").order_by("-ended_on"))
    if not closed:
        return closed
    viewer = consent_policy.viewer(user, youth)
    for followup in closed:
        followup.summary_shown = viewer.show_written_by(Category.IDENTITY_CONTACT, followup.unit)  # type: ignore[attr-defined]
    if viewer.shown:
        disclosure_record(user=user, youth=youth, decisions=viewer.shown, channel="view")
    return closed


def _visible_flags(viewer: Viewer, youth: Youth, *, identity: bool, family: bool, offences: list[Offence]) -> Flags:
    """The flags, each from what the person may see: repeated crime from the offences shown,
    siblings only with family information, the follow-up's own flags with the details."""
    threshold = settings.LAGET_REPEATED_CRIME_THRESHOLD
    per_year = Counter(o.committed_on.year for o in offences)
    flags = Flags(repeated_crime_years=sorted(year for year, n in per_year.items() if n >= threshold))
    if identity:
        full = youth_flags(youth=youth)
        flags.days_since_contact = full.days_since_contact
        flags.no_contact = full.no_contact
        flags.turns_18_on = full.turns_18_on
        if family:
            flags.siblings_at_risk = full.siblings_at_risk
    elif family:
        flags.siblings_at_risk = siblings_at_risk(youth=youth)
    upcoming = (
        ReportingDate.objects.filter(step__youth=youth, due_at__gte=timezone.now())
        .select_related("step__unit")
        .order_by("due_at")
        .first()
    )
    if upcoming is not None and viewer.show(Category.POLICE, upcoming.step.unit):
        flags.next_reporting = upcoming
    return flags
