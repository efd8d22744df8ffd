"""Reads of concern reports: one report or a unit's list through core.access
(referrals.concerns.policy), the reporter's narrow view of their own report (receipt and feedback
only), the deadline lists of caseworkers and leaders, and the handover gaps of routine 3.

The deadline list and the handover gaps name the report (kind, received date) and never the
child: the view that shows a row links to the report page, which asks the policy again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Contact, Youth
from consent import policy as consent_policy
from consent.models import Category
from consent.services import disclosure_record
from core import access, audit
from core.dates import oslo_date, today_in_oslo
from core.models import User
from core.validators import normalise_national_id
from org.models import StaffRole, Unit
from org.selectors import staffroles_active
from referrals.concerns import ksfiks
from referrals.concerns import policy as concern_policy
from referrals.concerns.deadlines import MET, Deadline, deadlines_for, week_of
from referrals.concerns.services import available_actions, concern_report_child_link_check, guardian_output_check
from referrals.models import (
    ConcernReport,
    ConcernReportAttachment,
    ConcernReportChild,
    ConcernReportEvent,
    KsFiksDocument,
    SchoolContact,
)
from teams.models import Meeting, MeetingParticipant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

State = ConcernReport.State

# A contact person with no activity on the children this long after measures started leaves a
# gap (routine 3, the gap schools complain of in seed 002).
HANDOVER_GAP_DAYS = 21
# Events that mark the transition itself, not activity with the child.
TRANSITION_EVENTS = ("measures", "assigned")


def _base() -> QuerySet[ConcernReport]:
    return ConcernReport.objects.select_related("unit", "caseworker", "contact_person", "active_case")


def concern_report_get(*, user: User | AnonymousUser, pk: int, action: str = access.VIEW) -> ConcernReport:
    """One report: 404 for those who may not see it, 403 for those who may not `action` it."""
    return access.get(user, _base(), action=action, pk=pk)


def concern_reports_for_user(*, user: User, state: str = "") -> QuerySet[ConcernReport]:
    qs = access.visible(user, _base())
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-received_at", "-pk")


def concern_report_children(*, report: ConcernReport) -> list[ConcernReportChild]:
    return list(report.children.select_related("youth").order_by("pk"))


@dataclass
class ChildToLink:
    child: ConcernReportChild
    youth: Youth  # the registered youth with the child's identity number


def concern_report_children_to_link(*, user: User | AnonymousUser, report: ConcernReport) -> list[ChildToLink]:
    """The report's children not yet linked whose identity number is a registered youth's, those
    `user` may link (concern_report_child_link_check): the report page's «link» form, for the
    children a reporter named without seeing them in Laget. Two queries and the check's."""
    children = list(report.children.filter(youth__isnull=True).exclude(national_id="").order_by("pk"))
    if not children:
        return []
    numbers = {normalise_national_id(child.national_id) for child in children}
    youths = {youth.national_id: youth for youth in Youth.objects.filter(national_id__in=numbers)}
    found = []
    for child in children:
        youth = youths.get(normalise_national_id(child.national_id))
        if youth is None:
            continue
        try:
            concern_report_child_link_check(actor=user, unit=report.unit, youth=youth)
        except PermissionDenied:
            continue
        found.append(ChildToLink(child, youth))
    return found


def concern_report_receiving_units() -> QuerySet[Unit]:
    """The barnevern services a report can be sent to: every active one (the reporter chooses
    the service of the district where the child lives)."""
    return Unit.objects.filter(kind=Unit.Kind.BARNEVERN, is_active=True).select_related("district")


def is_barnevern_staff(*, user: User | AnonymousUser) -> bool:
    """Does the person hold a role in force in a barnevern service (who registers reports taken
    by phone or letter, and new reports in an active case)?"""
    return staffroles_active(user=user).filter(unit__kind=Unit.Kind.BARNEVERN).exists()


def concern_report_actions(*, user: User | AnonymousUser, report: ConcernReport) -> list[str]:
    """The steps `user` may take on the report now, as its page and the API offer them: those
    its state opens (services.available_actions, from CONCERN_TRANSITIONS) to whoever may act
    on it, and "assign" to whoever may assign it (core.access with referrals.concerns.policy)."""
    actions = available_actions(report) if access.can(user, report, "act") else []
    return actions + (["assign"] if access.can(user, report, "assign") else [])


def concern_report_assignable(*, user: User | AnonymousUser, report: ConcernReport) -> QuerySet[User]:
    """Whom `user` may give the report to (the page's and the API's choices): a leader of the
    report's unit anyone among its caseworkers and leaders in force, a caseworker only
    themself (concern_report_assign_check holds the rule)."""
    ids = staffroles_active().filter(unit_id=report.unit_id, role__in=concern_policy.CASE_ROLES)
    people = User.objects.filter(is_active=True, pk__in=ids.values("user_id")).order_by("full_name")
    if concern_policy.is_leader_of(user, report.unit_id):
        return people
    return people.filter(pk=access.signed_in(user).pk)


def concern_report_contact_people() -> QuerySet[User]:
    """Who may be the new contact person for measures (routine 3): staff of any barnevern
    service, who may work in the measures department."""
    ids = staffroles_active().filter(unit__kind=Unit.Kind.BARNEVERN)
    return User.objects.filter(is_active=True, pk__in=ids.values("user_id")).order_by("full_name")


def concern_report_registered_youths(*, report: ConcernReport) -> QuerySet[Youth]:
    """The registered youths the report's children are linked to (handover, intake)."""
    return Youth.objects.filter(concern_reports__report=report).distinct().order_by("last_name")


def concern_report_reporter_role(*, user: User | AnonymousUser) -> StaffRole | None:
    """The role a person reports for: a school first (the school's form), then any unit."""
    roles = list(staffroles_active(user=user).select_related("unit__district").order_by("unit__name"))
    for role in roles:
        if role.unit.kind == Unit.Kind.SCHOOL:
            return role
    return roles[0] if roles else None


def active_cases_for(*, unit: Unit) -> QuerySet[ConcernReport]:
    """The reports of a unit a new report can be linked to (routine 4)."""
    return ConcernReport.objects.filter(
        unit=unit, state__in=(State.RECEIVED, State.INVESTIGATING, State.MEASURES)
    ).order_by("-received_at", "-pk")


# --- The reporter's view ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterView:
    """What the reporter (a school) sees of a report they sent: that it was received, the
    feedback barnevern has sent, the school's fixed contact and, once there are measures, the
    name of the new contact person. Nothing else of the case."""

    pk: int
    received_on: datetime.date
    kind_label: str
    receipt_sent_on: datetime.date | None
    # Told whether an investigation was opened (public reporters only): None until told.
    investigation_opened: bool | None
    opening_feedback_sent_on: datetime.date | None
    conclusion_feedback_sent_on: datetime.date | None
    contact_person_name: str
    school_contact_name: str


def _reporter_q(user: User) -> Q:
    """Reports the person sent, and those of the schools where they are the school contact."""
    contact_units = staffroles_active(user=user).filter(role=StaffRole.Role.SCHOOL_CONTACT).values("unit_id")
    return Q(reporter_user=user) | Q(reporter_unit_id__in=contact_units)


def _date(moment: datetime.datetime | None) -> datetime.date | None:
    return oslo_date(moment) if moment is not None else None


def _school_contacts(reports: Iterable[ConcernReport], today: datetime.date) -> dict[tuple[int, int], str]:
    pairs = {(r.reporter_unit_id, r.unit_id) for r in reports if r.reporter_unit_id is not None}
    if not pairs:
        return {}
    found: dict[tuple[int, int], str] = {}
    rows = (
        SchoolContact.objects.filter(school_id__in={s for s, _ in pairs}, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("contact")
        .order_by("starts_on", "pk")
    )
    for row in rows:
        found[(row.school_id, row.barnevern_unit_id)] = row.contact.full_name
    return found


def _reporter_view(report: ConcernReport, contacts: dict[tuple[int, int], str]) -> ReporterView:
    opened: bool | None = None
    public = report.reporter_kind == ConcernReport.ReporterKind.PUBLIC
    if public and report.opening_feedback_sent_at is not None:
        opened = report.investigation_started_on is not None
    contact_person = ""
    if report.state == State.MEASURES and report.contact_person is not None:
        contact_person = report.contact_person.full_name
    return ReporterView(
        pk=report.pk,
        received_on=oslo_date(report.received_at),
        kind_label=str(report.get_kind_display()),
        receipt_sent_on=_date(report.receipt_sent_at),
        investigation_opened=opened,
        opening_feedback_sent_on=_date(report.opening_feedback_sent_at) if public else None,
        conclusion_feedback_sent_on=_date(report.conclusion_feedback_sent_at),
        contact_person_name=contact_person,
        school_contact_name=contacts.get((report.reporter_unit_id or 0, report.unit_id), ""),
    )


def _reporter_reports(user: User | AnonymousUser) -> QuerySet[ConcernReport]:
    if not (user is not None and user.is_authenticated and user.is_active):
        return ConcernReport.objects.none()
    return ConcernReport.objects.filter(_reporter_q(user)).select_related("contact_person")


def report_for_reporter(*, user: User | AnonymousUser, pk: int) -> ReporterView:
    """The receipt and feedback of a report the person sent (or their school sent, for its
    school contact). 404 for anyone else, whatever they may see otherwise."""
    report = _reporter_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    audit.record(actor=user, action="concern_report.receipt_viewed", target=report)
    return _reporter_view(report, _school_contacts([report], today_in_oslo()))


def reports_for_reporter(*, user: User | AnonymousUser) -> list[ReporterView]:
    reports = list(_reporter_reports(user).order_by("-received_at", "-pk"))
    contacts = _school_contacts(reports, today_in_oslo())
    return [_reporter_view(report, contacts) for report in reports]


# --- Deadline lists --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    report: ConcernReport
    deadline: Deadline

    @property
    def label(self) -> Any:
        return self.deadline.label

    @property
    def due(self) -> datetime.date:
        return self.deadline.due


@dataclass
class DeadlineList:
    overdue: list[DeadlineRow]
    this_week: list[DeadlineRow]
    week_starts: datetime.date
    week_ends: datetime.date

    def __bool__(self) -> bool:
        return bool(self.overdue or self.this_week)


def open_clock_q() -> Q:
    """Reports with a clock still running: under review or investigation, or feedback not sent."""
    public = Q(reporter_kind=ConcernReport.ReporterKind.PUBLIC)
    return (
        Q(state__in=(State.RECEIVED, State.INVESTIGATING))
        | Q(receipt_sent_at__isnull=True)
        | (public & Q(opening_feedback_sent_at__isnull=True))
        | (public & Q(investigation_concluded_on__isnull=False, conclusion_feedback_sent_at__isnull=True))
    )


def split_deadlines(reports: Iterable[ConcernReport], *, today: datetime.date) -> DeadlineList:
    monday, sunday = week_of(today)
    overdue: list[DeadlineRow] = []
    this_week: list[DeadlineRow] = []
    for report in reports:
        for deadline in deadlines_for(report, today=today):
            if deadline.status == MET:
                continue
            if deadline.due < today:
                overdue.append(DeadlineRow(report, deadline))
            elif deadline.due <= sunday:
                this_week.append(DeadlineRow(report, deadline))
    overdue.sort(key=lambda row: (row.due, row.report.pk))
    this_week.sort(key=lambda row: (row.due, row.report.pk))
    return DeadlineList(overdue=overdue, this_week=this_week, week_starts=monday, week_ends=sunday)


def deadline_list(*, user: User | AnonymousUser, today: datetime.date | None = None) -> DeadlineList:
    """The person's deadline list: the reports they are the caseworker of and, for a leader,
    every report of the units they lead; each unmet deadline that is overdue, or due this
    (Monday–Sunday, Oslo) week. One query, whatever the number of reports."""
    today = today or today_in_oslo()
    mine = Q(caseworker=user) | Q(unit_id__in=concern_policy.led_unit_ids(user))
    reports = access.visible(user, _base()).filter(mine).filter(open_clock_q()).order_by("received_at", "pk")
    return split_deadlines(reports, today=today)


# --- Handover gaps (routine 3) ---------------------------------------------------------------


def _activity_q() -> Q:
    """Activity by the contact person on the report's children since measures started: a report
    event (other than the transition itself), a contact logged with one of the children, or a
    meeting about one of them that they took part in."""
    youths = ConcernReportChild.objects.filter(report=OuterRef(OuterRef("pk")), youth__isnull=False).values("youth_id")
    events = ConcernReportEvent.objects.filter(
        report=OuterRef("pk"),
        actor=OuterRef("contact_person"),
        at__date__gte=OuterRef("measures_started_on"),
    ).exclude(action__in=TRANSITION_EVENTS)
    contacts = Contact.objects.filter(
        author=OuterRef("contact_person"),
        youth_id__in=ConcernReportChild.objects.filter(report=OuterRef("pk"), youth__isnull=False).values("youth_id"),
        occurred_at__date__gte=OuterRef("measures_started_on"),
        deleted_at__isnull=True,
    )
    present = MeetingParticipant.objects.filter(
        meeting=OuterRef("pk"), user=OuterRef(OuterRef("contact_person")), present=True
    )
    meetings = Meeting.objects.filter(youth_id__in=youths, starts_at__date__gte=OuterRef("measures_started_on")).filter(
        Exists(present)
    )
    return Q(Exists(events)) | Q(Exists(contacts)) | Q(Exists(meetings))


def handover_gaps_qs(*, today: datetime.date) -> QuerySet[ConcernReport]:
    """Reports in measures whose contact person has had no activity on the children 3 weeks (or
    more) after the measures started."""
    cutoff = today - datetime.timedelta(days=HANDOVER_GAP_DAYS)
    return (
        ConcernReport.objects.filter(
            state=State.MEASURES, measures_started_on__lte=cutoff, contact_person__isnull=False
        )
        .exclude(_activity_q())
        .select_related("unit", "contact_person", "caseworker")
        .order_by("measures_started_on", "pk")
    )


def handover_gaps(*, unit: Unit, today: datetime.date | None = None) -> list[ConcernReport]:
    """The leader's list of a unit's handover gaps (the view checks that the person leads the
    unit: concern_policy.is_leader_of). One query."""
    return list(handover_gaps_qs(today=today or today_in_oslo()).filter(unit=unit))


def handover_gaps_for_leader(*, user: User | AnonymousUser, today: datetime.date | None = None) -> list[ConcernReport]:
    """The handover gaps of every unit the person leads (none for anyone else). One query."""
    return list(handover_gaps_qs(today=today or today_in_oslo()).filter(unit_id__in=concern_policy.led_unit_ids(user)))


@dataclass
class ChildShown:
    child: ConcernReportChild
    shown: bool  # the child's details (identity number, address, phone): consent.policy's word


def report_children_shown(*, user: User | AnonymousUser, report: ConcernReport, channel: str) -> list[ChildShown]:
    """The report's children as `user` may see them, for every output of a report (its page,
    its letters, the KS Fiks export and original): what a report says of a registered youth is
    barnevern information recorded by the report's unit, so the sharing policy decides; what
    was shown is logged as a disclosure on `channel` here, so no output can forget it. A child
    not registered as a youth is shown (the report is the only record of them)."""
    rows = []
    for child in report.children.select_related("youth"):
        if child.youth is None:
            rows.append(ChildShown(child, True))
            continue
        viewer = consent_policy.viewer(user, child.youth)
        shown = viewer.show(Category.BARNEVERN, report.unit)
        disclosure_record(user=user, youth=child.youth, decisions=viewer.shown, channel=channel)
        rows.append(ChildShown(child, shown))
    return rows


def concern_report_output(*, user: Any, report: ConcernReport, channel: str, action: str) -> list[ChildShown]:
    """What one output of a report (its page, a letter) calls: the children as the person may
    see them (report_children_shown, which logs what was disclosed on `channel`) and the read
    audited as `action`, in one call."""
    children = report_children_shown(user=user, report=report, channel=channel)
    audit.record(actor=user, action=action, target=report)
    return children


def guardian_letter_output(*, user: User | AnonymousUser, report: ConcernReport, channel: str) -> list[ChildShown]:
    """What the letter to the guardians shows (concern_report_output, audited as
    concern_report.guardian_letter_printed). Routine 2 first (guardian_output_check): for a
    report about violence or sexual abuse that the guardians may not be told of yet, the refusal
    is audited (concern_report.guardian_output_refused) and PermissionDenied raised with the
    reason, so every guardian-facing output is refused and recorded alike."""
    try:
        guardian_output_check(report=report)
    except PermissionDenied:
        audit.record(actor=user, action="concern_report.guardian_output_refused", target=report)
        raise
    return concern_report_output(
        user=user, report=report, channel=channel, action="concern_report.guardian_letter_printed"
    )


def guardian_letter_refusal(*, report: ConcernReport) -> str:
    """Why no letter may go to the guardians now ("" when one may): guardian_output_check's
    reason (routine 2; a registered child who turned 18 without consenting to involving the
    guardians, consent.policy.guardians_told), for the report's page and API to say in place
    of the letter. A question, with no side effect: the letter itself is refused and audited by
    guardian_letter_output."""
    try:
        guardian_output_check(report=report)
    except PermissionDenied as refusal:
        return str(refusal)
    return ""


@dataclass
class KsFiksExport:
    report: ConcernReport
    document: dict[str, Any]
    variant: str  # offentlig | privat
    withheld: list[int]  # children whose details the sharing policy left out


def ksfiks_export_get(*, user: User | AnonymousUser, pk: int) -> KsFiksExport:
    """Report `pk` as a KS Fiks bekymringsmelding v2 document, for those who may act on it
    (core.access: 404 to others, 403 to a reader). Each registered child's details go out as
    the sharing policy allows (report_children_shown, which logs the disclosures on the export
    channel); the export is audited (concern_report.exported)."""
    report = access.get(
        user,
        ConcernReport.objects.select_related("unit__district", "reporter_user", "reporter_unit"),
        action="act",
        pk=pk,
    )
    children = report_children_shown(user=user, report=report, channel="export")
    withheld = [row.child.pk for row in children if not row.shown]
    document = ksfiks.export_report(report=report, withheld=withheld)
    variant = "offentlig" if report.reporter_kind == ConcernReport.ReporterKind.PUBLIC else "privat"
    audit.record(
        actor=user,
        action="concern_report.exported",
        target=report,
        detail={"format": f"ks_fiks_{variant}_v2", "withheld_children": len(withheld)},
    )
    return KsFiksExport(report=report, document=document, variant=variant, withheld=withheld)


def _withholds_a_child(user: User | AnonymousUser, report: ConcernReport) -> bool:
    """Whether the sharing policy withholds the details of one of the report's registered
    children from `user` (what the sender wrote whole, an original or an attachment, is then
    refused, as the report page withholds those details)."""
    for child in report.children.select_related("youth").filter(youth__isnull=False):
        assert child.youth is not None
        if not consent_policy.viewer(user, child.youth).sees(Category.BARNEVERN, report.unit):
            return True
    return False


def ksfiks_original_get(*, user: User | AnonymousUser, pk: int, channel: str = "view") -> KsFiksDocument:
    """The KS Fiks document report `pk` was imported from, exactly as received, for whoever may
    see the report (core.access with referrals.concerns.policy: 404 for anyone else, and 404 when
    the report did not come through KS Fiks). The original holds everything the sender wrote
    about the children, so when the sharing policy withholds a registered child's details from
    this person (as the report page does), the original is refused with 403; otherwise what it
    discloses of each registered youth is logged (consent.Disclosure) and the read is audited
    (concern_report.ksfiks_original_viewed)."""
    report = access.get(user, _base(), pk=pk)
    original = KsFiksDocument.objects.filter(report=report).first()
    if original is None:
        raise Http404
    if _withholds_a_child(user, report):
        audit.record(actor=user, action="concern_report.ksfiks_original_refused", target=report)
        raise PermissionDenied(
            _("The original holds details about a child that the sharing policy withholds from you.")
        )
    report_children_shown(user=user, report=report, channel=channel)
    audit.record(
        actor=user,
        action="concern_report.ksfiks_original_viewed",
        target=report,
        detail={"sha256": original.sha256, "channel": channel},
    )
    return original


def concern_attachment_get(
    *, user: User | AnonymousUser, pk: int, attachment_pk: int, channel: str = "view"
) -> ConcernReportAttachment:
    """One file sent with report `pk`, for whoever may see the report (core.access with
    referrals.concerns.policy: 404 for anyone else, and for an attachment of another report).
    A file holds whatever the sender wrote about the children, so it is refused with 403 when the
    sharing policy withholds a registered child's details from this person, as the KS Fiks
    original is (ksfiks_original_get); otherwise what it discloses of each registered youth is
    logged (consent.Disclosure) and the read is audited (concern_report.attachment_viewed)."""
    report = access.get(user, _base(), pk=pk)
    attachment = ConcernReportAttachment.objects.filter(report=report, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    if _withholds_a_child(user, report):
        audit.record(
            actor=user,
            action="concern_report.attachment_refused",
            target=report,
            detail={"attachment": attachment.pk, "channel": channel},
        )
        raise PermissionDenied(
            _("The attachment holds details about a child that the sharing policy withholds from you.")
        )
    report_children_shown(user=user, report=report, channel=channel)
    audit.record(
        actor=user,
        action="concern_report.attachment_viewed",
        target=report,
        detail={"attachment": attachment.pk, "channel": channel},
    )
    return attachment
