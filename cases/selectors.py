"""Every read about youths: lists, the youth page, the timeline, search. Reads of one youth's
data are audited here, not in each view (STYLE.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import CharField, Count, F, Func, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, Lower
from django.utils import timezone

from core import access, audit
from core.validators import normalise_national_id
from teams.models import Unit

from .models import (
    Contact,
    ContactDraft,
    FollowUp,
    FollowUpAssignment,
    JusticeStep,
    Offence,
    OutcomeMeasure,
    ReportingDate,
    Youth,
)


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


def youths_for_user(*, user: Any, query: str = "") -> QuerySet[Youth]:
    """The youths the person may see, optionally searched, with their overview."""
    qs = access.visible(user, Youth.objects.all())
    qs = youth_search_filter(qs, query) if query.strip() else qs.order_by("last_name", "first_name")
    return _with_overview(qs)


def youths_followed_by(*, user: Any) -> QuerySet[Youth]:
    """The youths the person follows now (as follower or family follower): the follower's home."""
    followed = FollowUpAssignment.objects.filter(
        user=user, ends_on__isnull=True, role__in=[FollowUpAssignment.Role.LEAD, FollowUpAssignment.Role.FAMILY]
    ).exclude(followup__state=FollowUp.State.CLOSED)
    youths = Youth.objects.filter(pk__in=followed.values("followup__youth_id"))
    return _with_overview(access.visible(user, youths)).order_by(F("last_contact_at").asc(nulls_first=True))


def youth_search_filter(qs: QuerySet[Youth], query: str) -> QuerySet[Youth]:
    """Name (tolerant of accents and typos), national identity number, or school."""
    text = query.strip()
    digits = normalise_national_id(text)
    if digits.isdigit() and len(digits) >= 6:
        return qs.filter(national_id__startswith=digits).order_by("last_name")
    folded = Unaccent(Lower(Value(text)))
    schools = Unit.objects.filter(kind=Unit.Kind.SCHOOL, name__unaccent__icontains=text).values("pk")
    return (
        qs.alias(search_name=_SEARCH_NAME)
        .annotate(similarity=TrigramWordSimilarity(folded, _SEARCH_NAME))  # type: ignore[arg-type]
        .filter(Q(search_name__trigram_word_similar=folded) | Q(school_id__in=schools))
        .order_by("-similarity", "last_name")
    )


def youth_get(*, user: Any, pk: int, action: str = access.VIEW, purpose: str = "viewed") -> Youth:
    """One youth through the access module; the read is audited."""
    youth = access.get(user, Youth.objects.select_related("district", "school", "family"), action=action, pk=pk)
    audit.record(actor=user, action=f"youth.{purpose}", target=youth)
    return youth


def youth_possible_duplicates(
    *, national_id: str = "", first_name: str = "", last_name: str = "", birth_date: datetime.date | None = None
) -> QuerySet[Youth]:
    """Youths already registered with the same national identity number, or the same name and
    date of birth. Searched across Laget (a duplicate is a duplicate whoever follows it); the
    caller shows details only of those the user may see."""
    condition = Q(pk__in=[])
    if national_id:
        condition |= Q(national_id=normalise_national_id(national_id))
    if first_name and last_name and birth_date:
        condition |= Q(
            first_name__unaccent__iexact=first_name.strip(),
            last_name__unaccent__iexact=last_name.strip(),
            birth_date=birth_date,
        )
    return Youth.objects.filter(condition)


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
        .select_related("author")
        .order_by("-occurred_at")[:limit]
    )
    offences = Offence.objects.filter(youth=youth).order_by("-committed_on")[:limit]
    outcomes = (
        OutcomeMeasure.objects.filter(followup__youth=youth)
        .select_related("recorded_by")
        .order_by("-measured_on")[:limit]
    )
    steps = JusticeStep.objects.filter(youth=youth).order_by("-starts_on")[:limit]
    assignments = (
        FollowUpAssignment.objects.filter(followup__youth=youth)
        .select_related("user", "followup")
        .order_by("-starts_on")[:limit]
    )
    followups = FollowUp.objects.filter(youth=youth).order_by("-created_at")
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
    return list(OutcomeMeasure.objects.filter(followup__youth=youth).order_by("measured_on"))


def contact_get(*, user: Any, pk: int) -> Contact:
    contact = Contact.objects.select_related("youth", "author").filter(pk=pk, deleted_at__isnull=True).first()
    if contact is None:
        from django.http import Http404

        raise Http404
    access.get(user, Youth, pk=contact.youth_id)
    audit.record(actor=user, action="contact.viewed", target=contact, youth=contact.youth_id)
    return contact


def contacts_for_youth(*, youth: Youth) -> QuerySet[Contact]:
    """The youth's contacts, newest first (deleted ones are hidden)."""
    return (
        Contact.objects.filter(youth=youth, deleted_at__isnull=True)
        .select_related("author")
        .order_by("-occurred_at", "-id")
    )


def offences_for_youth(*, youth: Youth) -> QuerySet[Offence]:
    return Offence.objects.filter(youth=youth).order_by("-committed_on", "-id")


def drafts_for_user(*, user: Any) -> QuerySet[ContactDraft]:
    return ContactDraft.objects.filter(owner=user).select_related("youth").order_by("-updated_at")


def loggable_youths(*, user: Any) -> QuerySet[Youth]:
    """Youths the person may log contacts for: an assignment in force on an open follow-up."""
    open_assignments = FollowUpAssignment.objects.filter(user=user, ends_on__isnull=True).exclude(
        followup__state=FollowUp.State.CLOSED
    )
    return Youth.objects.filter(pk__in=open_assignments.values("followup__youth_id")).order_by(
        "first_name", "last_name"
    )


def recent_contact_kinds(*, user: Any, limit: int = 50) -> list[str]:
    """The person's contact types, the last used first, then by how recently each was used
    (to order the choices and preselect the last-used type)."""
    rows = Contact.objects.filter(author=user).order_by("-occurred_at", "-id").values_list("kind", flat=True)[:limit]
    return list(dict.fromkeys(rows))


def first_followup_start(*, youth: Youth) -> datetime.date | None:
    return youth.followups.aggregate(first=Min("started_on"))["first"]
