"""Sections that packages above meetings add to a meeting's page (the youth's plan beside the
minutes, issue 13): teams.plans sits above teams.meetings (no import cycle inside teams), so the
meeting page never imports it; teams.apps registers what the plan shows, and the meeting page
asks here, as the youth's page asks cases.sections.

A section provider takes the person and the meeting (already fetched through core.access) and
returns what its template shows, or None when it has nothing for this meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User
    from teams.models import Meeting

Provider = Callable[..., Any]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add a section to the meeting page (called from an AppConfig.ready)."""
    _PROVIDERS[name] = provider


def section(name: str, *, user: User | AnonymousUser, meeting: Meeting, default: Any = None) -> Any:
    """The section `name` for this person and meeting, or `default` when nothing provides it."""
    provider = _PROVIDERS.get(name)
    return default if provider is None else provider(user=user, meeting=meeting)
