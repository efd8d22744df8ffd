"""Parity twins of the transition checklist's API (issue 14, "Etter 18"): settling a point,
marking it as not applying and opening it again, each against its form under the plan page
(/ungdommer/<pk>/plan/etter-18/<point>/…, namespace "transition"). The point is housing and
money (category family): a member of the team whose service may not see it is refused (403) in
both, one whose service has consent may change it. For reopening, the scene's housing point is
settled first by the follower."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from teams.models import TransitionItem, TransitionPoint
from teams.transition import services

from .base import Scene, Twin

POINT = TransitionPoint.HOUSING


def _url(name: str, s: Scene) -> str:
    return reverse(f"transition:{name}", args=[s.youth.pk, POINT])


def _api(s: Scene, action: str) -> str:
    return f"/api/v1/youths/{s.youth.pk}/transition/{POINT}/{action}/"


def _state(s: Scene) -> tuple[str, str] | None:
    row = TransitionItem.objects.filter(youth=s.youth, point=POINT).values_list("state", "how").first()
    return None if row is None else (row[0], row[1])


def _settled(s: Scene) -> Any:
    """The scene's housing point, settled by the follower (made once)."""
    return s.once(
        "transition_settled",
        lambda: services.transition_point_settle(
            actor=s.people.follower, youth=s.youth, point=POINT, how="Bor hjemme til sommeren"
        ),
    )


def _settled_state(s: Scene) -> tuple[str, str] | None:
    _settled(s)
    return _state(s)


HOW = "Flytter i hybel i august; bostøtte søkt"
REASON = "Bor hjemme og har jobb; ikke noe å avklare"

TWINS: dict[str, Twin] = {
    "youths_transition_settle_create": Twin(
        api=lambda s: ("POST", _api(s, "settle"), {"how": HOW}),
        page=lambda s: (_url("point_settle", s), {"how": HOW}),
        effect=_state,
    ),
    "youths_transition_not_applicable_create": Twin(
        api=lambda s: ("POST", _api(s, "not-applicable"), {"reason": REASON}),
        page=lambda s: (_url("point_not_applicable", s), {"reason": REASON}),
        effect=_state,
    ),
    "youths_transition_reopen_create": Twin(
        api=lambda s: ("POST", _api(s, "reopen"), {}),
        page=lambda s: (_url("point_reopen", s), {"confirm": "1"}),
        effect=_settled_state,
    ),
}

ALLOWED: dict[str, str] = dict.fromkeys(TWINS, "follower")

RULE_BREAKS: dict[str, Twin] = {
    "youths_transition_settle_create": Twin(  # not a word of how it was settled
        api=lambda s: ("POST", _api(s, "settle"), {"how": "  "}),
        page=lambda s: (_url("point_settle", s), {"how": "  "}),
        effect=_state,
    ),
    "youths_transition_not_applicable_create": Twin(  # no reason
        api=lambda s: ("POST", _api(s, "not-applicable"), {"reason": ""}),
        page=lambda s: (_url("point_not_applicable", s), {"reason": ""}),
        effect=_state,
    ),
    "youths_transition_reopen_create": Twin(  # a point that is open already
        api=lambda s: ("POST", _api(s, "reopen"), {}),
        page=lambda s: (_url("point_reopen", s), {"confirm": "1"}),
        effect=_state,
    ),
}
