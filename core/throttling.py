"""Rate limits per client: the API (per person, or per address before sign-in) and sign-in (per
address).

The counters live in the cache (django-redis with IGNORE_EXCEPTIONS). When Redis is down a read
answers as empty and a write does nothing, so the limits fail open: every request is let through
rather than refused. That is deliberate: an outage of the cache must never stop people from
signing in or an integrating system from working, and the lock-out per account (django-axes,
core.lockout, kept in PostgreSQL) still holds.

The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), read at each request so that
a changed setting takes effect without a restart of the class.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from .middleware import client_ip


def _rate(scope: str | None) -> str | None:
    rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
    return rates.get(scope or "")


class ApiUserThrottle(UserRateThrottle):
    """Per person (or API key's owner) for signed-in calls."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"


class ApiAnonThrottle(AnonRateThrottle):
    """Per client address before sign-in (the address as core.middleware reads it, through the
    trusted proxies only, so a forged X-Forwarded-For does not give a fresh allowance)."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"


class SignInThrottle(SimpleRateThrottle):
    """Failed sign-in steps (a wrong password or a wrong code) per client address.

    The lock-out per account stops guessing one account's password; this stops one address from
    trying a few passwords against many accounts. Only failures count: in the municipality many
    people share one outgoing address, and a morning of correct sign-ins from an office must not
    lock the office out. While an address is over the limit every sign-in POST from it is refused
    before the password or code is checked, so the answer tells nothing about the account."""

    scope = "signin"

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}

    def _recent(self, request: HttpRequest) -> tuple[str, list[float], int, int]:
        """The cache key, the failures within the window (newest first), the limit and the window."""
        limit, window = self.parse_rate(self.get_rate())
        key = self.get_cache_key(request, None)
        now = self.timer()
        history = [moment for moment in self.cache.get(key, []) if moment > now - (window or 0)]
        return key, history, limit or 0, window or 0

    def exceeded(self, request: HttpRequest) -> bool:
        """Has this address used up its failures for now?"""
        if self.get_rate() is None:
            return False
        _key, history, limit, _window = self._recent(request)
        return len(history) >= limit

    def failed(self, request: HttpRequest) -> None:
        """Count one failed step from this address. Two failures at the same moment may be
        counted as one (read, then write): a limit of this kind needs no more precision."""
        if self.get_rate() is None:
            return
        key, history, limit, window = self._recent(request)
        self.cache.set(key, [self.timer(), *history][:limit], window)
