"""Plan mode (issue 13, point 5): the youth's plan on a shared screen in a meeting about the
youth, /ungdommer/<pk>/plan/mote/<meeting pk>/, like intake mode: 1920×1080, large type, one
life area at a time, driven from the keyboard (static/js/plan-mode.js: ← → or P N between
areas, Esc back to the meeting page), where the youth sees what is written in his words and
corrects it there (a goal's words and why it matters, a step's words).

Thin views (STYLE.md): the youth and the meeting through teams.plans.selectors (404 to
outsiders and for a meeting about someone else, 403 to whoever may not change the plan), the
screen through plan_shown_to_audience with everyone present (plan_mode_audience: only what
every person present may see; audited and each person's disclosures logged by the selector),
every correction through teams.plans.services with meeting=the meeting, whose
ValidationErrors come back on the form with status 400 and what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.models import Youth
from core.forms import add_service_errors
from teams.models import GOAL_TEXT_MAX, STEP_TEXT_MAX, WHY_MAX, ActionItem, Meeting, PlanGoal, PlanStep
from teams.plans import selectors, services

# The forms of plan mode are its own (two fields each, one screen): kept beside its views.


class GoalWordsForm(forms.Form):
    in_own_words = forms.CharField(label=gettext_lazy("The goal, in my own words"), max_length=GOAL_TEXT_MAX)
    why_it_matters = forms.CharField(label=gettext_lazy("Why it matters to me"), max_length=WHY_MAX, required=False)


class StepWordsForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("What is to be done"), max_length=STEP_TEXT_MAX)


def _mode_url(youth: Youth, meeting: Meeting, number: int | None = None) -> str:
    url = reverse("plans:mode", args=[youth.pk, meeting.pk])
    return f"{url}?omrade={number}" if number else url


def _position(request: HttpRequest, count: int) -> int:
    """The area shown: ?omrade=1..count (the first when missing or wrong)."""
    try:
        number = int(request.GET.get("omrade", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), max(count, 1))


def _load(request: HttpRequest, pk: int, meeting_pk: int) -> tuple[Youth, Meeting, selectors.MeetingAudience]:
    user = request.user
    youth = selectors.plan_youth_get(user=user, pk=pk)
    meeting = selectors.plan_mode_meeting(user=user, youth=youth, meeting_pk=meeting_pk)
    return youth, meeting, selectors.plan_mode_audience(meeting=meeting, user=user)


def _areas(shown: selectors.PlanShown, youth: Youth, meeting: Meeting) -> list[dict[str, Any]]:
    """The life areas with goals on the screen, in order, each with its goals and its address."""
    areas: list[dict[str, Any]] = []
    for goal in shown.goals:
        if not areas or areas[-1]["area"].pk != goal.area.pk:
            areas.append({"area": goal.area, "goals": []})
        areas[-1]["goals"].append(goal)
    for i, a in enumerate(areas, start=1):
        a["url"] = _mode_url(youth, meeting, i)
    return areas


def _cards(goals: list[selectors.GoalShown], bound: dict[str, Any]) -> list[dict[str, Any]]:
    """The current area's goals with their correction forms (the bound one where it came back)."""
    cards = []
    for goal in goals:
        if bound.get("goal") == goal.goal.pk:
            goal_form = bound["form"]
        else:
            goal_form = GoalWordsForm(
                initial={"in_own_words": goal.goal.in_own_words, "why_it_matters": goal.goal.why_it_matters},
                prefix=f"goal{goal.goal.pk}",
            )
        steps = []
        for step in goal.steps:
            if bound.get("step") == step.step.pk:
                step_form = bound["form"]
            else:
                step_form = StepWordsForm(initial={"what": step.step.what}, prefix=f"step{step.step.pk}")
            steps.append({"shown": step, "form": step_form, "status": ActionItem.Status(step.status).label})
        cards.append({"shown": goal, "form": goal_form, "steps": steps})
    return cards


def _render(
    request: HttpRequest,
    youth: Youth,
    meeting: Meeting,
    audience: selectors.MeetingAudience,
    *,
    number: int | None = None,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The screen: the areas with goals every person present may see, one at a time. `bound`
    is a form that came back with errors ({"goal": pk, "form": form} or {"step": pk, ...})."""
    shown = selectors.plan_shown_to_audience(
        user=request.user, youth=youth, audience=audience.people, meeting=meeting, unknown=audience.unknown
    )
    areas = _areas(shown, youth, meeting)
    count = len(areas)
    number = number if number is not None else _position(request, count)
    current = areas[number - 1] if areas else None
    cards = _cards(current["goals"], bound or {}) if current is not None else []
    context = {
        "youth": youth,
        "meeting": meeting,
        "shown": shown,
        "areas": areas,
        "count": count,
        "number": number,
        "current": current,
        "cards": cards,
        "previous_url": _mode_url(youth, meeting, number - 1) if number > 1 else "",
        "next_url": _mode_url(youth, meeting, number + 1) if number < count else "",
        "exit_url": reverse("meetings:detail", args=[meeting.pk]),
        "unknown": audience.unknown,
        "waiting_for": selectors.plan_waiting_for(shown.acknowledgement),
        # The youth is named only when a goal is shown: every goal carries identity and
        # contact information, so then every person present may see who the plan is about.
        "named": bool(shown.goals),
    }
    return render(request, "teams/plans/mode.html", context, status=status)


def _area_number(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("omrade", "")) or None
    except ValueError:
        return None


@login_required
@require_GET
def plan_mode(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    youth, meeting, audience = _load(request, pk, meeting_pk)
    return _render(request, youth, meeting, audience)


@login_required
@require_POST
def plan_mode_goal_change(request: HttpRequest, pk: int, meeting_pk: int, goal_pk: int) -> HttpResponse:
    """Correct a goal's words (and why it matters) on the screen, as the youth says them."""
    youth, meeting, audience = _load(request, pk, meeting_pk)
    goal: PlanGoal = selectors.plan_mode_goal(youth=youth, audience=audience, pk=goal_pk)
    form = GoalWordsForm(request.POST, prefix=f"goal{goal.pk}")
    number = _area_number(request)
    if form.is_valid():
        try:
            services.plan_goal_change(
                actor=request.user,
                goal=goal,
                in_own_words=form.cleaned_data["in_own_words"],
                why_it_matters=form.cleaned_data["why_it_matters"],
                status=goal.status,
                meeting=meeting,
                summary=_("Corrected in the plan meeting"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: the goal now says what you said."))
            return redirect(f"{_mode_url(youth, meeting, number)}#goal-{goal.pk}")
    return _render(request, youth, meeting, audience, number=number, bound={"goal": goal.pk, "form": form}, status=400)


@login_required
@require_POST
def plan_mode_step_change(request: HttpRequest, pk: int, meeting_pk: int, step_pk: int) -> HttpResponse:
    """Correct a step's words on the screen; who helps and by when stay as they are."""
    youth, meeting, audience = _load(request, pk, meeting_pk)
    step: PlanStep = selectors.plan_mode_step(youth=youth, audience=audience, pk=step_pk)
    form = StepWordsForm(request.POST, prefix=f"step{step.pk}")
    number = _area_number(request)
    if form.is_valid():
        try:
            services.plan_step_change(
                actor=request.user,
                step=step,
                what=form.cleaned_data["what"],
                helper=step.helper,
                due_on=step.due_on,
                meeting=meeting,
                summary=_("Corrected in the plan meeting"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: the step now says what you said."))
            return redirect(f"{_mode_url(youth, meeting, number)}#step-{step.pk}")
    return _render(request, youth, meeting, audience, number=number, bound={"step": step.pk, "form": form}, status=400)
