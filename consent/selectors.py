"""Reads of consents, legal-basis uses and disclosures. Callers fetch the youth through
core.access first (cases.selectors); these selectors do not widen what a person sees."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Contact, ContactVersion, Youth
from core import access, audit
from core.dates import OSLO, today_in_oslo
from org.models import StaffRole, Unit
from org.selectors import staffroles_active

from .models import (
    Category,
    Consent,
    ConsentAnswer,
    ConsentVersion,
    Disclosure,
    DiscussionCase,
    DiscussionNote,
    LegalBasis,
    LegalBasisUse,
)
from .policy import (
    categories_of_contact,
    current_versions,
    guardians_told,
    may_record_consent,
    source_of_item,
    version_in_force,
)
from .policy import viewer as policy_viewer
from .services import disclosure_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def consents_for_youth(*, youth: Youth) -> QuerySet[Consent]:
    """The youth's consents, newest first, each with all its versions (newest first)."""
    return Consent.objects.filter(youth=youth).prefetch_related(
        "versions__answers__guardian", "versions__units", "versions__noted_by", "versions__recorded_by"
    )


def consent_current_version(*, consent: Consent) -> ConsentVersion:
    """The version that counts now: the one with the highest number."""
    return ConsentVersion.objects.filter(consent=consent).order_by("-number").prefetch_related("answers", "units")[0]


def consent_versions_current(*, youth: Youth) -> QuerySet[ConsentVersion]:
    return (
        ConsentVersion.objects.current()
        .filter(consent__youth=youth)
        .select_related("consent")
        .prefetch_related("answers__guardian", "units")
        .order_by("-recorded_at", "-id")
    )


def consent_get(*, user: User | AnonymousUser, pk: int, purpose: str) -> Consent:
    """One consent, through its youth (core.access): 404 unless the person may see the youth,
    403 unless they record consents for the youth (the version history names the guardians and
    holds the signed forms; other team members see a consent's scope on the list). The read of
    the youth is audited, as cases.selectors.youth_get does."""
    consent = access.get(
        user,
        Consent.objects.select_related("youth__district", "youth__school", "youth__family").prefetch_related(
            Prefetch("versions__answers", queryset=ConsentAnswer.objects.select_related("guardian")),
            "versions__units",
            "versions__recorded_by",
            "versions__noted_by",
            "versions__withdrawn_by_guardian",
        ),
        pk=pk,
    )
    audit.record(actor=user, action=f"youth.{purpose}", target=consent.youth)
    if not access.can(user, consent, "record"):
        raise PermissionDenied
    return consent


def consent_document_open(
    *, user: User | AnonymousUser, consent: Consent, number: int
) -> tuple[ConsentVersion, File[bytes]]:
    """The signed form of one version of a consent, opened for reading, and the download
    audited. The caller has fetched the consent through its youth (core.access); 404 when the
    version has no signed form or the file is missing from storage."""
    version = ConsentVersion.objects.filter(consent=consent, number=number).exclude(document="").first()
    if version is None:
        raise Http404
    try:
        document = version.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit.record(
        actor=user,
        action="consent.document_downloaded",
        target=version,
        youth=consent.youth_id,
        detail={"consent": consent.pk, "number": version.number},
    )
    return version, document


def legal_bases_active() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(active=True).order_by("title")


def legal_basis_uses_for_youth(*, youth: Youth) -> QuerySet[LegalBasisUse]:
    """Every use of a legal basis about the youth, in force and past, newest first."""
    return (
        LegalBasisUse.objects.filter(youth=youth).select_related("basis", "actor", "unit").order_by("-starts_at", "-id")
    )


def legal_basis_uses_for_leader(*, user: User | AnonymousUser) -> QuerySet[LegalBasisUse]:
    """Uses of legal bases a leader must review: by anyone who has held a role in a unit they
    lead, or opening information to such a unit. Newest first."""
    led = staffroles_active(user=user).filter(role=StaffRole.Role.LEADER).values("unit_id")
    staff = StaffRole.objects.filter(unit_id__in=led).values("user_id")
    return (
        LegalBasisUse.objects.filter(Q(actor_id__in=staff) | Q(unit_id__in=led))
        .select_related("basis", "youth", "actor", "unit")
        .order_by("-starts_at", "-id")
    )


@dataclass
class UseRow:
    """A use of a legal basis as it is shown: its categories in words, whether it is in force now,
    and whether the reader may read the reason given."""

    use: LegalBasisUse
    categories: list[str]
    in_force: bool
    show_reason: bool = True


def use_rows(uses: Iterable[LegalBasisUse], now: datetime.datetime | None = None) -> list[UseRow]:
    """Uses of legal bases as shown: categories in words, and whether the use is in force now."""
    now = now or timezone.now()
    return [
        UseRow(
            use=use,
            categories=[str(Category(c).label) for c in use.categories if c in Category.values],
            in_force=use.starts_at <= now < use.until,
        )
        for use in uses
    ]


def legal_basis_uses_shown(*, user: User | AnonymousUser, youth: Youth) -> list[UseRow]:
    """The uses of legal bases about a youth, for everyone who sees the youth (the consent list
    and the API; fetch the youth through cases.selectors.youth_get, which audits the read). The
    reason given is for those who record the youth's consents and for the service that received
    the information."""
    may_record = may_record_consent(user, youth)
    my_units = set(staffroles_active(user=user).values_list("unit_id", flat=True))
    return [
        dataclasses.replace(row, show_reason=may_record or row.use.unit_id in my_units)
        for row in use_rows(legal_basis_uses_for_youth(youth=youth))
    ]


REVIEW_PAGE_SIZE = 50


@dataclass
class LegalBasisReview:
    page: Page[LegalBasisUse]
    visible_youth_ids: set[int]  # the youths on the page the leader may open (core.access)


def legal_basis_review_page(*, user: User | AnonymousUser, page_number: str | None) -> LegalBasisReview:
    """One page of the leader's review of legal-basis uses, with which youths the leader may
    open. The page shows youths' names and the reasons given, so the read is audited."""
    page = Paginator(legal_basis_uses_for_leader(user=user), REVIEW_PAGE_SIZE).get_page(page_number)
    uses = list(page.object_list)
    youth_ids = sorted({use.youth_id for use in uses})
    visible = set(access.visible(user, Youth.objects.filter(pk__in=youth_ids)).values_list("pk", flat=True))
    audit.record(
        actor=user,
        action="consent.legal_basis_reviewed",
        detail={"page": page.number, "uses": [use.pk for use in uses], "youths": youth_ids},
    )
    return LegalBasisReview(page=page, visible_youth_ids=visible)


def disclosures_for_youth(
    *, youth: Youth, since: datetime.date | None = None, until: datetime.date | None = None
) -> QuerySet[Disclosure]:
    """Who has seen and received what of the youth, when and why: the disclosure log, newest
    first, optionally for the days since/until (Europe/Oslo, both included)."""
    qs = Disclosure.objects.filter(youth=youth)
    if since is not None:
        qs = qs.filter(at__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=OSLO))
    if until is not None and until < datetime.date.max:  # the last day there is leaves no bound
        qs = qs.filter(
            at__lt=datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=OSLO)
        )
    return qs.select_related("user", "unit", "consent_version__consent", "legal_basis_use__basis").order_by(
        "-at", "-id"
    )


@dataclass(frozen=True)
class DisclosureLine:
    """One line of the right-to-know report: one person, on one day, through one channel, on
    one basis, saw these categories `times` times (first and last time)."""

    day: datetime.date
    user: User
    unit: Unit | None
    channel: str
    channel_label: str
    basis: str
    basis_label: str
    why: str
    categories: list[str]
    times: int
    first_at: datetime.datetime
    last_at: datetime.datetime


def disclosure_report(
    *, youth: Youth, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[DisclosureLine]:
    """The disclosure log in words, for the youth and the guardians: rows that differ only in
    the time of day are one line. Every disclosure is counted in exactly one line."""
    lines: dict[tuple[Any, ...], dict[str, Any]] = {}
    for d in disclosures_for_youth(youth=youth, since=since, until=until):
        at = timezone.localtime(d.at, OSLO)
        key = (
            at.date(),
            d.user_id,
            d.unit_id,
            d.channel,
            d.basis,
            d.consent_version_id,
            d.legal_basis_use_id,
            tuple(d.categories),
        )
        line = lines.get(key)
        if line is None:
            lines[key] = {"d": d, "times": 1, "first_at": at, "last_at": at}
        else:
            line["times"] += 1
            line["first_at"] = at  # newest first: each later row is earlier
    return [
        DisclosureLine(
            day=key[0],
            user=line["d"].user,
            unit=line["d"].unit,
            channel=line["d"].channel,
            channel_label=str(line["d"].get_channel_display()),
            basis=line["d"].basis,
            basis_label=str(line["d"].get_basis_display()),
            why=_why(line["d"]),
            categories=[str(Category(c).label) for c in line["d"].categories],
            times=line["times"],
            first_at=line["first_at"],
            last_at=line["last_at"],
        )
        for key, line in lines.items()
    ]


def _why(d: Disclosure) -> str:
    if d.basis == Disclosure.Basis.CONSENT and d.consent_version is not None:
        version = d.consent_version
        return _("Consent «%(purpose)s» (version %(number)s)") % {
            "purpose": version.consent.purpose,
            "number": version.number,
        }
    if d.basis == Disclosure.Basis.LEGAL_BASIS and d.legal_basis_use is not None:
        use = d.legal_basis_use
        return _("%(basis)s (%(law)s): %(reason)s") % {
            "basis": use.basis.title,
            "law": use.basis.law_reference,
            "reason": use.reason,
        }
    return _("Recorded or kept by the service itself")


@dataclass(frozen=True)
class AccessLine:
    """One thing that lets services see a kind of the youth's information now: a consent in
    force (why: its purpose) or a legal basis in use (why: the basis and its law)."""

    services: list[str]
    categories: list[str]
    why: str
    by_consent: bool
    until: datetime.date


@dataclass(frozen=True)
class RecentLine:
    """One service that has looked at or received the youth's information in the period, in
    words (by service, never by a person)."""

    service: str
    categories: list[str]
    channels: list[str]
    times: int
    last_on: datetime.date


@dataclass(frozen=True)
class WhoKnowsWhat:
    """ "Hvem vet hva om meg", for the youth's own copy of the plan: who may see which kinds of
    information and why, and who has looked at or shared it since `since`."""

    access: list[AccessLine]
    recent: list[RecentLine]
    since: datetime.date
    # From 18: whether the guardians are still told (consent.policy.guardians_told), in words
    # to the youth; "" before the 18th birthday.
    guardians: str = ""


def who_knows_what(*, youth: Youth, days: int = 90, on: datetime.date | None = None) -> WhoKnowsWhat:
    """The consents in force (consent.policy.version_in_force) and legal-basis uses in force
    today, and the disclosure log of the last `days` days grouped by service: the facts the
    sharing policy decides by, told to the youth, and from 18 whether the guardians are still
    told (consent.policy.guardians_told). Callers fetch the youth through core.access
    and audit the output (teams.plans.selectors.plan_youth_copy)."""
    today = on or today_in_oslo()
    now = timezone.now()
    labels = dict(Category.choices)
    order = {value: i for i, value in enumerate(Category.values)}

    def words(categories: Iterable[str]) -> list[str]:
        return [str(labels[c]) for c in sorted(set(categories), key=lambda c: order.get(c, 99)) if c in labels]

    lines: list[AccessLine] = []
    for version in current_versions(youth):
        if not version_in_force(version, youth, today):
            continue
        lines.append(
            AccessLine(
                services=sorted(unit.name for unit in version.units.all()),
                categories=words(version.categories),
                why=version.consent.purpose,
                by_consent=True,
                until=version.valid_to,
            )
        )
    uses = LegalBasisUse.objects.filter(youth=youth, starts_at__lte=now, until__gt=now).select_related("basis", "unit")
    for use in uses.order_by("starts_at", "id"):
        lines.append(
            AccessLine(
                services=[use.unit.name],
                categories=words(use.categories),
                why=f"{use.basis.title} ({use.basis.law_reference})",
                by_consent=False,
                until=timezone.localtime(use.until, OSLO).date(),
            )
        )
    since = today - datetime.timedelta(days=days)
    groups: dict[int | None, dict[str, Any]] = {}
    for d in disclosures_for_youth(youth=youth, since=since, until=today):
        group = groups.setdefault(
            d.unit_id,
            {"unit": d.unit, "categories": set(), "channels": [], "times": 0, "last": timezone.localtime(d.at, OSLO)},
        )
        group["categories"].update(d.categories)
        label = str(d.get_channel_display())
        if label not in group["channels"]:
            group["channels"].append(label)
        group["times"] += 1
    recent = [
        RecentLine(
            service=g["unit"].name if g["unit"] is not None else _("Laget (no service named)"),
            categories=words(g["categories"]),
            channels=g["channels"],
            times=g["times"],
            last_on=g["last"].date(),
        )
        for g in groups.values()
    ]
    recent.sort(key=lambda line: (-line.last_on.toordinal(), line.service))
    return WhoKnowsWhat(access=lines, recent=recent, since=since, guardians=_guardians_line(youth, today))


def _guardians_line(youth: Youth, today: datetime.date) -> str:
    if youth.eighteenth_birthday > today:
        return ""
    if guardians_told(youth, at=today):
        return _("You have said yes to your parents being told and taking part after you turned 18.")
    return _(
        "You are 18: your parents are told nothing from us (no letters, invitations or plans) unless you say yes to it."
    )


# --- Anonymous discussion -------------------------------------------------------------------


def discussions_for_user(
    *, user: User | AnonymousUser, state: str = DiscussionCase.State.OPEN, limit: int | None = None
) -> QuerySet[DiscussionCase]:
    """The anonymous discussions in this state that the person may see (consent.discussions.policy),
    newest first, with their number of notes. Alias, age band and district only: the summary is
    read on the case's own page, where the read is audited."""
    cases = access.visible(user, DiscussionCase.objects.filter(state=state))
    cases = (
        cases.select_related("district", "unit", "youth")
        .annotate(note_count=Count("notes"))
        .order_by("-created_at", "-id")
    )
    return cases[:limit] if limit is not None else cases


def discussion_case_get(*, user: User | AnonymousUser, pk: int, action: str = access.VIEW) -> DiscussionCase:
    """One anonymous discussion through core.access (404 for anyone who may not see it, 403 when
    they may not do `action`); the read is audited, on the youth's trail once it is named."""
    case = access.get(
        user,
        DiscussionCase.objects.select_related("district", "unit", "created_by", "youth", "converted_by", "closed_by"),
        action=action,
        pk=pk,
    )
    audit.record(actor=user, action="discussion.viewed", target=case, youth=case.youth_id)
    return case


def contact_versions_seen(*, user: User | AnonymousUser, contact: Contact, channel: str) -> list[ContactVersion]:
    """A contact's earlier versions, newest first, each judged by its own categories: a version
    carries the life areas it had then (identity and contact, plus LIFE_AREA_CATEGORIES), not the
    contact's current ones, so an edit that removed «health» does not open the old health text.
    Each version gets `withheld`: the categories that keep it from the person (empty when shown).
    What was shown is logged as a disclosure. The caller fetched the contact with
    cases.selectors.contact_get (access and the contact's current categories)."""
    versions = list(contact.versions.select_related("changed_by").order_by("-version"))
    current = categories_of_contact(contact)  # judged, shown and logged by contact_get already
    judged = [(version, _version_categories(version, contact)) for version in versions]
    if all(categories <= current for _version, categories in judged):
        for version in versions:
            version.withheld = []  # type: ignore[attr-defined]
        return versions
    viewer = policy_viewer(user, contact.youth)
    source = source_of_item(contact)
    for version, categories in judged:
        shown = viewer.show(categories, source)
        version.withheld = (  # type: ignore[attr-defined]
            [] if shown else sorted(c for c in categories if viewer.decide(c, source).withheld)
        )
    disclosure_record(
        user=user,
        youth=contact.youth,
        decisions=[d for d in viewer.shown if d.category not in current],
        channel=channel,
    )
    return versions


def _version_categories(version: ContactVersion, contact: Contact) -> set[str]:
    """The categories a kept version carries: the policy's categories of the contact as it was
    then (its life areas then; what the contact itself carries, such as its service, stays)."""
    data = version.data if isinstance(version.data, dict) else {}
    then = copy.copy(contact)
    then.life_areas = list(data.get("life_areas", contact.life_areas) or [])
    return categories_of_contact(then)


def discussion_content_shown(
    *, user: User | AnonymousUser, case: DiscussionCase, channel: str = Disclosure.Channel.VIEW
) -> bool:
    """May the person read the case's summary and notes? Before it is named, whoever sees the case
    does (consent.discussions.policy). Once named, they are the youth's information: shown only
    when the person's service may see the youth's identity and contact details (consent.policy;
    the service that brought the case sees what its staff wrote), and then logged as a
    disclosure of that youth, through `channel` (the page or the API)."""
    if case.state != DiscussionCase.State.CONVERTED or case.youth is None:
        return True
    viewer = policy_viewer(user, case.youth)
    if not viewer.show(Category.IDENTITY_CONTACT, case.unit):
        return False
    disclosure_record(user=user, youth=case.youth, decisions=viewer.shown, channel=channel)
    return True


def discussion_notes(*, case: DiscussionCase) -> QuerySet[DiscussionNote]:
    """The case's history, oldest first."""
    return DiscussionNote.objects.filter(case=case).select_related("author").order_by("at", "id")


def discussions_for_youth(*, youth: Youth) -> list[DiscussionCase]:
    """The anonymous discussions that became this youth's named case, oldest first, each with its
    notes (`case.notes.all()`, oldest first): "Discussed anonymously as «alias» from <date>" on
    the youth's page. The caller has fetched the youth through core.access and audited the read;
    whoever may see the youth may see these (consent.discussions.policy). Two queries."""
    notes = DiscussionNote.objects.select_related("author").order_by("at", "id")
    return list(
        DiscussionCase.objects.filter(youth=youth, state=DiscussionCase.State.CONVERTED)
        .select_related("unit", "district", "created_by", "converted_by")
        .prefetch_related(Prefetch("notes", queryset=notes))
        .order_by("created_at", "id")
    )


def youths_for_discussion(*, user: User | AnonymousUser) -> QuerySet[Youth]:
    """The youths a person may name an anonymous case as: those they may see (core.access)."""
    return access.visible(user, Youth.objects.all()).select_related("district").order_by("last_name", "first_name")
