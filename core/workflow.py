"""Workflows as tables: each workflow (follow-up, concern report, meeting, minutes) writes its
states and allowed transitions once, next to its model's State, as a `Transitions` table:
action → (the states it may be taken from, the state it leads to, the caseworker-readable
message when the state does not allow it). Services apply the table (`transition_check`), and
pages, templates and the API ask it which actions are open now (`actions_open`), so no view or
template compares state names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Transition:
    """One action of a workflow: taken from any state in `sources`; `target` is the state it
    leads to (None when the state stays, e.g. extending an investigation); `refused` is the
    message (a lazy gettext string) when the current state does not allow it."""

    sources: frozenset[str]
    target: str | None
    refused: Any


Transitions = Mapping[str, Transition]


def transition(sources: Iterable[str], target: str | None, refused: Any) -> Transition:
    return Transition(frozenset(str(s) for s in sources), None if target is None else str(target), refused)


def transition_allowed(table: Transitions, action: str, state: str) -> bool:
    return str(state) in table[action].sources


def transition_check(table: Transitions, action: str, state: str) -> str | None:
    """The state `action` leads to from `state`; ValidationError with the workflow's message
    when the table does not allow it."""
    step = table[action]
    if str(state) not in step.sources:
        raise ValidationError(str(step.refused))
    return step.target


def actions_open(table: Transitions, state: str) -> list[str]:
    """The actions the table allows from `state`, in the table's order."""
    return [action for action, step in table.items() if str(state) in step.sources]


def transition_to(table: Transitions, state: str, target: str) -> str | None:
    """The action that leads from `state` to `target` (for a service asked for a state rather
    than an action), or None when the table has none."""
    for action, step in table.items():
        if step.target == str(target) and str(state) in step.sources:
            return action
    return None
