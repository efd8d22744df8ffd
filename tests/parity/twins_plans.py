"""Parity twins of the plan API (issue 13, point 8): adding and changing a goal, adding and
changing a step, moving a step on, setting the next review and recording an acknowledgement,
each against its form on the plan pages (/ungdommer/<pk>/plan/…, namespace "plans"). The
scene's plan is made by the follower (the youth's lead): a school goal with a step nobody is
named for yet and a step that is the lead's action item."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from core.dates import today_in_oslo
from teams.models import Meeting, Plan, PlanAcknowledgement, PlanArea, PlanGoal, PlanStep, TeamMember
from teams.plans import services

from ..teams.factories_meetings import team_meeting
from .base import Scene, Twin


def _day(days: int) -> str:
    return (today_in_oslo() + datetime.timedelta(days=days)).isoformat()


def _school() -> PlanArea:
    return PlanArea.objects.get(code="school")


def _plan(s: Scene) -> dict[str, Any]:
    """The scene's plan (made once): a school goal, a plain step and a step that is an action item."""

    def make() -> dict[str, Any]:
        follower = s.people.follower
        plan = services.plan_get_or_create(actor=follower, youth=s.youth)
        goal = services.plan_goal_add(
            actor=follower,
            plan=plan,
            area=_school(),
            in_own_words="Jeg vil klare å stå opp til første time",
            why_it_matters="Da slipper jeg å henge etter",
        )
        plain = services.plan_step_add(actor=follower, goal=goal, what="Legge mobilen i stua om kvelden")
        lead = TeamMember.objects.get(youth=s.youth, is_lead=True, ends_on__isnull=True)
        item = services.plan_step_add(
            actor=follower, goal=goal, what="Snakke med kontaktlæreren", helper=lead, due_on=today_in_oslo()
        )
        return {"plan": plan, "goal": goal, "plain": plain, "item": item}

    return s.once("plan", make)


def _goal(s: Scene) -> PlanGoal:
    goal = _plan(s)["goal"]
    assert isinstance(goal, PlanGoal)
    return goal


def _step(s: Scene, which: str = "plain") -> PlanStep:
    step = _plan(s)[which]
    assert isinstance(step, PlanStep)
    return step


def _meeting(s: Scene) -> Meeting:
    """A team meeting about the youth today, where the plan was shown on screen; the youth is 16,
    so the youth's own acknowledgement is asked (the consent age rules)."""

    def make() -> Meeting:
        sixteen = today_in_oslo().replace(year=today_in_oslo().year - 16) - datetime.timedelta(days=30)
        type(s.youth).objects.filter(pk=s.youth.pk).update(birth_date=sixteen)
        return team_meeting(s.people.follower, s.youth, s.people.unit, days=0)

    return s.once("plan_meeting", make)


def _url(name: str, s: Scene, *args: int) -> str:
    return reverse(f"plans:{name}", args=[s.youth.pk, *args])


def _api(s: Scene, path: str = "") -> str:
    return f"/api/v1/youths/{s.youth.pk}/plan/{path}"


def _goals(s: Scene) -> list[tuple[str, str]]:
    _plan(s)
    return list(PlanGoal.objects.filter(plan__youth=s.youth).order_by("id").values_list("in_own_words", "status"))


def _steps(s: Scene) -> list[str]:
    _plan(s)
    return list(PlanStep.objects.filter(goal__plan__youth=s.youth).order_by("id").values_list("what", flat=True))


def _status(s: Scene, which: str = "plain") -> str:
    return PlanStep.objects.select_related("action_item").get(pk=_step(s, which).pk).current_status


def _review(s: Scene) -> Any:
    _plan(s)
    return Plan.objects.filter(youth=s.youth).values_list("next_review_on", flat=True).first()


def _acks(s: Scene) -> int:
    _plan(s)
    _meeting(s)
    return PlanAcknowledgement.objects.filter(version__plan__youth=s.youth).count()


def _goal_page(s: Scene, **fields: str) -> dict[str, Any]:
    return {
        "area": str(_school().pk),
        "in_own_words": "Jeg vil komme tidsnok til skolen hver dag",
        "why_it_matters": "Da får jeg med meg det vi gjør",
        "status": "active",
        "summary": "",
    } | fields


def _step_page(**fields: str) -> dict[str, Any]:
    return {"what": "Lage en ukeplan med kontaktlæreren", "helper": "", "due_on": "", "summary": ""} | fields


TWINS: dict[str, Twin] = {
    "youths_plan_goals_create": Twin(
        api=lambda s: (
            "POST",
            _api(s, "goals/"),
            {"area": "school", "in_own_words": "Jeg vil komme tidsnok til skolen hver dag"},
        ),
        page=lambda s: (_url("goal_add", s), _goal_page(s)),
        effect=_goals,
    ),
    "youths_plan_goals_partial_update": Twin(
        api=lambda s: ("PATCH", _api(s, f"goals/{_goal(s).pk}/"), {"in_own_words": "Jeg vil være på skolen kl. 8"}),
        page=lambda s: (
            _url("goal_change", s, _goal(s).pk),
            _goal_page(s, in_own_words="Jeg vil være på skolen kl. 8", why_it_matters=_goal(s).why_it_matters),
        ),
        effect=_goals,
    ),
    "youths_plan_goals_steps_create": Twin(
        api=lambda s: ("POST", _api(s, f"goals/{_goal(s).pk}/steps/"), {"what": "Lage en ukeplan med kontaktlæreren"}),
        page=lambda s: (_url("step_add", s, _goal(s).pk), _step_page()),
        effect=_steps,
    ),
    "youths_plan_steps_partial_update": Twin(
        api=lambda s: ("PATCH", _api(s, f"steps/{_step(s).pk}/"), {"what": "Lade mobilen på kjøkkenet"}),
        page=lambda s: (_url("step_change", s, _step(s).pk), _step_page(what="Lade mobilen på kjøkkenet")),
        effect=_steps,
    ),
    "youths_plan_steps_status_create": Twin(
        api=lambda s: ("POST", _api(s, f"steps/{_step(s).pk}/status/"), {"status": "in_progress"}),
        page=lambda s: (_url("step_status", s, _step(s).pk), {"status": "in_progress", "done_note": ""}),
        effect=_status,
    ),
    "youths_plan_review_update": Twin(
        api=lambda s: ("PUT", _api(s, "review/"), {"next_review_on": _day(40)}),
        page=lambda s: (_url("review", s), {"next_review_on": _day(40)}),
        effect=_review,
    ),
    "youths_plan_acknowledgements_create": Twin(
        api=lambda s: (
            "POST",
            _api(s, "acknowledgements/"),
            {"version": _plan(s)["plan"].version, "party": "youth", "how": "meeting", "meeting": _meeting(s).pk},
        ),
        page=lambda s: (
            _url("acknowledge", s),
            {"who": "youth", "how": "meeting", "meeting": str(_meeting(s).pk), "note": ""},
        ),
        effect=_acks,
    ),
}

ALLOWED: dict[str, str] = dict.fromkeys(TWINS, "follower")

RULE_BREAKS: dict[str, Twin] = {
    "youths_plan_goals_create": Twin(  # a goal with no words
        api=lambda s: ("POST", _api(s, "goals/"), {"area": "school", "in_own_words": ""}),
        page=lambda s: (_url("goal_add", s), _goal_page(s, in_own_words="")),
        effect=_goals,
    ),
    "youths_plan_goals_partial_update": Twin(  # the goal's words taken away
        api=lambda s: ("PATCH", _api(s, f"goals/{_goal(s).pk}/"), {"in_own_words": ""}),
        page=lambda s: (_url("goal_change", s, _goal(s).pk), _goal_page(s, in_own_words="")),
        effect=_goals,
    ),
    "youths_plan_goals_steps_create": Twin(  # a step that says nothing
        api=lambda s: ("POST", _api(s, f"goals/{_goal(s).pk}/steps/"), {"what": ""}),
        page=lambda s: (_url("step_add", s, _goal(s).pk), _step_page(what="")),
        effect=_steps,
    ),
    "youths_plan_steps_partial_update": Twin(  # a date decades ahead
        api=lambda s: ("PATCH", _api(s, f"steps/{_step(s).pk}/"), {"due_on": "2091-01-01"}),
        page=lambda s: (
            _url("step_change", s, _step(s).pk),
            _step_page(what=_step(s).what, due_on="2091-01-01"),
        ),
        effect=lambda s: PlanStep.objects.filter(pk=_step(s).pk).values_list("what", "due_on").first(),
    ),
    "youths_plan_steps_status_create": Twin(  # an action item done without a word of what was done
        api=lambda s: ("POST", _api(s, f"steps/{_step(s, 'item').pk}/status/"), {"status": "done"}),
        page=lambda s: (_url("step_status", s, _step(s, "item").pk), {"status": "done", "done_note": ""}),
        effect=lambda s: _status(s, "item"),
    ),
    "youths_plan_review_update": Twin(  # a review in the past
        api=lambda s: ("PUT", _api(s, "review/"), {"next_review_on": _day(-1)}),
        page=lambda s: (_url("review", s), {"next_review_on": _day(-1)}),
        effect=_review,
    ),
    "youths_plan_acknowledgements_create": Twin(  # on screen, but in no meeting
        api=lambda s: (
            "POST",
            _api(s, "acknowledgements/"),
            {"version": _plan(s)["plan"].version, "party": "youth", "how": "meeting"},
        ),
        page=lambda s: (_url("acknowledge", s), {"who": "youth", "how": "meeting", "meeting": "", "note": ""}),
        effect=_acks,
    ),
}
