"""API authentication: a two-factor browser session, or a bearer key for other systems."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.request import Request

from .api_tokens import api_token_authenticate
from .models import ApiToken


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


class BearerTokenAuthentication(BaseAuthentication):
    """API keys that their owners issue on /konto/api-nokler/: `Authorization: Bearer <key>`.
    An unknown, expired or revoked key is a 401 (core.api_tokens audits it)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: give one key after Bearer."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from error
        token = api_token_authenticate(secret=secret[:200])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked API key."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
