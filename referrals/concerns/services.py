"""Every write about concern reports (bekymringsmeldinger): receiving a report and each step of
its way under barnevernsloven §§ 2-1 and 2-2 and the four school–barnevern routines (seed 002).

Each service takes the acting person explicitly (`actor`), checks permission first
(referrals.concerns.policy), runs in one transaction with the report's row locked, writes a
ConcernReportEvent (the history the caseworker and the school read) and an audit entry in the
same transaction, and leaves notifications' e-mail to after the commit (core.notifications).
Bad input raises ValidationError with a Norwegian message keyed by field; nothing is half-saved.

The rules held here:
- any staff member may send a report (the duty to report is personal, no leader's approval);
- a report about violence or sexual abuse (routine 2): every guardian starts as "not informed",
  and no guardian-facing letter, document or PDF is made until a caseworker records that the
  guardians may now be told: `guardian_output_check`, which every such output calls first;
- a new report in an active case (routine 4) is linked to a report whose investigation or
  measures are going on, keeps its own clock, and the case's contact person (or caseworker) is
  told at once;
- a report from a school goes to the school's fixed barnevern contact (routine 1) when no
  caseworker is chosen;
- a child is linked to a registered youth only by someone who sees the youth or by barnevern
  staff of the receiving service (concern_report_child_link_check): a school contact who does
  not work with the youth names the child, and the receiving service links them
  (concern_report_child_link);
- the review ends in a closure with a written reason or an investigation; an investigation is
  extended to 6 months only with a written special reason, and concludes in closure or measures
  with a new contact person (routine 3);
- the clocks are referrals.concerns.deadlines'.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Guardian, Youth
from consent import policy as consent_policy
from consent.models import Category
from core import access, audit
from core.dates import oslo_date, today_in_oslo
from core.notifications import notify
from core.validators import DocumentProblem, clean_text, document_type, normalise_national_id, validate_national_id
from core.workflow import actions_open, transition_allowed, transition_check
from org.models import StaffRole, Unit
from org.selectors import staffroles_active
from referrals.concerns import policy as concern_policy
from referrals.models import (
    CONCERN_TRANSITIONS,
    ConcernReport,
    ConcernReportAttachment,
    ConcernReportChild,
    ConcernReportEvent,
    ConcernReportGuardian,
    SchoolContact,
)
from teams.meetings import services as meeting_services
from teams.models import Meeting, MeetingKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

State = ConcernReport.State
Kind = ConcernReport.Kind

# Reports whose case is still going on: a new report can be linked to them (routine 4).
ACTIVE_STATES = (State.RECEIVED, State.INVESTIGATING, State.MEASURES)

MAX_ATTACHMENTS = 10

REPORTER_FIELDS = ("name", "role", "organisation", "org_number", "phone", "email", "address", "relation")
CHILD_FIELDS = (
    "name",
    "national_id",
    "unborn",
    "assumed_age",
    "phone",
    "address",
    "relation",
    "informed",
    "informed_reason",
)
GUARDIAN_FIELDS = ("name", "phone", "informed", "informed_reason")
# Channels of Laget's own forms: they ask why a child or guardian was not told, so the answer is
# required there. Imported, phoned and written reports keep what the reporter gave (KS Fiks does
# not require orientertGrunn).
OWN_FORMS = (ConcernReport.Channel.SCHOOL_FORM, ConcernReport.Channel.LAGET)
FEEDBACK = {
    "receipt": ("receipt_sent_at", "feedback_receipt"),
    "opening": ("opening_feedback_sent_at", "feedback_opening"),
    "conclusion": ("conclusion_feedback_sent_at", "feedback_conclusion"),
}


# --- Helpers ---------------------------------------------------------------------------------


def concern_report_url(report_id: int) -> str:
    """The report's page (the views of another part of the work; a plain path until they exist)."""
    try:
        return reverse("referrals:concern_report_detail", args=[report_id])
    except NoReverseMatch:
        return f"/meldinger/{report_id}/"


def _user(actor: User | AnonymousUser) -> User | None:
    return actor if actor.is_authenticated else None


def _lock(report: ConcernReport) -> ConcernReport:
    return ConcernReport.objects.select_for_update().get(pk=report.pk)


def _require(actor: User | AnonymousUser, report: ConcernReport, action: str = "act") -> None:
    """404 for a report the actor may not see (as core.access does), 403 for one they see but
    may not act on."""
    if not access.can(actor, report):
        raise PermissionDenied
    if not access.can(actor, report, action):
        raise PermissionDenied


def _first_youth_id(report: ConcernReport) -> int | None:
    return (
        ConcernReportChild.objects.filter(report=report, youth__isnull=False)
        .order_by("id")
        .values_list("youth_id", flat=True)
        .first()
    )


def _step(report: ConcernReport, action: str) -> None:
    """Apply CONCERN_TRANSITIONS: ValidationError with its message when the report's state does
    not allow `action`; the report's new state set when the action changes it."""
    target = transition_check(CONCERN_TRANSITIONS, action, report.state)
    if target is not None:
        report.state = target


def available_actions(report: ConcernReport) -> list[str]:
    """The steps the report's state (and its facts) open now, by CONCERN_TRANSITIONS: what the
    report's page offers and the API lists. Whether a person may take them is core.access's word
    ("act"); assigning a caseworker is open in every state, to whoever may "assign"."""
    actions = actions_open(CONCERN_TRANSITIONS, report.state)
    if report.investigation_extended and "extend" in actions:
        actions.remove("extend")
    if report.is_violence and not report.guardians_may_be_told:
        actions.append("guardians")
    return actions


def feedback_open(report: ConcernReport) -> list[str]:
    """The feedback to the reporter not yet recorded that may be recorded now (FEEDBACK keys)."""
    public = report.reporter_kind == ConcernReport.ReporterKind.PUBLIC
    wanted = {
        "receipt": report.receipt_sent_at is None,
        "opening": public
        and report.opening_feedback_sent_at is None
        and transition_allowed(CONCERN_TRANSITIONS, "feedback_opening", report.state),
        "conclusion": public
        and report.conclusion_feedback_sent_at is None
        and report.investigation_concluded_on is not None,
    }
    return [which for which in FEEDBACK if wanted[which]]


def _event(report: ConcernReport, *, actor: User | AnonymousUser, action: str, note: str = "") -> ConcernReportEvent:
    return ConcernReportEvent.objects.create(report=report, action=action, note=note, actor=_user(actor))


def _audit(
    report: ConcernReport, *, actor: User | AnonymousUser, action: str, detail: dict[str, Any] | None = None
) -> None:
    audit.record(
        actor=actor,
        action=f"concern_report.{action}",
        target=report,
        youth=_first_youth_id(report),
        detail={"state": report.state, "kind": report.kind, **(detail or {})},
    )


def _notify(*, recipient: Any, report: ConcernReport, kind: str, key: str, title: str, body: str) -> None:
    """A notification that names the kind of report and the date, never the child: the e-mail
    leaves the municipality's systems (core.notifications)."""
    if recipient is None or not recipient.is_active:
        return
    notify(
        recipient=recipient,
        kind=kind,
        key=key,
        title=title[:200],
        body=body,
        url=concern_report_url(report.pk),
    )


def _received(report: ConcernReport) -> str:
    day = oslo_date(report.received_at)
    return f"{day.day}.{day.month}.{day.year}"


def guardian_output_check(*, report: ConcernReport, at: datetime.datetime | None = None) -> None:
    """No letter, document or PDF meant for the guardians when they may not be told (at `at`,
    now by default). Every guardian-facing output calls this first.

    - Routine 2: about a report of violence or sexual abuse, not before a caseworker has
      recorded that the guardians may now be told.
    - From a registered child's 18th birthday (00:00 Oslo time), not unless the youth has
      consented to involving the guardians (consent.policy.guardians_told, the one rule)."""
    if not report.guardians_may_be_told:
        raise PermissionDenied(
            _(
                "This report is about violence or sexual abuse. Nothing may be sent or shown to the "
                "guardians before a caseworker has recorded that they may now be told."
            )
        )
    youths = [child.youth for child in report.children.select_related("youth") if child.youth is not None]
    told = consent_policy.guardians_told_many(youths, at=at)
    for youth in youths:
        if not told[youth.pk]:
            raise PermissionDenied(consent_policy.guardians_not_told_reason(youth))


def _barnevern_staff(user: User | AnonymousUser, unit: Unit, roles: Sequence[str] = concern_policy.CASE_ROLES) -> bool:
    return bool(
        user is not None
        and user.is_active
        and staffroles_active(user=user).filter(unit=unit, role__in=list(roles)).exists()
    )


def school_contact_for(*, school: Unit | None, barnevern_unit: Unit, on: datetime.date | None = None) -> Any:
    """The school's fixed barnevern contact in force in this barnevern unit (routine 1), or None."""
    if school is None:
        return None
    day = on or today_in_oslo()
    found = (
        SchoolContact.objects.filter(school=school, barnevern_unit=barnevern_unit, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .select_related("contact")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if found is None or not found.contact.is_active:
        return None
    return found.contact


# --- Receiving a report ----------------------------------------------------------------------


def attachment_check(upload: UploadedFile) -> str:
    """The content type of a PDF, PNG or JPEG attachment of at most 10 MB, recognised by its
    content (core.validators.document_type); a ValidationError otherwise. The school's form asks
    the same before the service does (referrals.concerns.forms)."""
    name = upload.name or ""
    found = document_type(upload)
    if found == DocumentProblem.TOO_LARGE:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
    if found == DocumentProblem.NAME_MISMATCH:
        raise ValidationError(
            _("The name of %(name)s does not match its content. Attach PDF, PNG or JPEG files.") % {"name": name}
        )
    if isinstance(found, DocumentProblem):
        raise ValidationError(_("%(name)s is not a PDF, PNG or JPEG file.") % {"name": name})
    return found


def _check_attachment(upload: UploadedFile) -> str:
    try:
        return attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None


def _child(row: Mapping[str, Any], *, number: int, own_form: bool, errors: list[str]) -> ConcernReportChild:
    youth = row.get("youth")
    if youth is not None and not isinstance(youth, Youth):
        youth = None
    name = clean_text(row.get("name")) or (youth.display_name if youth is not None else "")
    national_id = normalise_national_id(clean_text(row.get("national_id")))
    informed = row.get("informed")
    if informed is not None:
        informed = bool(informed)
    child = ConcernReportChild(
        youth=youth,
        name=name[:200],
        national_id=national_id,
        unborn=bool(row.get("unborn") or False),
        assumed_age=clean_text(row.get("assumed_age"))[:20],
        phone=clean_text(row.get("phone"))[:40],
        address=dict(row.get("address") or {}),
        relation=clean_text(row.get("relation"))[:200],
        informed=informed,
        informed_reason=clean_text(row.get("informed_reason")),
    )
    label = _("Child %(number)s") % {"number": number}
    if not child.name:
        errors.append(_("%(label)s: write the child's name.") % {"label": label})
    if national_id:
        try:
            validate_national_id(national_id)
        except ValidationError as error:
            errors.extend(f"{label}: {message}" for message in error.messages)
    if own_form and informed is False and not child.informed_reason:
        errors.append(_("%(label)s: write why the child has not been told about the report.") % {"label": label})
    return child


def _guardian(
    row: Mapping[str, Any], *, number: int, own_form: bool, violence: bool, errors: list[str]
) -> ConcernReportGuardian:
    guardian = row.get("guardian")
    if guardian is not None and not isinstance(guardian, Guardian):
        guardian = None
    name = clean_text(row.get("name")) or (str(guardian) if guardian is not None else "")
    informed = bool(row.get("informed") or False)
    reason = clean_text(row.get("informed_reason"))
    label = _("Guardian %(number)s") % {"number": number}
    if violence:
        # Routine 2: the guardians are not told before barnevern has acted, whatever the form said.
        informed = False
        reason = reason or _(
            "The report is about violence or sexual abuse: the guardians are not told before barnevern has acted."
        )
    if not name:
        errors.append(_("%(label)s: write the guardian's name.") % {"label": label})
    if own_form and not informed and not reason:
        errors.append(_("%(label)s: write why the guardian has not been told about the report.") % {"label": label})
    return ConcernReportGuardian(
        guardian=guardian,
        name=name[:200],
        phone=clean_text(row.get("phone"))[:40],
        informed=informed,
        informed_reason=reason,
    )


# Reports that came in by phone or letter are registered by the receiving service on the
# reporter's behalf.
REGISTERED_ON_BEHALF = frozenset({ConcernReport.Channel.PHONE, ConcernReport.Channel.LETTER})


def concern_report_receiver_check(
    *,
    actor: User | AnonymousUser,
    unit: Any,
    reporter_user: Any = None,
    reporter_unit: Unit | None = None,
    channel: str = "",
) -> None:
    """Who may receive a concern report, into which service, for whom: anyone with a role in
    force (the duty to report is personal: concern_policy.may_report), into an active barnevern
    service; on someone else's behalf (another person in Laget, or a report that came by phone
    or letter) only that service's barnevern staff; a reporter who sends it from Laget for a
    service where they hold a role in force. PermissionDenied, or ValidationError by field.
    Asked by concern_report_receive, and by the demo data of every report before its bulk save."""
    if not concern_policy.may_report(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not isinstance(unit, Unit) or unit.kind != Unit.Kind.BARNEVERN or not unit.is_active:
        errors["unit"] = [_("Choose the barnevern service that receives the report.")]
    on_behalf = (reporter_user is not None and reporter_user != _user(actor)) or channel in REGISTERED_ON_BEHALF
    if on_behalf and "unit" not in errors and not _barnevern_staff(actor, unit):
        # Only the receiving service's barnevern staff register a report on someone else's behalf.
        raise PermissionDenied
    if (
        reporter_unit is not None
        and reporter_user is not None
        and not staffroles_active(user=reporter_user).filter(unit=reporter_unit).exists()
    ):
        errors["reporter_unit"] = [_("The reporter has no role in force in %(unit)s.") % {"unit": reporter_unit}]
    if errors:
        raise ValidationError(errors)


def concern_report_child_link_check(*, actor: User | AnonymousUser, unit: Any, youth: Youth) -> None:
    """Who may link a child a concern report names to a registered youth: whoever sees the youth
    (core.access), or barnevern staff of the receiving service, who identify the child in their
    work. A link reveals that the youth is registered in Laget, so no one else may make it: a
    school contact who does not work with the youth writes the child's name and identity number,
    and the receiving service links them (concern_report_child_link). PermissionDenied. Asked by
    concern_report_receive of each linked child, by concern_report_child_link, and by the demo
    data of every linked child before its bulk save."""
    if not (access.can(actor, youth) or (isinstance(unit, Unit) and _barnevern_staff(actor, unit))):
        raise PermissionDenied


@transaction.atomic
def concern_report_receive(
    *,
    actor: User | AnonymousUser,
    unit: Unit,
    channel: str,
    reporter_kind: str,
    reporter: Mapping[str, Any],
    children: Sequence[Mapping[str, Any]],
    guardians: Sequence[Mapping[str, Any]],
    kind: str,
    concern: str,
    history: str = "",
    other_views: str = "",
    interpreter_need: str = "",
    other_agencies: str = "",
    active_case: ConcernReport | None = None,
    received_at: datetime.datetime | None = None,
    sent_at: datetime.datetime | None = None,
    delivery_channel: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> ConcernReport:
    """Receive a concern report to a barnevern unit (any channel) and start its clocks.

    Anyone with a role in force may call it: the duty to report is personal. `reporter` holds
    the reporter's details (the ConcernReport reporter_* fields without the prefix, and
    optionally `user` and `unit`: the person and service who sent it from Laget); `children`
    and `guardians` the ConcernReportChild / ConcernReportGuardian fields ("youth" a Youth,
    "guardian" a cases Guardian). See the module docstring for the routines applied."""
    reporter_user = reporter.get("user")
    reporter_unit = reporter.get("unit")
    if reporter_unit is not None and not isinstance(reporter_unit, Unit):
        reporter_unit = None
    now = timezone.now()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        concern_report_receiver_check(
            actor=actor, unit=unit, reporter_user=reporter_user, reporter_unit=reporter_unit, channel=channel
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                add(field, message)
    if channel not in ConcernReport.Channel.values:
        add("channel", _("Choose how the report came in."))
    if reporter_kind not in ConcernReport.ReporterKind.values:
        add("reporter_kind", _("Choose whether the reporter is public or private."))
    if kind not in Kind.values:
        add("kind", _("Choose the type of report."))

    details = {field: reporter.get(field) for field in REPORTER_FIELDS}
    reporter_name = clean_text(details["name"])
    if not reporter_name:
        add("reporter_name", _("Write the reporter's name."))
    email = clean_text(details["email"])
    if email and ("@" not in email or len(email) > 254):
        add("reporter_email", _("Write a valid e-mail address."))
    if reporter_kind == ConcernReport.ReporterKind.PUBLIC and not clean_text(details["organisation"]):
        add("reporter_organisation", _("Write the service or organisation the public reporter works for."))
    address = details["address"] or {}
    if not isinstance(address, Mapping):
        address = {}

    concern = clean_text(concern)
    if not concern:
        add("concern", _("Write what the concern is."))

    if received_at is None:
        received_at = now
    elif received_at > now + datetime.timedelta(minutes=5):
        add("received_at", _("The report cannot be received in the future."))
    if sent_at is not None and sent_at > now + datetime.timedelta(minutes=5):
        add("sent_at", _("The report cannot be sent in the future."))

    violence = kind == Kind.VIOLENCE
    if kind == Kind.ACTIVE_CASE and active_case is None:
        add("active_case", _("Choose the active case this new report belongs to."))
    if active_case is not None:
        # Read the case as it is now, locked while the new report is linked to it.
        active_case = (
            ConcernReport.objects.select_for_update(of=("self",))
            .select_related("contact_person", "caseworker")
            .get(pk=active_case.pk)
        )
        if not isinstance(unit, Unit) or active_case.unit_id != unit.pk:
            add("active_case", _("The active case belongs to another barnevern service."))
        elif active_case.state not in ACTIVE_STATES:
            add("active_case", _("That case is closed. Register the report as a new concern report."))

    own_form = channel in OWN_FORMS
    child_errors: list[str] = []
    if not children:
        child_errors.append(_("Name at least one child the report is about."))
    child_rows = [
        _child(row, number=number, own_form=own_form, errors=child_errors) for number, row in enumerate(children, 1)
    ]
    for row in child_rows:
        if row.youth is not None:
            concern_report_child_link_check(actor=actor, unit=unit, youth=row.youth)
    if child_errors:
        errors["children"] = child_errors

    guardian_errors: list[str] = []
    if reporter_kind == ConcernReport.ReporterKind.PUBLIC and not guardians:
        guardian_errors.append(_("Name at least one guardian (a public reporter's report names them)."))
    guardian_rows = [
        _guardian(row, number=number, own_form=own_form, violence=violence, errors=guardian_errors)
        for number, row in enumerate(guardians, 1)
    ]
    if guardian_errors:
        errors["guardians"] = guardian_errors

    if len(attachments) > MAX_ATTACHMENTS:
        add("attachments", _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
    content_types: list[str] = []
    for upload in attachments:
        try:
            content_types.append(_check_attachment(upload))
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)

    if errors:
        raise ValidationError(errors)

    report = ConcernReport(
        unit=unit,
        received_at=received_at,
        channel=channel,
        kind=kind,
        active_case=active_case,
        reporter_kind=reporter_kind,
        reporter_name=reporter_name[:200],
        reporter_role=clean_text(details["role"])[:200],
        reporter_organisation=clean_text(details["organisation"])[:200],
        reporter_org_number=clean_text(details["org_number"])[:20],
        reporter_phone=clean_text(details["phone"])[:40],
        reporter_email=email,
        reporter_address=dict(address),
        reporter_relation=clean_text(details["relation"])[:200],
        reporter_user=reporter_user,
        reporter_unit=reporter_unit,
        concern=concern,
        history=clean_text(history),
        other_views=clean_text(other_views),
        interpreter_need=clean_text(interpreter_need)[:300],
        other_agencies=clean_text(other_agencies),
        sent_at=sent_at,
        delivery_channel=clean_text(delivery_channel)[:100],
        created_by=_user(actor),
    )
    if reporter_unit is not None and reporter_unit.kind == Unit.Kind.SCHOOL:
        report.caseworker = school_contact_for(school=reporter_unit, barnevern_unit=unit)
    report.save()
    for child in child_rows:
        child.report = report
    ConcernReportChild.objects.bulk_create(child_rows)
    for guardian in guardian_rows:
        guardian.report = report
    ConcernReportGuardian.objects.bulk_create(guardian_rows)
    for upload, content_type in zip(attachments, content_types, strict=True):
        ConcernReportAttachment.objects.create(
            report=report,
            file=upload,
            filename=(upload.name or "vedlegg")[-200:],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=_user(actor),
        )
    _event(report, actor=actor, action="received", note=report.get_channel_display())
    _audit(
        report,
        actor=actor,
        action="received",
        detail={
            "channel": channel,
            "children": len(child_rows),
            "guardians": len(guardian_rows),
            "attachments": len(content_types),
            "active_case": active_case.pk if active_case else None,
            "caseworker": report.caseworker_id,
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        if report.caseworker is not None:
            _notify(
                recipient=report.caseworker,
                report=report,
                kind="concern_report",
                key=f"concern_report:{report.pk}:assigned:{report.caseworker_id}",
                title=_("New concern report for you (received %(date)s)") % {"date": _received(report)},
                body=_("A concern report from a school you are the barnevern contact for. Review it within 7 days."),
            )
        if active_case is not None:
            recipient = active_case.contact_person or active_case.caseworker
            _notify(
                recipient=recipient,
                report=report,
                kind="concern_report",
                key=f"concern_report:{report.pk}:active_case",
                title=_("New concern report in a case you work on (received %(date)s)") % {"date": _received(report)},
                body=_(
                    "A new concern report has come in about a case whose investigation or measures are going on. "
                    "It has its own deadlines."
                ),
            )
    return report


# --- The review: closed without investigation, or an investigation --------------------------


def _decided(report: ConcernReport, *, actor: User, action: str) -> None:
    _step(report, action)
    report.reviewed_at = timezone.now()
    report.reviewed_by = _user(actor)


@transaction.atomic
def concern_report_close_uninvestigated(*, actor: User, report: ConcernReport, reason: str) -> ConcernReport:
    """The review finds no reason to investigate (§ 2-1): closed, with the written reason."""
    _require(actor, report)
    report = _lock(report)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Write why the report is closed without investigation.")})
    _decided(report, actor=actor, action="close")
    report.closing_reason = reason
    report.save(update_fields=["reviewed_at", "reviewed_by", "closing_reason", "state"])
    _event(report, actor=actor, action="closed_uninvestigated", note=reason)
    _audit(report, actor=actor, action="closed_uninvestigated")
    return report


@transaction.atomic
def concern_report_open_investigation(
    *, actor: User, report: ConcernReport, started_on: datetime.date | None = None
) -> ConcernReport:
    """The review opens an investigation (§ 2-2) on `started_on` (today by default; not before
    the report was received, not in the future). Its 3-month clock runs from the day the report
    was RECEIVED, not from `started_on` (referrals.concerns.deadlines.investigation_due)."""
    _require(actor, report)
    report = _lock(report)
    today = today_in_oslo()
    started_on = started_on or today
    if started_on > today:
        raise ValidationError({"started_on": _("The investigation cannot start in the future.")})
    if started_on < oslo_date(report.received_at):
        raise ValidationError({"started_on": _("The investigation cannot start before the report was received.")})
    _decided(report, actor=actor, action="open")
    report.investigation_started_on = started_on
    report.save(update_fields=["reviewed_at", "reviewed_by", "investigation_started_on", "state"])
    _event(report, actor=actor, action="investigation_opened", note=started_on.isoformat())
    _audit(report, actor=actor, action="investigation_opened", detail={"started_on": started_on.isoformat()})
    return report


@transaction.atomic
def concern_report_extend_investigation(*, actor: User, report: ConcernReport, reason: str) -> ConcernReport:
    """Extend the investigation to 6 months, only with a written special reason (§ 2-2)."""
    _require(actor, report)
    report = _lock(report)
    reason = clean_text(reason)
    _step(report, "extend")
    if report.investigation_extended:
        raise ValidationError(_("The investigation has already been extended to 6 months."))
    if not reason:
        raise ValidationError({"reason": _("Write the special reason for extending the investigation to 6 months.")})
    report.investigation_extended = True
    report.extension_reason = reason
    report.save(update_fields=["investigation_extended", "extension_reason"])
    _event(report, actor=actor, action="investigation_extended", note=reason)
    _audit(report, actor=actor, action="investigation_extended")
    return report


def _check_contact_person(report: ConcernReport, contact_person: Any) -> None:
    if contact_person is None:
        raise ValidationError({"contact_person": _("Measures need a new contact person.")})
    if (
        not contact_person.is_active
        or not staffroles_active(user=contact_person)
        .filter(unit__kind=Unit.Kind.BARNEVERN)
        .exclude(role=StaffRole.Role.ADMINISTRATOR)
        .exists()
    ):
        raise ValidationError(
            {"contact_person": _("%(name)s has no role in force in a barnevern service.") % {"name": contact_person}}
        )


@transaction.atomic
def concern_report_conclude(
    *,
    actor: User | AnonymousUser,
    report: ConcernReport,
    measures: bool,
    conclusion: str,
    contact_person: Any = None,
    measures_started_on: datetime.date | None = None,
    concluded_on: datetime.date | None = None,
) -> ConcernReport:
    """Conclude the investigation: closed, or measures with a new contact person (routine 3) from
    `measures_started_on` (today by default). The new contact person is told; their first three
    weeks are watched for a gap (referrals.concerns.reminders.handover_gaps)."""
    _require(actor, report)
    report = _lock(report)
    today = today_in_oslo()
    concluded_on = concluded_on or today
    conclusion = clean_text(conclusion)
    _step(report, "conclude_measures" if measures else "conclude")
    if report.investigation_started_on is None:  # an investigation has its start (a constraint)
        raise ValidationError(_("Only an ongoing investigation can be concluded."))
    errors: dict[str, str] = {}
    if not conclusion:
        errors["conclusion"] = _("Write the conclusion of the investigation.")
    if concluded_on > today:
        errors["concluded_on"] = _("The investigation cannot be concluded in the future.")
    elif concluded_on < report.investigation_started_on:
        errors["concluded_on"] = _("The investigation cannot be concluded before it started.")
    if measures:
        measures_started_on = measures_started_on or concluded_on
        if measures_started_on < report.investigation_started_on:
            errors["measures_started_on"] = _("Measures cannot start before the investigation.")
        try:
            _check_contact_person(report, contact_person)
        except ValidationError as error:
            errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    report.investigation_concluded_on = concluded_on
    report.conclusion = conclusion
    fields = ["investigation_concluded_on", "conclusion", "state"]
    if measures:
        report.contact_person = contact_person
        report.measures_started_on = measures_started_on
        fields += ["contact_person", "measures_started_on"]
    report.save(update_fields=fields)
    _event(report, actor=actor, action="measures" if measures else "concluded", note=conclusion)
    _audit(
        report,
        actor=actor,
        action="concluded",
        detail={
            "measures": measures,
            "contact_person": report.contact_person_id,
            "concluded_on": concluded_on.isoformat(),
        },
    )
    if measures and measures_started_on is not None:
        with translation.override(settings.LANGUAGE_CODE):
            _notify(
                recipient=contact_person,
                report=report,
                kind="concern_report",
                key=f"concern_report:{report.pk}:contact_person:{contact_person.pk}",
                title=_("You are the new contact person for measures (from %(date)s)")
                % {"date": f"{measures_started_on.day}.{measures_started_on.month}.{measures_started_on.year}"},
                body=_(
                    "An investigation ended in measures and you are the new contact person. Propose a handover "
                    "meeting, and be in touch with the child within 3 weeks."
                ),
            )
    return report


# --- Violence or abuse, feedback, assignment -------------------------------------------------


@transaction.atomic
def concern_report_guardians_may_be_told(*, actor: User, report: ConcernReport, note: str) -> ConcernReport:
    """Routine 2: a caseworker records that barnevern has acted and the guardians may now be told
    about a report of violence or sexual abuse. From then on guardian-facing outputs are allowed."""
    _require(actor, report)
    report = _lock(report)
    note = clean_text(note)
    if not report.is_violence:
        raise ValidationError(_("Only a report about violence or sexual abuse keeps the guardians uninformed."))
    if report.guardians_may_be_told_at is not None:
        raise ValidationError(_("It has already been recorded that the guardians may be told."))
    if not note:
        raise ValidationError({"note": _("Write what barnevern has done, so that the guardians may now be told.")})
    report.guardians_may_be_told_at = timezone.now()
    report.guardians_may_be_told_by = _user(actor)
    report.save(update_fields=["guardians_may_be_told_at", "guardians_may_be_told_by"])
    _event(report, actor=actor, action="guardians_may_be_told", note=note)
    _audit(report, actor=actor, action="guardians_may_be_told")
    return report


def concern_report_feedback_check(
    *,
    report: ConcernReport,
    which: str,
    sent_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> datetime.datetime:
    """When feedback to the reporter may be recorded (§ 2-1 last paragraph): each once; whether
    an investigation was opened only to a public reporter, once the review allows it
    (CONCERN_TRANSITIONS' "feedback_opening"); that the investigation has ended only once it
    has; sent after the report was received and not in the future (`now`, the clock). Returns
    when it was sent (now, unless said). Asked by concern_report_feedback_sent, and by the demo
    data of every feedback it records, of the report as it was then."""
    if which not in FEEDBACK:
        raise ValidationError({"which": _("Choose which feedback was sent.")})
    field, _action = FEEDBACK[which]
    if getattr(report, field) is not None:
        raise ValidationError({"which": _("This feedback has already been recorded.")})
    if which == "opening":
        if report.reporter_kind != ConcernReport.ReporterKind.PUBLIC:
            raise ValidationError({"which": _("Only a public reporter is told whether an investigation was opened.")})
        if not transition_allowed(CONCERN_TRANSITIONS, "feedback_opening", report.state):
            raise ValidationError({"which": str(CONCERN_TRANSITIONS["feedback_opening"].refused)})
    if which == "conclusion" and report.investigation_concluded_on is None:
        raise ValidationError({"which": _("The investigation has not ended yet.")})
    now = now or timezone.now()
    sent_at = sent_at or now
    if sent_at > now + datetime.timedelta(minutes=5) or sent_at < report.received_at:
        raise ValidationError(
            {"sent_at": _("The feedback must be sent after the report was received, and not in the future.")}
        )
    return sent_at


@transaction.atomic
def concern_report_feedback_sent(
    *, actor: User, report: ConcernReport, which: str, sent_at: datetime.datetime | None = None
) -> ConcernReport:
    """Record feedback to the reporter (§ 2-1 last paragraph): the receipt; for a public reporter
    whether an investigation was opened (after the review); that the investigation has ended
    (after it is concluded). Each once."""
    _require(actor, report)
    report = _lock(report)
    sent_at = concern_report_feedback_check(report=report, which=which, sent_at=sent_at)
    field, action = FEEDBACK[which]
    setattr(report, field, sent_at)
    report.save(update_fields=[field])
    _event(report, actor=actor, action=action)
    _audit(report, actor=actor, action="feedback_sent", detail={"which": which})
    return report


@transaction.atomic
def concern_report_child_link(
    *, actor: User, report: ConcernReport, child: ConcernReportChild, youth: Youth
) -> ConcernReport:
    """Link a child the report names to the registered youth they are, after the report came in:
    the receiving service's work when the reporter could not make the link (a school contact who
    does not work with the youth names the child; the school's fixed contact identifies them).
    Whoever may act on the report and passes concern_report_child_link_check; the child must be
    this report's and not yet another youth's, and a child given with an identity number is
    linked only to the youth with that number. An event and an audit entry; the reporter is not
    told (the link reveals that the youth is registered). Linking the same youth again changes
    nothing."""
    _require(actor, report)
    report = _lock(report)
    concern_report_child_link_check(actor=actor, unit=report.unit, youth=youth)
    found = ConcernReportChild.objects.select_for_update().filter(pk=child.pk, report=report).first()
    if found is None:
        raise ValidationError({"child": _("The child is not named in this report.")})
    if found.youth_id == youth.pk:
        return report
    if found.youth_id is not None:
        raise ValidationError({"child": _("The child is already linked to another registered youth.")})
    if found.national_id and normalise_national_id(found.national_id) != normalise_national_id(youth.national_id):
        raise ValidationError(
            {"youth": _("The youth's national identity number is not the one the report gives for the child.")}
        )
    found.youth = youth
    found.save(update_fields=["youth"])
    _event(report, actor=actor, action="child_linked", note=found.name)
    _audit(report, actor=actor, action="child_linked", detail={"child": found.pk, "youth": youth.pk})
    return report


def _handover_invitees(report: ConcernReport, youth: Youth) -> list[Any]:
    """The new contact person, the previous caseworker and, only when the sharing policy lets the
    school see barnevern information about the youth, the school's reporter."""
    invite: list[Any] = [p for p in (report.contact_person, report.caseworker) if p is not None]
    reporter = report.reporter_user
    if (
        reporter is not None
        and report.reporter_unit is not None
        and report.reporter_unit.kind == Unit.Kind.SCHOOL
        and consent_policy.decide(reporter, youth, Category.BARNEVERN).allowed
    ):
        invite.append(reporter)
    return invite


@transaction.atomic
def concern_report_handover_plan(
    *,
    actor: User,
    report: ConcernReport,
    youth: Any,
    starts_at: datetime.datetime,
    minutes: int,
    place: str = "",
) -> Meeting:
    """Propose the handover meeting after the transition to measures (routine 3): a teams meeting
    of kind HANDOVER about one of the report's registered children, planned by
    teams.meetings.services.meeting_plan, inviting the new contact person, the previous
    caseworker and, when the sharing policy lets the school see barnevern information about the
    child, the school's reporter. Only while the report is in measures (CONCERN_TRANSITIONS'
    "handover"); a person who may not plan meetings about the youth is told whom to ask
    (ValidationError, the form's to show)."""
    _require(actor, report)
    transition_check(CONCERN_TRANSITIONS, "handover", report.state)
    if not isinstance(youth, Youth) or not report.children.filter(youth=youth).exists():
        raise ValidationError({"youth": _("Choose one of the children the concern report is about.")})
    try:
        with transaction.atomic():
            return meeting_services.meeting_plan(
                actor=actor,
                kind=MeetingKind.HANDOVER,
                unit=report.unit,
                youth=youth,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=minutes),
                place=place,
                invite=_handover_invitees(report, youth),
            )
    except PermissionDenied:
        raise ValidationError(
            _(
                "You may not plan meetings about this youth. Ask whoever holds lead responsibility in the "
                "youth's team, or join the team first."
            )
        ) from None


def concern_report_assign_check(*, actor: User, report: ConcernReport, caseworker: Any) -> None:
    """Who may be given a report, and by whom: a caseworker or leader of the report's barnevern
    unit (concern_policy.CASE_ROLES), chosen by a leader of the unit, or a caseworker taking an
    unassigned report themself. Asked by concern_report_assign, and by the demo data of every
    report's caseworker before its bulk save (of the report before it was assigned)."""
    if caseworker is None or not _barnevern_staff(caseworker, report.unit):
        raise ValidationError({"caseworker": _("Choose a caseworker of %(unit)s.") % {"unit": report.unit}})
    if not concern_policy.is_leader_of(actor, report.unit_id) and (
        caseworker.pk != actor.pk or report.caseworker_id is not None
    ):
        raise PermissionDenied


@transaction.atomic
def concern_report_assign(*, actor: User, report: ConcernReport, caseworker: Any) -> ConcernReport:
    """Choose the report's caseworker: a caseworker or leader of the report's unit. A leader
    assigns anyone; a caseworker may take an unassigned report themselves."""
    _require(actor, report, "assign")
    report = _lock(report)
    concern_report_assign_check(actor=actor, report=report, caseworker=caseworker)
    if report.caseworker_id == caseworker.pk:
        return report
    previous = report.caseworker_id
    report.caseworker = caseworker
    report.save(update_fields=["caseworker"])
    _event(report, actor=actor, action="assigned", note=str(caseworker))
    _audit(report, actor=actor, action="assigned", detail={"caseworker": caseworker.pk, "previous": previous})
    if caseworker.pk != actor.pk:
        with translation.override(settings.LANGUAGE_CODE):
            _notify(
                recipient=caseworker,
                report=report,
                kind="concern_report",
                key=f"concern_report:{report.pk}:assigned:{caseworker.pk}",
                title=_("A concern report was assigned to you (received %(date)s)") % {"date": _received(report)},
                body=_("You are the caseworker for a concern report. Its deadlines are in your deadline list."),
            )
    return report
