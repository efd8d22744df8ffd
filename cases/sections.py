"""Sections that apps above cases add to the youth's page (the team, its meetings): cases sits
below teams in the layers (docs/architecture.md), so it never imports them; each app registers
what it shows when it is ready (teams.apps), and the youth's page asks here.

A section provider takes the person and the youth (already fetched through core.access, the read
audited by cases.selectors.youth_view_get) and returns what the template shows. What it reveals
of the youth is its own selector's and consent.policy's to decide, as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

    from .models import Youth

Provider = Callable[..., Any]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add a section to the youth's page (called from an AppConfig.ready)."""
    _PROVIDERS[name] = provider


def section(name: str, *, user: User | AnonymousUser, youth: Youth, default: Any = None) -> Any:
    """The section `name` for this person and youth, or `default` when no app provides it."""
    provider = _PROVIDERS.get(name)
    return default if provider is None else provider(user=user, youth=youth)
