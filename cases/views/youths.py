"""The youth pages: list and search, register, the youth page, edit, and follow-up management.

Reads go through cases.selectors (youth_get audits the read and gives 404 to outsiders), writes
through cases.services, which check permission (PermissionDenied → 403) and raise
ValidationError, shown on the form with status 400 and everything typed kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import QuerySet, prefetch_related_objects
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.rows import TURNING_18_WITHIN_DAYS, follower_loads, youth_rows
from consent.policy import may_record_consent
from core import access
from core.forms import add_service_errors
from core.models import User
from core.pdf import pdf_response, render_pdf
from org.models import StaffRole, Unit
from org.selectors import staffroles_active

from .. import sections, selectors, services
from ..forms import (
    AssignForm,
    CloseForm,
    StateForm,
    UnassignForm,
    YouthForm,
    YouthRegisterForm,
    YouthSearchForm,
)
from ..models import FOLLOWUP_TRANSITIONS, FollowUp, FollowUpAssignment, Gender, OutcomeMeasure, Youth
from ..policy import may_review_caseload, registering_units, restricted_fields

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

PAGE_SIZE = 50
# Who can be given a role on a follow-up: the unit's own staff (administrators, police, school
# and other services take part through the youth's team, not as followers).
ASSIGNABLE_ROLES = (
    StaffRole.Role.FOLLOWER,
    StaffRole.Role.FAMILY_FOLLOWER,
    StaffRole.Role.COORDINATOR,
    StaffRole.Role.CASEWORKER,
    StaffRole.Role.LEADER,
)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _is_history_restore(request: HttpRequest) -> bool:
    """htmx asks for the whole page when the back button misses its history cache."""
    details = getattr(request, "htmx", None)
    return bool(details and details.history_restore_request)


# --- List and search ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def youth_list(request: HttpRequest) -> HttpResponse:
    """The youths the person may see, searchable, 50 a page; live results with htmx.
    ?oppfolger=<id>: one follower's caseload instead (the leader's home links to it)."""
    form = YouthSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    follower = _caseload_follower(request)
    if follower is not None:
        youths = selectors.caseload_for(viewer=request.user, follower=follower)
    else:
        youths = selectors.youths_for_user(user=request.user, query=query)
    page = Paginator(youths, PAGE_SIZE).get_page(request.GET.get("side"))
    today = timezone.localdate()
    context = {
        "form": form,
        "query": query,
        "follower": follower,
        "page": page,
        "rows": youth_rows(user=request.user, youths=page, today=today),
        "no_contact_days": _no_contact_days(),
        "may_register": registering_units(request.user).exists(),
    }
    partial = _is_htmx(request) and not _is_history_restore(request)
    context["oob"] = partial  # the count above the results is swapped out of band, for screen readers
    template = "cases/partials/youth_results.html" if partial else "cases/youth_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _caseload_follower(request: HttpRequest) -> User | None:
    """The follower named by ?oppfolger=, when the person may review their caseload (404 otherwise:
    whether someone is a follower elsewhere is not told)."""
    wanted = request.GET.get("oppfolger")
    if not wanted:
        return None
    follower = User.objects.filter(pk=wanted, is_active=True).first() if wanted.isdigit() else None
    if follower is None or not may_review_caseload(request.user, follower):
        raise Http404
    return follower


def _no_contact_days() -> int:
    return int(settings.LAGET_NO_CONTACT_DAYS)


# --- Register ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def youth_create(request: HttpRequest) -> HttpResponse:
    """Register a youth (coordinators and leaders). Possible duplicates are shown first and must
    be confirmed with «Register anyway»; the same national identity number is always refused."""
    units = registering_units(request.user)
    unit_list = list(units)
    if not unit_list:
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if len(unit_list) == 1:
        initial["unit"] = unit_list[0].pk
    if unit_list[0].district_id:
        initial["district"] = unit_list[0].district_id
    form = YouthRegisterForm(request.POST or None, units=units, initial=initial)
    duplicates: list[services.PossibleDuplicate] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                youth = services.youth_register(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    data=form.service_data(),
                    confirm_duplicate=form.cleaned_data["register_anyway"],
                )
            except services.DuplicateSuspected as suspected:
                duplicates = suspected.candidates
                form.add_error(
                    "register_anyway",
                    _("A youth who may be the same is already registered. Check, and tick «Register anyway»."),
                )
            except services.DuplicateRefused as refused:
                duplicates = refused.candidates
                add_service_errors(form, refused)
            except ValidationError as error:  # among them: too many checks in the last hour
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(
                    "national_id", _("A youth with this national identity number is already registered in Laget.")
                )
            else:
                messages.success(request, _("%(youth)s is registered, in intake.") % {"youth": youth})
                return redirect("cases:youth_detail", pk=youth.pk)
        return render(
            request, "cases/youth_form.html", {"form": form, "duplicates": duplicates, "creating": True}, status=400
        )
    return render(request, "cases/youth_form.html", {"form": form, "duplicates": [], "creating": True})


# --- Edit ----------------------------------------------------------------------------------------


def _may_edit(user: User | AnonymousUser, youth: Youth) -> bool:
    # Whether to offer the edit link: the first half of services.youth_edit_viewer (the record's
    # visibility is decided when the form is opened, and logged then).
    return access.can(user, youth, "manage_followup") or access.can(user, youth, "log_contact")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def youth_edit(request: HttpRequest, pk: int) -> HttpResponse:
    youth = selectors.youth_get(user=request.user, pk=pk)
    # The form is filled with the record: only a person the service lets change it may open it.
    services.youth_edit_viewer(actor=request.user, youth=youth)
    show_restricted = restricted_fields(request.user, youth).visible
    initial = model_to_dict(youth, fields=list(services.YOUTH_FIELDS))
    form = YouthForm(request.POST or None, restricted=show_restricted, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.youth_update(actor=request.user, youth=youth, data=form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(
                    "national_id", _("A youth with this national identity number is already registered in Laget.")
                )
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("cases:youth_detail", pk=youth.pk)
        youth.refresh_from_db()
        selectors.youth_record(user=request.user, youth=youth, channel="view")
        return render(
            request,
            "cases/youth_form.html",
            {"form": form, "youth": youth, "show_restricted": show_restricted},
            status=400,
        )
    selectors.youth_record(user=request.user, youth=youth, channel="view")
    return render(request, "cases/youth_form.html", {"form": form, "youth": youth, "show_restricted": show_restricted})


# --- The youth page ------------------------------------------------------------------------------


@dataclass
class Team:
    lead: FollowUpAssignment | None = None
    family: list[FollowUpAssignment] = field(default_factory=list)
    coordinators: list[FollowUpAssignment] = field(default_factory=list)


def _team(followup: FollowUp | None) -> Team:
    team = Team()
    for assignment in getattr(followup, "current_assignments", []):
        if assignment.role == FollowUpAssignment.Role.LEAD:
            team.lead = assignment
        elif assignment.role == FollowUpAssignment.Role.FAMILY:
            team.family.append(assignment)
        else:
            team.coordinators.append(assignment)
    return team


@dataclass
class Month:
    first_day: datetime.date
    items: list[selectors.TimelineItem]


def _timeline_by_month(items: list[selectors.TimelineItem]) -> list[Month]:
    """Newest month first; also fetches, in one query per kind, who registered each record."""
    for kind, name in (("offence", "registered_by"), ("justice", "registered_by"), ("assignment", "assigned_by")):
        objs = [item.obj for item in items if item.kind == kind]
        if objs:
            prefetch_related_objects(objs, name)
    months: list[Month] = []
    for item in items:
        first_day = timezone.localtime(item.at).date().replace(day=1)
        if not months or months[-1].first_day != first_day:
            months.append(Month(first_day, []))
        months[-1].items.append(item)
    return months


@dataclass
class OutcomeRow:
    label: str
    values: list[str]
    change: str


def _outcome_table(measures: list[OutcomeMeasure]) -> list[OutcomeRow]:
    """Outcome measures as rows (what is measured) by columns (when), with the change from the
    first measure to the last."""
    if not measures:
        return []
    dash = "–"

    def numeric_change(values: list[int | None]) -> str:
        known = [v for v in values if v is not None]
        if len(known) < 2:
            return dash
        diff = known[-1] - known[0]
        return f"{diff:+d}" if diff else "0"

    def text_change(values: list[str]) -> str:
        return dash if len(values) < 2 or values[0] == values[-1] else f"{values[0]} → {values[-1]}"

    attendance = [m.school_attendance for m in measures]
    offences: list[int | None] = [m.offences_last_period for m in measures]
    substance = [m.get_substance_use_display() for m in measures]
    activity = [_("Yes") if m.organised_activity else _("No") for m in measures]
    occupation = [m.get_occupation_display() for m in measures]
    return [
        OutcomeRow(
            _("School attendance (%)"),
            [dash if v is None else str(v) for v in attendance],
            numeric_change(list(attendance)),
        ),
        OutcomeRow(_("Registered offences in the period"), [str(v) for v in offences], numeric_change(offences)),
        OutcomeRow(_("Substance use"), substance, text_change(substance)),
        OutcomeRow(_("Organised activity"), activity, text_change(activity)),
        OutcomeRow(_("School or work"), occupation, text_change(occupation)),
    ]


def youth_page_context(user: User | AnonymousUser, view: selectors.YouthView) -> dict[str, Any]:
    """What the youth page and its PDF show: everything from the YouthView, which obeyed the
    consent policy."""
    youth, flags = view.youth, view.flags
    today = timezone.localdate()
    return {
        "youth": youth,
        "view": view,
        "age": view.age,
        "followup": view.followup,
        "team": _team(view.followup),
        "flags": flags,
        "flags_empty": not (
            flags.repeated_crime_years
            or flags.no_contact
            or flags.days_since_contact is not None
            or flags.siblings_at_risk
            or flags.next_reporting
            or flags.turns_18_on
        ),
        "turns_18_soon": flags.turns_18_on is not None
        and flags.turns_18_on <= today + datetime.timedelta(days=TURNING_18_WITHIN_DAYS),
        "restricted": view.restricted,
        "record": view.record,  # the record's fields, masked by consent.policy (never `youth`'s own)
        "gender": Gender(view.record.gender).label if view.record.gender else "",
        "guardianships": view.guardianships,
        "months": _timeline_by_month(view.timeline),
        "measures": view.measures,
        "outcome_rows": _outcome_table(view.measures),
        "withheld": view.viewer.withheld_categories(),
        "youth_team": view.team,
        "discussions": view.discussions,
        "no_contact_days": _no_contact_days(),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def youth_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    view = selectors.youth_view_get(user=user, pk=pk)
    youth = view.youth
    context = youth_page_context(user, view)
    context.update(
        {
            "may_log_contact": access.can(user, youth, "log_contact"),
            "may_manage": access.can(user, youth, "manage_followup"),
            "may_edit": _may_edit(user, youth),
            "may_show_disclosures": may_record_consent(user, youth),
            "meetings_block": sections.section("meetings", user=user, youth=youth),
            "plan_block": sections.section("plan", user=user, youth=youth),
        }
    )
    return render(request, "cases/youth_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def youth_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The youth page as a PDF, with exactly what the person may see (logged as a disclosure on
    the PDF channel: a document can be handed on)."""
    user = request.user
    view = selectors.youth_view_get(user=user, pk=pk, channel="pdf", purpose="printed")
    youth = view.youth
    context = youth_page_context(user, view)
    pdf = render_pdf(request, "cases/youth_pdf.html", context)
    return pdf_response(pdf, f"laget-{youth.pk}-{timezone.localdate():%Y-%m-%d}.pdf")


# --- Follow-up management --------------------------------------------------------------------------

ROLE_ORDER = (FollowUpAssignment.Role.LEAD, FollowUpAssignment.Role.FAMILY, FollowUpAssignment.Role.COORDINATOR)
# The buttons of the follow-up's state changes, by action of FOLLOWUP_TRANSITIONS.
STATE_BUTTONS = {
    "start": gettext_lazy("Start the follow-up"),
    "pause": gettext_lazy("Pause"),
    "resume": gettext_lazy("Resume"),
}


def _state_actions(actions: list[str]) -> list[tuple[str, Any]]:
    """The state-change buttons the follow-up's table opens now: (the state it leads to, label)."""
    return [(FOLLOWUP_TRANSITIONS[a].target or "", label) for a, label in STATE_BUTTONS.items() if a in actions]


def _assignable_staff(unit: Unit) -> QuerySet[User]:
    roles = staffroles_active().filter(unit=unit, role__in=ASSIGNABLE_ROLES).values("user_id")
    return User.objects.filter(pk__in=roles, is_active=True).order_by("full_name")


def _assignment_history(youth: Youth) -> QuerySet[FollowUpAssignment]:
    return (
        FollowUpAssignment.objects.filter(followup__youth=youth)
        .select_related("user", "assigned_by", "followup__unit")
        .order_by("-starts_on", "-id")
    )


@dataclass
class ManagePage:
    """What the follow-up page shows; a failed POST replaces one of its forms or adds an error."""

    youth: Youth
    followup: FollowUp | None
    staff: QuerySet[User]
    loads: dict[int, int]
    limit: int
    assign_forms: dict[str, AssignForm]
    close_form: CloseForm = field(default_factory=CloseForm)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, youth: Youth) -> ManagePage:
        followup = selectors.followup_current(youth=youth)
        staff = _assignable_staff(followup.unit) if followup else User.objects.none()
        limit = services.capacity_for(unit=followup.unit) if followup else 0
        loads = follower_loads(user_ids=staff.values_list("pk", flat=True))
        forms = {str(role): AssignForm(role=role, staff=staff, loads=loads, limit=limit) for role in ROLE_ORDER}
        return cls(youth, followup, staff, loads, limit, forms)


def _assign(request: HttpRequest, page: ManagePage, followup: FollowUp) -> HttpResponse | None:
    role = request.POST.get("role", "")
    if role not in page.assign_forms:
        page.errors.append(_("Unknown role."))
        return None
    form = AssignForm(request.POST, role=role, staff=page.staff, loads=page.loads, limit=page.limit)
    page.assign_forms[role] = form
    if not form.is_valid():
        return None
    person = form.cleaned_data["user"]
    try:
        services.followup_assign(
            actor=request.user,
            followup=followup,
            user=person,
            role=role,
            override_reason=form.cleaned_data["override_reason"],
        )
    except ValidationError as error:
        # The service's capacity refusal: a leader is then offered the override field.
        form.capacity_refused = getattr(error, "code", None) == services.OVER_CAPACITY
        add_service_errors(form, error)
        return None
    except IntegrityError:
        form.add_error(None, _("The assignment was changed by someone else at the same time. Try again."))
        return None
    messages.success(
        request,
        _("%(name)s is now %(role)s.") % {"name": person, "role": FollowUpAssignment.Role(role).label.lower()},
    )
    return redirect("cases:followup_manage", pk=page.youth.pk)


def _set_state(request: HttpRequest, page: ManagePage, followup: FollowUp) -> HttpResponse | None:
    form = StateForm(request.POST)
    if not form.is_valid():
        page.errors.append(_("Unknown state."))
        return None
    try:
        services.followup_set_state(actor=request.user, followup=followup, state=form.cleaned_data["state"])
    except ValidationError as error:
        page.errors.extend(error.messages)
        return None
    messages.success(request, _("The follow-up is now %(state)s.") % {"state": followup.get_state_display().lower()})
    return redirect("cases:followup_manage", pk=page.youth.pk)


def _unassign(request: HttpRequest, page: ManagePage, followup: FollowUp) -> HttpResponse | None:
    form = UnassignForm(request.POST)
    assignment = (
        followup.assignments.filter(pk=form.cleaned_data["assignment"], ends_on__isnull=True).first()
        if form.is_valid()
        else None
    )
    if assignment is None:
        raise Http404
    services.followup_unassign(actor=request.user, assignment=assignment)
    messages.success(request, _("%(name)s no longer has the role.") % {"name": assignment.user})
    return redirect("cases:followup_manage", pk=page.youth.pk)


def _close(request: HttpRequest, page: ManagePage, followup: FollowUp) -> HttpResponse | None:
    form = page.close_form = CloseForm(request.POST)
    if not form.is_valid():
        return None
    try:
        services.followup_close(
            actor=request.user,
            followup=followup,
            reason=form.cleaned_data["reason"],
            summary=form.cleaned_data["summary"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("The follow-up is closed."))
    return redirect("cases:youth_detail", pk=page.youth.pk)


ACTIONS = {"assign": _assign, "state": _set_state, "unassign": _unassign, "close": _close}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def followup_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign and reassign, start, pause and resume, and close a youth's follow-up (the unit's
    coordinators and leaders; others get 403). Capacity is the service's rule; a leader may
    override it with a reason."""
    youth = selectors.youth_get(user=request.user, pk=pk, action="manage_followup")
    page = ManagePage.load(youth)
    status = 200
    if request.method == "POST":
        handler = ACTIONS.get(request.POST.get("action", ""))
        if page.followup is None:
            page.errors.append(_("The youth has no open follow-up."))
        elif handler is None:
            page.errors.append(_("Unknown action."))
        else:
            response = handler(request, page, page.followup)
            if response is not None:
                return response
        status = 400
    followup = page.followup
    actions = services.followup_available_actions(followup) if followup else []
    return render(
        request,
        "cases/followup_manage.html",
        {
            "youth": youth,
            "followup": followup,
            "team": _team(followup),
            "assign_forms": [page.assign_forms[role] for role in ROLE_ORDER],
            "actions": actions,
            "state_actions": _state_actions(actions),
            "close_form": page.close_form,
            "errors": page.errors,
            "limit": page.limit,
            "may_override": access.can(request.user, youth, "override_capacity"),
            "history": _assignment_history(youth),
            "closed_followups": selectors.closed_followups_seen(user=request.user, youth=youth),
        },
        status=status,
    )


urlpatterns = [
    path("", youth_list, name="youth_list"),
    path("ny/", youth_create, name="youth_create"),
    path("<int:pk>/", youth_detail, name="youth_detail"),
    path("<int:pk>/endre/", youth_edit, name="youth_edit"),
    path("<int:pk>/pdf/", youth_pdf, name="youth_pdf"),
    path("<int:pk>/oppfolging/", followup_manage, name="followup_manage"),
]
