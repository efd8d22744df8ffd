"""The concern-report pages (bekymringsmeldinger), mounted at /meldinger/ (referrals/urls.py).

- /meldinger/ny/: any staff member sends a report (the duty to report is personal: no leader's
  approval), on a form that mirrors the KS Fiks fields; barnevern staff also register reports
  received by phone or letter, and new reports in an active case.
- /meldinger/sendt/ and /meldinger/sendt/<pk>/: the reporter (a school contact, say) sees the
  reports they sent with the receipt and the feedback only
  (referrals.concerns.selectors.report_for_reporter), never the case.
- /meldinger/innkommende/, /meldinger/frister/, /meldinger/<pk>/: barnevern's inbox, deadline
  list and the whole report, through core.access (404 for anyone outside, 403 for an action the
  person may not take), with the action forms (POST) and the letters (PDF).

Thin views (STYLE.md): reads through core.access and the selectors, every write through
referrals.concerns.services, whose ValidationErrors come back on the form with status 400 and
everything typed kept. A report about violence or abuse carries a banner on every page until a
caseworker records that the guardians may be told, and every guardian-facing output goes through
concern_selectors.guardian_letter_output (concern_services.guardian_output_check, the refusal
audited).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch, QuerySet
from django.forms import BaseForm
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Youth
from core import access
from core.dates import oslo_date, today_in_oslo
from core.forms import add_service_errors
from core.models import User
from core.pdf import pdf_response, render_pdf
from org.models import StaffRole, Unit
from org.selectors import staffroles_active
from referrals.concerns import (
    deadlines,
    ksfiks,
)
from referrals.concerns import (
    policy as concern_policy,
)
from referrals.concerns import (
    selectors as concern_selectors,
)
from referrals.concerns import (
    services as concern_services,
)
from referrals.concerns.forms import (
    FEEDBACK_CHOICES,
    AssignForm,
    ChildFormSet,
    ConcernReportForm,
    ConcludeForm,
    FeedbackForm,
    GuardianFormSet,
    HandoverForm,
    IntakeReferralForm,
    KsFiksImportForm,
    LinkChildForm,
    NoteForm,
    OpenInvestigationForm,
    ReasonForm,
    grow,
)
from referrals.intake import services as intake_services
from referrals.models import ConcernReport, ConcernReportChild, KsFiksDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

State = ConcernReport.State
Kind = ConcernReport.Kind
OPEN_STATES = (State.RECEIVED, State.INVESTIGATING)
ACTIVE_STATES = concern_services.ACTIVE_STATES


def _conflict() -> str:
    return _("The report was changed by someone else at the same time. Look at it again and retry.")


# --- Reads (through core.access; the read of a whole report is audited) ----------------------


def _reports() -> QuerySet[ConcernReport]:
    return ConcernReport.objects.select_related(
        "unit__district", "caseworker", "contact_person", "reporter_unit", "active_case", "guardians_may_be_told_by"
    )


def _report(request: HttpRequest, pk: int, *, action: str = access.VIEW) -> ConcernReport:
    return concern_selectors.concern_report_get(user=request.user, pk=pk, action=action)


def _barnevern_units() -> QuerySet[Unit]:
    return concern_selectors.concern_report_receiving_units()


def _is_barnevern_staff(user: User | AnonymousUser) -> bool:
    return concern_selectors.is_barnevern_staff(user=user)


def _home_role(user: User | AnonymousUser) -> StaffRole | None:
    """The role the person reports for: a school first (the school's form), then any unit."""
    return concern_selectors.concern_report_reporter_role(user=user)


def _assignable(user: User | AnonymousUser, report: ConcernReport) -> QuerySet[User]:
    """A leader gives the report to anyone in the unit; a caseworker takes it themselves."""
    return concern_selectors.concern_report_assignable(user=user, report=report)


def _barnevern_people() -> QuerySet[User]:
    """Staff of any barnevern service: the new contact person may work in the measures department."""
    return concern_selectors.concern_report_contact_people()


def _school_contact(report: ConcernReport) -> User | None:
    """The fixed barnevern contact person of the school that sent the report (routine 1)."""
    unit = report.reporter_unit
    if unit is None or unit.kind != Unit.Kind.SCHOOL:
        return None
    contact: User | None = concern_services.school_contact_for(school=unit, barnevern_unit=report.unit)
    return contact


# --- Send a report -------------------------------------------------------------------------


@dataclass
class NewReportPage:
    form: ConcernReportForm
    children: Any
    guardians: Any
    errors: list[str] = field(default_factory=list)

    def context(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "children": self.children,
            "guardians": self.guardians,
            "violence": self.form.is_violence or self.form.initial.get("kind") == Kind.VIOLENCE,
            "errors": self.errors,
        }


def _initial(user: User | AnonymousUser, role: StaffRole | None) -> dict[str, Any]:
    user = access.signed_in(user)
    initial: dict[str, Any] = {
        "kind": Kind.ORDINARY,
        "reporter_name": user.full_name,
        "reporter_email": user.email,
        "reporter_phone": user.phone,
        "channel": ConcernReport.Channel.LAGET,
        "reporter_kind": ConcernReport.ReporterKind.PUBLIC,
    }
    if role is not None:
        initial["reporter_role"] = role.title or role.get_role_display()
        initial["reporter_organisation"] = role.unit.name
        if not user.phone and role.unit.phone:
            initial["reporter_phone"] = role.unit.phone
        district = role.unit.district_id
        if district is not None:
            initial["unit"] = _barnevern_units().filter(district_id=district).values_list("pk", flat=True).first()
    return initial


def _new_page(request: HttpRequest, data: Any = None, files: Any = None) -> NewReportPage:
    user = request.user
    role = _home_role(user)
    barnevern = _is_barnevern_staff(user)
    active_cases = access.visible(user, ConcernReport.objects.filter(state__in=ACTIVE_STATES)).prefetch_related(
        Prefetch("children", queryset=ConcernReportChild.objects.only("id", "name", "report_id"))
    )
    form = ConcernReportForm(
        data,
        files,
        initial=_initial(user, role),
        units=_barnevern_units(),
        active_cases=active_cases,
        barnevern_staff=barnevern,
    )
    youths = access.visible(user, Youth.objects.all()).order_by("last_name", "first_name")
    violence = form.is_violence
    children = ChildFormSet(data, prefix="children", form_kwargs={"youths": youths})
    guardians = GuardianFormSet(
        data,
        prefix="guardians",
        form_kwargs={"violence": violence},
        initial=[{"informed": "no"}] if violence else None,
    )
    return NewReportPage(form, children, guardians)


def _quiet(page: NewReportPage) -> None:
    """Show what was typed without judging it yet (a row was added, not the report sent)."""
    page.form._errors = ErrorDict()  # type: ignore[attr-defined]
    for formset in (page.children, page.guardians):
        formset._errors = []
        formset._non_form_errors = formset.error_class()
        for form in formset.forms:
            form._errors = ErrorDict()


def _receive(request: HttpRequest, page: NewReportPage) -> ConcernReport | None:
    if not (page.form.is_valid() & page.children.is_valid() & page.guardians.is_valid()):
        return None
    role = _home_role(request.user)
    school = role is not None and role.unit.kind == Unit.Kind.SCHOOL
    data = page.form.service_data(
        default_channel=ConcernReport.Channel.SCHOOL_FORM if school else ConcernReport.Channel.LAGET
    )
    # A report taken by phone or letter is someone else's: the person registering it is not the
    # reporter, and does not see it as theirs in /meldinger/sendt/.
    if data["channel"] in (ConcernReport.Channel.LAGET, ConcernReport.Channel.SCHOOL_FORM):
        data["reporter"] = {**data["reporter"], "user": request.user, "unit": role.unit if role else None}
    try:
        return concern_services.concern_report_receive(
            actor=request.user,
            children=page.children.rows(),
            guardians=page.guardians.rows(),
            **data,
        )
    except ValidationError as error:
        add_service_errors(page.form, error)
    except IntegrityError:
        page.form.add_error(None, _conflict())
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    """Send a concern report. Any staff member with a role in force may (the duty is personal)."""
    if not staffroles_active(user=request.user).exists():
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "referrals/concern_new.html", _new_page(request).context())
    action = request.POST.get("action", "send")
    if action in ("add_child", "add_guardian", "kind"):
        # Without JavaScript: one more row, or the form again for the type chosen; nothing lost.
        # Files are not kept by browsers between pages: the page says to choose them again.
        prefix = {"add_child": "children", "add_guardian": "guardians"}.get(action)
        page = _new_page(request, request.POST)
        if prefix is not None:
            formset = page.children if prefix == "children" else page.guardians
            page = _new_page(request, grow(formset, request.POST, prefix))
        _quiet(page)
        return render(
            request,
            "referrals/concern_new.html",
            {**page.context(), "unsaved": True, "files_lost": bool(request.FILES)},
        )
    page = _new_page(request, request.POST, request.FILES)
    report = _receive(request, page)
    if report is None:
        context = {**page.context(), "files_lost": bool(request.FILES)}
        return render(request, "referrals/concern_new.html", context, status=400)
    messages.success(request, _("The concern report is sent."))
    if report.reporter_user_id == request.user.pk:
        return redirect("referrals:concern_receipt", pk=report.pk)
    return redirect("referrals:concern_report_detail", pk=report.pk)


# --- The reporter's view: receipt and feedback only ----------------------------------------


@login_required
@require_GET
def concern_sent(request: HttpRequest) -> HttpResponse:
    """The reports the person sent, with the receipt and the feedback and nothing more."""
    rows = concern_selectors.reports_for_reporter(user=request.user)
    return render(request, "referrals/concern_sent.html", {"rows": rows})


@login_required
@require_GET
def concern_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt page of one report the person sent: the date received, the school's fixed
    barnevern contact person, and the feedback (404 for anyone but the reporter)."""
    row = concern_selectors.report_for_reporter(user=request.user, pk=pk)  # the read audited there
    return render(request, "referrals/concern_receipt.html", {"row": row})


# --- Barnevern: inbox and deadline list ----------------------------------------------------


@dataclass
class InboxRow:
    report: ConcernReport
    next_deadline: deadlines.Deadline | None
    children: list[str]


def _next_deadline(report: ConcernReport, today: datetime.date) -> deadlines.Deadline | None:
    pending = [d for d in deadlines.deadlines_for(report, today=today) if d.status != deadlines.MET]
    return min(pending, key=lambda d: d.due) if pending else None


@login_required
@require_GET
def concern_inbox(request: HttpRequest) -> HttpResponse:
    """The reports of the person's barnevern units (and those given to them), newest first, with
    their state and next deadline. A fixed number of queries however many reports."""
    if not _is_barnevern_staff(request.user) and not access.visible(request.user, ConcernReport.objects.all()).exists():
        raise PermissionDenied
    state = request.GET.get("state", "open")
    reports = access.visible(request.user, _reports()).prefetch_related(
        Prefetch("children", queryset=ConcernReportChild.objects.only("id", "name", "report_id"))
    )
    if state == "open":
        reports = reports.filter(state__in=OPEN_STATES)
    elif state in State.values:
        reports = reports.filter(state=state)
    else:
        state = "all"
    today = today_in_oslo()
    rows = [
        InboxRow(report, _next_deadline(report, today), [child.name for child in report.children.all()])
        for report in reports[:500]
    ]
    return render(
        request,
        "referrals/concern_inbox.html",
        {"rows": rows, "state": state, "states": State.choices, "today": today},
    )


@login_required
@require_GET
def concern_index(request: HttpRequest) -> HttpResponse:
    """The menu's way in: barnevern staff to the incoming reports, everyone else to the reports
    they have sent (with the button to send one)."""
    return redirect("referrals:concern_inbox" if _is_barnevern_staff(request.user) else "referrals:concern_sent")


@login_required
@require_GET
def concern_deadlines(request: HttpRequest) -> HttpResponse:
    """The deadline list: overdue, and due this week (the caseworker's own reports; a leader's
    unit's too)."""
    if not _is_barnevern_staff(request.user) and not access.visible(request.user, ConcernReport.objects.all()).exists():
        raise PermissionDenied
    today = today_in_oslo()
    listing = concern_selectors.deadline_list(user=request.user, today=today)
    gaps = concern_selectors.handover_gaps_for_leader(user=request.user, today=today)
    return render(
        request, "referrals/concern_deadlines.html", {"listing": listing, "today": today, "handover_gaps": gaps}
    )


# --- The whole report ------------------------------------------------------------------------


@dataclass
class ReportPage:
    """The report page; a failed action replaces its form, with status 400."""

    report: ConcernReport
    may_act: bool
    may_assign: bool
    actions: list[str] = field(default_factory=list)
    forms: dict[str, BaseForm | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    to_link: list[concern_selectors.ChildToLink] = field(default_factory=list)

    @classmethod
    def load(cls, request: HttpRequest, report: ConcernReport) -> ReportPage:
        user = request.user
        page = cls(report, access.can(user, report, "act"), access.can(user, report, "assign"))
        # The steps open now (CONCERN_TRANSITIONS), for a person who may act on the report.
        page.actions = concern_selectors.concern_report_actions(user=user, report=report)
        actions = page.actions
        if page.may_assign:
            page.forms["assign"] = AssignForm(
                initial={"caseworker": report.caseworker_id}, people=_assignable(user, report)
            )
        if page.may_act:
            if "close" in actions:
                page.forms["close"] = ReasonForm(
                    prefix="close",
                    label=_("Why is the report closed without investigation?"),
                    help_text=_("Required. Kept with the report."),
                )
            if "open" in actions:
                page.forms["open"] = OpenInvestigationForm(prefix="open")
            if "extend" in actions:
                page.forms["extend"] = ReasonForm(
                    prefix="extend",
                    label=_("The special reason for 6 months"),
                    help_text=_(
                        "Barnevernsloven § 2-2: an investigation may last 6 months when there is a special reason."
                    ),
                )
            if "conclude" in actions:
                page.forms["conclude"] = ConcludeForm(
                    prefix="conclude",
                    initial={"measures_started_on": timezone.localdate()},
                    people=_barnevern_people(),
                )
            if "guardians" in actions:
                page.forms["guardians"] = NoteForm(prefix="guardians")
            choices = page.feedback_choices()
            if choices:
                page.forms["feedback"] = FeedbackForm(prefix="feedback", choices=choices)
            if "handover" in actions:
                youths = page.registered_youths()
                if youths.exists():
                    page.forms["handover"] = HandoverForm(prefix="handover", youths=youths)
            if "intake" in actions and page.registered_youths().exists():
                page.forms["intake"] = IntakeReferralForm(prefix="intake", youths=page.registered_youths())
            page.to_link = concern_selectors.concern_report_children_to_link(user=user, report=report)
            if page.to_link:
                page.forms["link"] = page.link_form()
        return page

    def link_form(self, data: Any = None) -> LinkChildForm:
        return LinkChildForm(data, prefix="link", children=[(item.child.pk, item.child.name) for item in self.to_link])

    def feedback_choices(self) -> list[tuple[str, Any]]:
        wanted = concern_services.feedback_open(self.report)
        return [(value, label) for value, label in FEEDBACK_CHOICES if value in wanted]

    def registered_youths(self) -> QuerySet[Youth]:
        return concern_selectors.concern_report_registered_youths(report=self.report)

    def context(self, request: HttpRequest) -> dict[str, Any]:
        report = self.report
        # Every showing of the page is a read of the report (audited with what it disclosed).
        shown_children = concern_selectors.concern_report_output(
            user=request.user, report=report, channel="view", action="concern_report.viewed"
        )
        return {
            "report": report,
            "children": shown_children,
            "withheld": any(not c.shown for c in shown_children),
            "guardians": list(report.guardians.all()),
            "guardian_letter_refusal": concern_selectors.guardian_letter_refusal(report=report),
            "attachments": list(report.attachments.all()),
            "events": list(report.events.select_related("actor")),
            "later_reports": list(access.visible(request.user, report.later_reports.all())),
            "deadlines": deadlines.deadlines_for(report),
            "may_act": self.may_act,
            "may_assign": self.may_assign,
            "actions": self.actions,
            "forms": self.forms,
            "errors": self.errors,
            "school_contact": _school_contact(report),
            "ksfiks_original": KsFiksDocument.objects.filter(report=report).defer("content").first(),
        }


def _render_report(request: HttpRequest, page: ReportPage, *, status: int = 200) -> HttpResponse:
    return render(request, "referrals/concern_detail.html", page.context(request), status=status)


@login_required
@require_GET
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_report(request, ReportPage.load(request, _report(request, pk)))


def _to_report(report: ConcernReport) -> HttpResponse:
    return redirect("referrals:concern_report_detail", pk=report.pk)


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    form_for: Any,
    call: Any,
    success: str,
    *,
    action: str = "act",
) -> HttpResponse:
    """One action form: the report through core.access (404/403), the form bound and checked,
    the service called; a refusal comes back on the page with status 400."""
    report = _report(request, pk, action=action)
    page = ReportPage.load(request, report)
    if name not in page.forms:
        # The action does not fit the report's state (closed already, say): say so, keep the page.
        page.errors.append(_("This step cannot be taken now: the report's state has changed. Look at it again."))
        return _render_report(request, page, status=400)
    form = form_for(request.POST, page)
    page.forms[name] = form
    if form.is_valid():
        try:
            call(request, report, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except IntegrityError:
            form.add_error(None, _conflict())
        else:
            messages.success(request, success)
            return _to_report(report)
    return _render_report(request, page, status=400)


@login_required
@require_POST
def concern_assign(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, action="assign")
    return _act(
        request,
        pk,
        "assign",
        lambda data, page: AssignForm(data, people=_assignable(request.user, report)),
        lambda r, rep, d: concern_services.concern_report_assign(actor=r.user, report=rep, caseworker=d["caseworker"]),
        _("The caseworker is recorded."),
        action="assign",
    )


@login_required
@require_POST
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        lambda data, page: ReasonForm(data, prefix="close", label=_("Why is the report closed without investigation?")),
        lambda r, rep, d: concern_services.concern_report_close_uninvestigated(
            actor=r.user, report=rep, reason=d["reason"]
        ),
        _("The report is closed without investigation."),
    )


@login_required
@require_POST
def concern_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "open",
        lambda data, page: OpenInvestigationForm(data, prefix="open"),
        lambda r, rep, d: concern_services.concern_report_open_investigation(
            actor=r.user, report=rep, started_on=d.get("started_on")
        ),
        _("The investigation is opened."),
    )


@login_required
@require_POST
def concern_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "extend",
        lambda data, page: ReasonForm(data, prefix="extend", label=_("The special reason for 6 months")),
        lambda r, rep, d: concern_services.concern_report_extend_investigation(
            actor=r.user, report=rep, reason=d["reason"]
        ),
        _("The investigation is extended to 6 months."),
    )


@login_required
@require_POST
def concern_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    def call(r: HttpRequest, rep: ConcernReport, d: dict[str, Any]) -> None:
        measures = d["outcome"] == "measures"
        concern_services.concern_report_conclude(
            actor=r.user,
            report=rep,
            measures=measures,
            conclusion=d["conclusion"],
            contact_person=d.get("contact_person") if measures else None,
            measures_started_on=d.get("measures_started_on") if measures else None,
        )

    return _act(
        request,
        pk,
        "conclude",
        lambda data, page: ConcludeForm(data, prefix="conclude", people=_barnevern_people()),
        call,
        _("The investigation is concluded."),
    )


@login_required
@require_POST
def concern_guardians_may_be_told(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "guardians",
        lambda data, page: NoteForm(data, prefix="guardians"),
        lambda r, rep, d: concern_services.concern_report_guardians_may_be_told(
            actor=r.user, report=rep, note=d["note"]
        ),
        _("Recorded: the guardians may now be told."),
    )


@login_required
@require_POST
def concern_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "feedback",
        lambda data, page: FeedbackForm(data, prefix="feedback", choices=page.feedback_choices()),
        lambda r, rep, d: concern_services.concern_report_feedback_sent(actor=r.user, report=rep, which=d["which"]),
        _("The feedback to the reporter is recorded."),
    )


@login_required
@require_POST
def concern_handover(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the handover meeting after the transition to measures (routine 3): a teams
    meeting of kind HANDOVER about the youth (concern_services.concern_report_handover_plan)."""

    def call(r: HttpRequest, rep: ConcernReport, d: dict[str, Any]) -> None:
        meeting = concern_services.concern_report_handover_plan(
            actor=access.signed_in(r.user),
            report=rep,
            youth=d["youth"],
            starts_at=d["starts_at"],
            minutes=d["minutes"],
            place=d.get("place") or "",
        )
        r.session["handover_meeting"] = meeting.pk

    return _act(
        request,
        pk,
        "handover",
        lambda data, page: HandoverForm(data, prefix="handover", youths=page.registered_youths()),
        call,
        _("The handover meeting is planned and the participants are invited."),
    )


@login_required
@require_POST
def concern_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a child of the report to one-to-one follow-up (issue 7, point 8): a candidate in the
    intake queue of the child's district, linked to the report."""

    def call(r: HttpRequest, rep: ConcernReport, d: dict[str, Any]) -> None:
        youth = d["youth"]
        intake_services.intake_candidate_propose(
            actor=r.user,
            district=youth.district,
            youth=youth,
            reason=d["reason"],
            urgency=d["urgency"],
            unit=rep.unit,
            concern_report=rep,
        )

    return _act(
        request,
        pk,
        "intake",
        lambda data, page: IntakeReferralForm(data, prefix="intake", youths=page.registered_youths()),
        call,
        _("The child is in the intake queue for one-to-one follow-up."),
    )


@login_required
@require_POST
def concern_link_child(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a child the report names to the registered youth with the child's identity number:
    the receiving service's work when the reporter named a child they do not see in Laget."""

    def call(r: HttpRequest, rep: ConcernReport, d: dict[str, Any]) -> None:
        actor = access.signed_in(r.user)
        to_link = concern_selectors.concern_report_children_to_link(user=actor, report=rep)
        item = next((item for item in to_link if item.child.pk == d["child"]), None)
        if item is None:  # linked (or changed) by someone else since the page was built
            raise ValidationError(_conflict())
        concern_services.concern_report_child_link(actor=actor, report=rep, child=item.child, youth=item.youth)

    return _act(
        request,
        pk,
        "link",
        lambda data, page: page.link_form(data),
        call,
        _("The child is linked to the registered youth."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_import(request: HttpRequest) -> HttpResponse:
    """Import a KS Fiks bekymringsmelding v2 (issue 7, point 7): barnevern caseworkers and leaders.
    An invalid document is refused with the schema's messages and nothing is saved."""
    units = Unit.objects.filter(
        kind=Unit.Kind.BARNEVERN, is_active=True, pk__in=concern_policy.unit_ids_for(request.user)
    ).order_by("name")
    if not units.exists():
        raise PermissionDenied
    form = KsFiksImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST":
        if form.is_valid():
            try:
                report = ksfiks.import_report(
                    actor=request.user, unit=form.cleaned_data["unit"], data=form.cleaned_data["document"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The report is imported from KS Fiks."))
                unmapped = report.ksfiks_document.unmapped
                if unmapped:
                    messages.warning(request, unmapped_message(unmapped))
                return _to_report(report)
        return render(request, "referrals/concern_import.html", {"form": form}, status=400)
    return render(request, "referrals/concern_import.html", {"form": form})


def unmapped_message(paths: list[str], shown: int = 20) -> str:
    """What the importer is told of the fields not taken into the report (kept in the original)."""
    listed = ", ".join(paths[:shown])
    if len(paths) > shown:
        listed += " " + _("and %(count)d more") % {"count": len(paths) - shown}
    return _("Not taken into the report, but kept in the original KS Fiks document: %(paths)s.") % {"paths": listed}


@login_required
@require_GET
def concern_ksfiks_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The KS Fiks document the report was imported from, byte for byte: shown in the browser,
    or downloaded with ?download=1. Through the report's access policy (404 outsider), the
    sharing policy and the audit trail: referrals.concerns.selectors.ksfiks_original_get."""
    download = request.GET.get("download") == "1"
    original = concern_selectors.ksfiks_original_get(user=request.user, pk=pk, channel="export" if download else "view")
    response = HttpResponse(bytes(original.content), content_type="application/json; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="bekymringsmelding-{pk}-original.json"'
    return response


# The extension of an attachment's neutral name, by the content type the service recognised.
ATTACHMENT_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_ID = 2**63 - 1


def concern_attachment_response(
    *, user: User | AnonymousUser, pk: int, attachment_pk: int, channel: str
) -> FileResponse:
    """One file sent with report `pk` as a download, for the page and the API alike, through
    concern_selectors.concern_attachment_get (404 for anyone who may not see the report, 403 when
    the sharing policy withholds a child's details, the read audited)."""
    if attachment_pk > MAX_ID:
        raise Http404
    attachment = concern_selectors.concern_attachment_get(
        user=user, pk=pk, attachment_pk=attachment_pk, channel=channel
    )
    extension = ATTACHMENT_EXTENSIONS.get(attachment.content_type)
    # A neutral name: the sender's own file name may carry the child's name onto the device.
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"bekymringsmelding-{pk}-vedlegg-{attachment.pk}{extension or ''}",
        content_type=attachment.content_type if extension else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def concern_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """One file sent with the report, as a download, to whoever may see the report (audited)."""
    return concern_attachment_response(user=request.user, pk=pk, attachment_pk=attachment, channel="view")


# --- Letters (PDF) -----------------------------------------------------------------------------


def _letter(
    request: HttpRequest,
    report: ConcernReport,
    template: str,
    filename: str,
    rows: list[concern_selectors.ChildShown],
) -> HttpResponse:
    # A letter names the children as the report does (to those who may act on it); what it
    # discloses of registered youths was logged by the selector that returned `rows`.
    children = [row.child for row in rows]
    context = {
        "report": report,
        "children": children,
        "school_contact": _school_contact(report),
        "received_on": oslo_date(report.received_at),
    }
    return pdf_response(render_pdf(request, template, context), filename)


@login_required
@require_GET
def concern_receipt_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt letter to the reporter (barnevernsloven § 2-1: receipt within 3 weeks)."""
    report = _report(request, pk, action="act")
    rows = concern_selectors.concern_report_output(
        user=request.user, report=report, channel="pdf", action="concern_report.receipt_printed"
    )
    return _letter(request, report, "referrals/letter_receipt.html", f"kvittering-{report.pk}.pdf", rows)


@login_required
@require_GET
def concern_guardian_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to the guardians that a report was received. Refused (403, with the reason) for
    a report about violence or abuse until a caseworker records that they may be told."""
    report = _report(request, pk, action="act")
    try:
        rows = concern_selectors.guardian_letter_output(user=request.user, report=report, channel="pdf")
    except PermissionDenied as refusal:  # refused and audited by the selector
        message = str(refusal) or _("The guardians may not be told about this report yet.")
        return render(request, "referrals/concern_refused.html", {"report": report, "message": message}, status=403)
    return _letter(request, report, "referrals/letter_guardians.html", f"brev-foresatte-{report.pk}.pdf", rows)


urlpatterns: list[URLPattern] = [
    path("", concern_index, name="concern_index"),
    path("ny/", concern_new, name="concern_new"),
    path("sendt/", concern_sent, name="concern_sent"),
    path("sendt/<int:pk>/", concern_receipt, name="concern_receipt"),
    path("innkommende/", concern_inbox, name="concern_inbox"),
    path("frister/", concern_deadlines, name="concern_deadlines"),
    path("importer/", concern_import, name="concern_import"),
    path("<int:pk>/", concern_detail, name="concern_report_detail"),
    path("<int:pk>/tildel/", concern_assign, name="concern_assign"),
    path("<int:pk>/henlegg/", concern_close, name="concern_close"),
    path("<int:pk>/undersokelse/", concern_open, name="concern_open"),
    path("<int:pk>/forleng/", concern_extend, name="concern_extend"),
    path("<int:pk>/konkluder/", concern_conclude, name="concern_conclude"),
    path("<int:pk>/foresatte/", concern_guardians_may_be_told, name="concern_guardians_may_be_told"),
    path("<int:pk>/tilbakemelding/", concern_feedback, name="concern_feedback"),
    path("<int:pk>/overgangsmote/", concern_handover, name="concern_handover"),
    path("<int:pk>/inntak/", concern_intake, name="concern_intake"),
    path("<int:pk>/koble-barn/", concern_link_child, name="concern_link_child"),
    path("<int:pk>/kvittering.pdf", concern_receipt_letter, name="concern_receipt_letter"),
    path("<int:pk>/brev-foresatte.pdf", concern_guardian_letter, name="concern_guardian_letter"),
    path("<int:pk>/ks-fiks-original.json", concern_ksfiks_original, name="concern_ksfiks_original"),
    path("<int:pk>/vedlegg/<int:attachment>/", concern_attachment, name="concern_attachment"),
]
