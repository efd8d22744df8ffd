"""The pages of the youth's plan, "Min plan" (issue 13), under the youth's pages
(/ungdommer/<pk>/plan/, namespace "plans").

Only the team sees the plan: the youth through teams.plans.selectors (core.access: 404 to
outsiders, the read audited, goals masked by the sharing policy and the disclosure logged).
Those whom teams.policy.may_change_plan allows change it (anyone else gets 403 on the forms);
every write goes through teams.plans.services, whose ValidationErrors come back on the form,
on the field they name, with status 400 and everything typed kept. A change made from a team
meeting's page carries the meeting (`?meeting=<pk>`), so the version records it, and returns to
the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Youth
from core.forms import add_service_errors
from core.models import User
from teams.meetings.selectors import meeting_get
from teams.models import ActionItem, Meeting, PlanArea, PlanGoal, PlanStep
from teams.plans import selectors, services
from teams.plans.forms import AcknowledgeForm, GoalForm, ReviewForm, StepForm, StepStatusForm
from teams.plans.policy import may_print_youth_copy
from teams.plans.readability import Readability, plan_readability
from teams.policy import may_change_plan
from teams.transition.views import checklist_section

# --- Shared steps ---------------------------------------------------------------------------


def _youth_to_change(request: HttpRequest, pk: int) -> Youth:
    """The youth, for a page that changes the plan: 404 to whoever may not see the youth, 403 to
    whoever may see but not change the plan (teams.policy.may_change_plan)."""
    youth = selectors.plan_youth_get(user=request.user, pk=pk)
    if not may_change_plan(request.user, youth):
        raise PermissionDenied
    return youth


def _meeting(request: HttpRequest) -> Meeting | None:
    """The meeting a change is made from (`?meeting=` in the address, `from_meeting` in the
    form), when the person sees it (404 otherwise); the services check that it is about this
    youth."""
    raw = request.POST.get("from_meeting") or request.GET.get("meeting") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return meeting_get(user=request.user, pk=int(raw))


def _back(youth: Youth, meeting: Meeting | None, anchor: str = "") -> HttpResponse:
    if meeting is not None:
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#plan")
    return redirect(reverse("plans:detail", args=[youth.pk]) + (f"#{anchor}" if anchor else ""))


def _visible_areas(request: HttpRequest, youth: Youth) -> set[str]:
    return selectors.plan_visible_areas(user=request.user, youth=youth)


def _areas_for(request: HttpRequest, youth: Youth) -> list[PlanArea]:
    """The life areas the person may write goals in: in use, and open to them (consent.policy)."""
    visible = _visible_areas(request, youth)
    return [a for a in selectors.plan_areas() if a.code in visible]


def _goal_shown(request: HttpRequest, youth: Youth, pk: int) -> PlanGoal:
    """A goal the person may see: 404 for one in a life area withheld from them, as for one
    that does not exist (the read audited by the selector)."""
    return selectors.plan_goal_for_change(user=request.user, youth=youth, pk=pk)


def _step_shown(request: HttpRequest, youth: Youth, pk: int) -> PlanStep:
    return selectors.plan_step_for_change(user=request.user, youth=youth, pk=pk)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool = False) -> HttpResponse:
    return render(request, template, context, status=400 if failed else 200)


def _save(form: BaseForm, call: Any) -> Any:
    """Call the service; its ValidationError goes on the form (the field it names, or the
    top). Returns the service's result, or None when refused."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


# --- The plan page --------------------------------------------------------------------------


@dataclass
class AreaShown:
    """One life area on the plan page: its goals, and the outcome measure that tells how it goes."""

    area: PlanArea
    goals: list[selectors.GoalShown] = field(default_factory=list)
    progress: selectors.Progress | None = None


def _by_area(shown: selectors.PlanShown, outcomes: dict[str, selectors.Progress]) -> list[AreaShown]:
    areas: list[AreaShown] = []
    for goal in shown.goals:  # in the areas' order
        if not areas or areas[-1].area.pk != goal.area.pk:
            areas.append(AreaShown(goal.area, progress=outcomes.get(goal.area.code)))
        areas[-1].goals.append(goal)
    return areas


def _readability(shown: selectors.PlanShown) -> Readability | None:
    texts: list[str] = []
    for goal in shown.goals:
        texts += [goal.goal.in_own_words, goal.goal.why_it_matters]
        texts += [s.step.what for s in goal.steps]
    return plan_readability(texts)


def _waiting_for(user: User | AnonymousUser, shown: selectors.PlanShown) -> str:
    """Who must still acknowledge the current version: by name to whoever may see the
    guardians' names (family information), otherwise "the youth and 1 guardian"."""
    ack = shown.acknowledgement
    if ack is None or ack.complete:
        return ""
    if not ack.missing_guardians or selectors.plan_guardians_shown(user=user, youth=shown.youth):
        return ", ".join(ack.missing_names) or selectors.plan_waiting_for(ack)
    return selectors.plan_waiting_for(ack)


def plan_page_context(
    user: User | AnonymousUser, shown: selectors.PlanShown, *, meeting: Meeting | None = None
) -> dict[str, Any]:
    """What the plan page shows, and the meeting page beside its minutes: goals by life area
    with their steps and the outcome measures, the team, the review, the version and who has
    not acknowledged it, what is withheld, "Etter 18" (the transition checklist, when due);
    edit controls and the readability only for those who may change the plan."""
    youth = shown.youth
    may_change = may_change_plan(user, youth)
    outcomes = selectors.plan_outcomes(user=user, youth=youth) if shown.goals else {}
    return {
        "youth": youth,
        "shown": shown,
        "waiting_for": _waiting_for(user, shown),
        "areas": _by_area(shown, outcomes),
        "may_change": may_change,
        "may_print_youth_copy": may_print_youth_copy(user, youth),
        "readability": _readability(shown) if may_change else None,
        "meeting": meeting,
        "etter18": checklist_section(user=user, checklist=shown.checklist, may_change=may_change),
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The youth's plan: goals by life area in the youth's words, steps, the team, the review
    and the version's acknowledgement."""
    shown = selectors.plan_shown(user=request.user, youth=pk)
    context = plan_page_context(request.user, shown)
    if context["may_change"]:
        context["goal_form"] = GoalForm(areas=_areas_for(request, shown.youth))
    return render(request, "teams/plans/plan_detail.html", context)


def plan_meeting_section(*, user: User | AnonymousUser, meeting: Meeting) -> dict[str, Any] | None:
    """The plan beside the minutes on the page of a meeting about a youth (registered with
    teams.meetings.sections by teams.apps): the plan as the person may see it, with links to
    change goals and steps from the meeting (the versions record it) and to record the
    acknowledgement on screen. None for a meeting about no youth, or a youth the person may not
    see (the meeting page shows the rest)."""
    if meeting.youth_id is None:
        return None
    try:
        # "Etter 18" only beside a handover meeting at 18's minutes (what is not shown is not
        # asked, so the disclosure log holds only what the page shows).
        shown = selectors.plan_shown(user=user, youth=meeting.youth_id, checklist=meeting.about_turning_18)
    except Http404:
        return None
    context = plan_page_context(user, shown, meeting=None if meeting.is_cancelled else meeting)
    context["may_change"] = context["may_change"] and not meeting.is_cancelled
    context["meeting"] = meeting
    return context


# --- Goals ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    youth = _youth_to_change(request, pk)
    meeting = _meeting(request)
    form = GoalForm(request.POST or None, areas=_areas_for(request, youth))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> PlanGoal:
            plan = services.plan_get_or_create(actor=request.user, youth=youth)
            return services.plan_goal_add(
                actor=request.user,
                plan=plan,
                meeting=meeting,
                **data,
            )

        goal = _save(form, add)
        if goal is not None:
            messages.success(request, _("The goal is added to the plan."))
            return _back(youth, meeting, f"goal-{goal.pk}")
    return _form_page(
        request,
        "teams/plans/plan_goal_form.html",
        {"youth": youth, "form": form, "goal": None, "meeting": meeting},
        failed=request.method == "POST",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_goal_change(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    youth = _youth_to_change(request, pk)
    goal = _goal_shown(request, youth, goal_pk)
    meeting = _meeting(request)
    initial = model_to_dict(goal, fields=["area", "in_own_words", "why_it_matters", "status"])
    form = GoalForm(request.POST or None, initial=initial, areas=_areas_for(request, youth), new=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = _save(
            form,
            lambda: services.plan_goal_change(
                actor=request.user,
                goal=goal,
                meeting=meeting,
                **data,
            ),
        )
        if changed is not None:
            messages.success(request, _("The goal is saved."))
            return _back(youth, meeting, f"goal-{goal.pk}")
    return _form_page(
        request,
        "teams/plans/plan_goal_form.html",
        {"youth": youth, "form": form, "goal": goal, "meeting": meeting},
        failed=request.method == "POST",
    )


# --- Steps ----------------------------------------------------------------------------------


def _step_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return _form_page(request, "teams/plans/plan_step_form.html", context, failed=request.method == "POST")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_step_add(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    youth = _youth_to_change(request, pk)
    goal = _goal_shown(request, youth, goal_pk)
    meeting = _meeting(request)
    form = StepForm(request.POST or None, helpers=selectors.plan_helper_choices(user=request.user, youth=youth))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = _save(
            form,
            lambda: services.plan_step_add(
                actor=request.user,
                goal=goal,
                meeting=meeting,
                **data,
            ),
        )
        if step is not None:
            if step.action_item_id is not None:
                messages.success(request, _("The step is added, and is an action item for the one who helps."))
            else:
                messages.success(request, _("The step is added."))
            return _back(youth, meeting, f"goal-{goal.pk}")
    return _step_page(request, {"youth": youth, "goal": goal, "step": None, "form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_step_change(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    youth = _youth_to_change(request, pk)
    step = _step_shown(request, youth, step_pk)
    meeting = _meeting(request)
    initial = {"what": step.what, "helper": step.helper_id, "due_on": step.due_on}
    helpers = selectors.plan_helper_choices(user=request.user, youth=youth)
    form = StepForm(request.POST or None, initial=initial, helpers=helpers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = _save(
            form,
            lambda: services.plan_step_change(
                actor=request.user,
                step=step,
                meeting=meeting,
                **data,
            ),
        )
        if changed is not None:
            messages.success(request, _("The step is saved."))
            return _back(youth, meeting, f"goal-{step.goal_id}")
    return _step_page(request, {"youth": youth, "goal": step.goal, "step": step, "form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_step_status(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    youth = _youth_to_change(request, pk)
    step = _step_shown(request, youth, step_pk)
    meeting = _meeting(request)
    initial = {"status": step.current_status, "done_note": step.action_item.done_note if step.action_item else ""}
    form = StepStatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = _save(
            form,
            lambda: services.plan_step_set_status(
                actor=request.user, step=step, status=data["status"], done_note=data["done_note"], meeting=meeting
            ),
        )
        if changed is not None:
            messages.success(request, _("The step's status is saved."))
            return _back(youth, meeting, f"goal-{step.goal_id}")
    return _form_page(
        request,
        "teams/plans/plan_step_status.html",
        {"youth": youth, "step": step, "form": form, "meeting": meeting},
        failed=request.method == "POST",
    )


# --- The next review ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    youth = _youth_to_change(request, pk)
    meeting = _meeting(request)
    plan = selectors.plan_for_youth(youth=youth)
    form = ReviewForm(request.POST or None, initial={"next_review_on": plan.next_review_on if plan else None})
    if request.method == "POST" and form.is_valid():

        def review() -> Any:
            current = plan or services.plan_get_or_create(actor=request.user, youth=youth)
            return services.plan_review_set(
                actor=request.user, plan=current, next_review_on=form.cleaned_data["next_review_on"], meeting=meeting
            )

        saved = _save(form, review)
        if saved is not None:
            messages.success(
                request,
                _("The next review is %(day)s.") % {"day": date_format(saved.next_review_on, "j. F Y")},
            )
            return _back(youth, meeting, "review")
    return _form_page(
        request,
        "teams/plans/plan_review.html",
        {"youth": youth, "plan": plan, "form": form, "meeting": meeting},
        failed=request.method == "POST",
    )


# --- Versions and what changed --------------------------------------------------------------


@login_required
@require_GET
def plan_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's versions, the newest first: when, by whom, in which meeting, what changed and
    who has acknowledged each; two chosen versions are compared on the next page."""
    versions = selectors.plan_versions(user=request.user, youth=pk)
    youth = selectors.plan_youth_get(user=request.user, pk=pk)
    guardians = any(a.guardian_id for v in versions for a in v.acknowledgements.all())
    family = guardians and selectors.plan_guardians_shown(user=request.user, youth=youth)
    return render(request, "teams/plans/plan_versions.html", {"youth": youth, "versions": versions, "family": family})


FIELD_LABELS = {
    "area": gettext_lazy("Life area"),
    "in_own_words": gettext_lazy("The goal"),
    "why_it_matters": gettext_lazy("Why it matters"),
    "status": gettext_lazy("Status"),
    "what": gettext_lazy("What is to be done"),
    "helper_name": gettext_lazy("Who helps"),
    "due_on": gettext_lazy("By when"),
}


@dataclass
class ChangeRow:
    change: selectors.Change
    fields: list[tuple[str, str, str]]  # label, before, after


def _display(kind: str, name: str, value: Any, areas: dict[str, str]) -> str:
    if value in (None, ""):
        return "–"
    if name == "area":
        return areas.get(value, str(value))
    if name == "status":
        choices = dict(PlanGoal.Status.choices if kind == "goal" else ActionItem.Status.choices)
        return str(choices.get(value, value))
    if name == "due_on":
        day = parse_date(str(value))
        return date_format(day, "j. F Y") if day else str(value)
    return str(value)


def _rows(diff: selectors.PlanDiff) -> list[ChangeRow]:
    areas = {a.code: a.name for a in selectors.plan_areas()}
    rows = []
    for change in diff.changes:
        names = list(dict.fromkeys([*change.before, *change.after]))
        rows.append(
            ChangeRow(
                change,
                [
                    (
                        str(FIELD_LABELS.get(n, n)),
                        _display(change.kind, n, change.before.get(n), areas) if change.before else "",
                        _display(change.kind, n, change.after.get(n), areas) if change.after else "",
                    )
                    for n in names
                ],
            )
        )
    return rows


def _number(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two versions (`fra` and `til`, numbers; 0 is the empty plan):
    goals and steps added, removed and changed, with the text before and after."""
    old, new = _number(request, "fra"), _number(request, "til")
    if old is None or new is None:
        youth = selectors.plan_youth_get(user=request.user, pk=pk)
        return render(
            request,
            "teams/plans/plan_compare.html",
            {"youth": youth, "diff": None, "error": _("Choose two versions to compare.")},
            status=400,
        )
    if old > new:
        old, new = new, old
    diff = selectors.plan_versions_compared(user=request.user, youth=pk, old=old, new=new)
    youth = selectors.plan_youth_get(user=request.user, pk=pk)
    return render(request, "teams/plans/plan_compare.html", {"youth": youth, "diff": diff, "rows": _rows(diff)})


# --- Acknowledgement ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the youth or a guardian acknowledged the current version, on screen in a
    meeting or on signed paper; only the parties the age rules ask for, not yet recorded."""
    youth = _youth_to_change(request, pk)
    meeting = _meeting(request)
    plan = selectors.plan_for_youth(youth=youth)
    version = selectors.plan_version_current(plan=plan) if plan is not None else None
    if version is None:
        raise Http404
    status = selectors.plan_acknowledgement_status(version=version)
    guardians = bool(status.guardians_required) or any(a.guardian_id for a in status.acknowledgements)
    family = guardians and selectors.plan_guardians_shown(user=request.user, youth=youth)
    form = AcknowledgeForm(
        request.POST or None,
        request.FILES or None,
        initial={"meeting": meeting.pk if meeting else None, "how": "meeting"},
        youth_name=youth.display_name,
        youth_asked=status.youth_required and status.missing_youth,
        guardians=status.missing_guardians,
        name_guardians=family,
        meetings=selectors.plan_meetings(user=request.user, youth=youth),
    )
    if request.method == "POST" and form.is_valid():
        ack = _save(form, lambda: services.plan_acknowledge(actor=request.user, version=version, **form.service_data()))
        if ack is not None:
            messages.success(request, _("The acknowledgement is recorded."))
            return _back(youth, meeting, "version")
    return _form_page(
        request,
        "teams/plans/plan_acknowledge.html",
        {"youth": youth, "version": version, "status": status, "form": form, "meeting": meeting, "family": family},
        failed=request.method == "POST",
    )
