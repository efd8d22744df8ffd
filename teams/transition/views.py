"""The transition checklist's pages (issue 14, point 2): "Etter 18", a section of the youth's
plan (/ungdommer/<pk>/plan/#etter-18, built here for teams.plans.views), and the forms that
settle a point, mark it as not applying or open it again, under
/ungdommer/<pk>/plan/etter-18/<point>/ (namespace "transition").

Thin views (STYLE.md): the checklist comes with the plan (teams.plans.selectors.plan_shown asks
teams.transition.selectors with the same viewer as the goals, so the read and the disclosure are
logged with theirs); a form page reads the point through transition_checklist_shown (404 to
outsiders, the read audited, the disclosure logged) and refuses a point whose category is
withheld from the person (403), as the services do; whoever may not change the plan gets 403
(teams.policy.may_change_plan); every write goes through teams.transition.services, whose
ValidationErrors come back on the form with status 400 and everything typed kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.models import Youth
from core.forms import add_service_errors
from org.selectors import staff_by_unit, units_serving_district
from teams.models import Meeting, TransitionItem, TransitionPoint
from teams.policy import may_change_plan
from teams.transition import policy, selectors, services
from teams.transition.forms import NotApplicableForm, ReopenForm, SettleForm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

# --- The section of the plan page -----------------------------------------------------------


@dataclass
class PointRow:
    """One point as the plan page shows it: the point, until when the service that holds lead
    responsibility after 18 may follow the youth (the lead point), and the actions open now."""

    point: selectors.Point
    lead_until: datetime.date | None
    actions: tuple[str, ...]


@dataclass
class Section:
    checklist: selectors.Checklist
    rows: list[PointRow]
    may_change: bool
    meetings: list[Meeting]


def checklist_section(
    *, user: User | AnonymousUser, checklist: selectors.Checklist | None, may_change: bool | None = None
) -> Section | None:
    """ "Etter 18" on the plan page: the checklist the plan's selector returned (None when it is
    not due), each point with the actions the person may take (none for a withheld point, or
    for whoever may not change the plan)."""
    if checklist is None:
        return None
    youth = checklist.youth
    may = may_change_plan(user, youth) if may_change is None else may_change
    rows = []
    for p in checklist.points:
        until = None
        if p.point == TransitionPoint.LEAD and p.item is not None and p.settled:
            until = selectors.lead_followed_until(youth, p.item)
        actions: tuple[str, ...] = ()
        if may and not p.withheld:
            actions = policy.point_actions(p.point, p.state, computed=p.consent is not None)
        rows.append(PointRow(point=p, lead_until=until, actions=actions))
    return Section(
        checklist=checklist, rows=rows, may_change=may, meetings=selectors.handover_meetings(user=user, youth=youth)
    )


# --- The forms --------------------------------------------------------------------------------


def _point_to_change(request: HttpRequest, pk: int, point: str) -> tuple[Youth, selectors.Point]:
    """The youth and the point, for a form: 404 to whoever may not see the youth and for a point
    that does not exist, 403 to whoever may not change the plan or may not see the point's
    category (the sharing policy). The read is audited and the disclosure logged."""
    if point not in TransitionPoint.values:
        raise Http404
    checklist = selectors.transition_checklist_shown(user=request.user, youth=pk, channel="view")
    if not may_change_plan(request.user, checklist.youth):
        raise PermissionDenied
    found = next(p for p in checklist.points if p.point == point)
    if found.withheld:
        raise PermissionDenied
    return checklist.youth, found


def _data(request: HttpRequest) -> Any:
    """The form's data on a POST (even an empty one: the reopen form has no fields), else None."""
    return request.POST if request.method == "POST" else None


def _back(youth: Youth) -> HttpResponse:
    return redirect(reverse("plans:detail", args=[youth.pk]) + "#etter-18")


def _save(form: BaseForm, call: Any, field_names: dict[str, str] | None = None) -> Any:
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error, field_names=field_names)
        return None


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _initial(item: TransitionItem | None) -> dict[str, Any]:
    if item is None or not item.is_settled:
        return {}
    return {
        "how": item.how,
        "aftercare_answer": item.aftercare_answer,
        "contact_name": item.contact_name,
        "unit": item.unit_id,
        "lead_outcome": item.lead_outcome,
        "lead_user": str(item.lead_user_id or ""),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transition_point_settle(request: HttpRequest, pk: int, point: str) -> HttpResponse:
    """Settle a point, or change how it was settled."""
    youth, shown = _point_to_change(request, pk, point)
    if policy.SETTLE not in policy.point_actions(point, shown.state, computed=shown.consent is not None):
        raise Http404
    units = units_serving_district(district_id=youth.district_id)
    staff = staff_by_unit(units=units) if point == TransitionPoint.LEAD else []
    form = SettleForm(_data(request), initial=_initial(shown.item), point=point, units=units, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        item = _save(
            form,
            lambda: services.transition_point_settle(actor=request.user, youth=youth, point=point, **data),
        )
        if item is not None:
            messages.success(request, _("«%(point)s» is settled.") % {"point": shown.label})
            return _back(youth)
    return _page(
        request, "teams/transition/point_settle.html", {"youth": youth, "shown": shown, "form": form, "point": point}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transition_point_not_applicable(request: HttpRequest, pk: int, point: str) -> HttpResponse:
    """Mark a point as not applying to this youth, with the reason."""
    youth, shown = _point_to_change(request, pk, point)
    initial = {"reason": shown.item.how} if shown.item is not None and not shown.applies else {}
    form = NotApplicableForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        item = _save(
            form,
            lambda: services.transition_point_not_applicable(
                actor=request.user, youth=youth, point=point, reason=reason
            ),
            field_names={"how": "reason"},
        )
        if item is not None:
            messages.success(request, _("«%(point)s» is marked as not applying.") % {"point": shown.label})
            return _back(youth)
    return _page(
        request,
        "teams/transition/point_not_applicable.html",
        {"youth": youth, "shown": shown, "form": form, "point": point},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def transition_point_reopen(request: HttpRequest, pk: int, point: str) -> HttpResponse:
    """Open a settled point (or one marked as not applying) again, after a confirmation."""
    youth, shown = _point_to_change(request, pk, point)
    if request.method != "POST" and policy.REOPEN not in policy.point_actions(
        point, shown.state, computed=shown.consent is not None
    ):
        raise Http404  # nothing to confirm; a POST is answered by the service (a 400 with its reason)
    form = ReopenForm(_data(request))
    if request.method == "POST" and form.is_valid():
        _save(form, lambda: services.transition_point_reopen(actor=request.user, youth=youth, point=point))
        if not form.errors:
            messages.success(request, _("«%(point)s» is open again.") % {"point": shown.label})
            return _back(youth)
    return _page(
        request, "teams/transition/point_reopen.html", {"youth": youth, "shown": shown, "form": form, "point": point}
    )


# --- The youth's own copy (teams.plans.pdf, "Min plan") -------------------------------------

# The points in the youth's words (a 14-year-old reads "Min plan").
YOUTH_WORDS: dict[str, Promise] = {
    TransitionPoint.AFTERCARE: gettext_lazy("Help from barnevern after 18 (ettervern)"),
    TransitionPoint.NAV: gettext_lazy("Your contact at NAV"),
    TransitionPoint.HEALTH: gettext_lazy("Doctors and health services for adults"),
    TransitionPoint.HOUSING: gettext_lazy("Where you will live, and money"),
    TransitionPoint.SCHOOL_WORK: gettext_lazy("School or work"),
    TransitionPoint.CONSENT: gettext_lazy("Your own yes to sharing information (consent)"),
    TransitionPoint.LEAD: gettext_lazy("Who follows you up after 18"),
}


@dataclass
class YouthLine:
    words: str
    contact: str = ""  # who to contact about it, after 18


@dataclass
class YouthChecklist:
    """ "Etter 18" in the youth's copy: what is agreed, what is still to be agreed (points that do
    not apply left out), and who to contact after 18. Withheld points are left out (the copy
    says that some of the plan is not in it)."""

    birthday: datetime.date
    after_birthday: bool
    agreed: list[YouthLine]
    to_agree: list[YouthLine]
    withheld: int


def _contact(p: selectors.Point) -> str:
    item = p.item
    if item is None or not p.settled:
        return ""
    if p.point == TransitionPoint.LEAD and item.lead_outcome != TransitionItem.LeadOutcome.ENDS:
        who = item.lead_user.get_full_name() if item.lead_user is not None else ""
        return ", ".join(x for x in (who, item.unit.name if item.unit else "") if x)
    if item.contact_name:
        return ", ".join(x for x in (item.contact_name, item.unit.name if item.unit else "") if x)
    return ""


def youth_checklist(checklist: selectors.Checklist | None) -> YouthChecklist | None:
    if checklist is None:
        return None
    shown = [p for p in checklist.points if not p.withheld and p.applies]
    return YouthChecklist(
        birthday=checklist.birthday,
        after_birthday=checklist.after_birthday,
        agreed=[YouthLine(str(YOUTH_WORDS[p.point]), _contact(p)) for p in shown if p.settled],
        to_agree=[YouthLine(str(YOUTH_WORDS[p.point])) for p in shown if not p.settled],
        withheld=checklist.withheld,
    )
