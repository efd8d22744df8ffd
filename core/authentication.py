"""API authentication: a two-factor browser session, or a bearer token for other systems."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts only after two-factor sign-in."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = getattr(request._request, "user", None)
        if user is None or not getattr(user, "is_verified", lambda: False)():
            return None
        return result


class BearerTokenAuthentication(TokenAuthentication):
    """API tokens for other systems, issued by an administrator: `Authorization: Bearer <token>`."""

    keyword = "Bearer"
