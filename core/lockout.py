"""Lock-out after repeated failed sign-ins (django-axes), keyed on the account, not the spelling.

Sign-in finds the account by e-mail without regard to case (core.models.UserManager), so
axes must count "Per.Loken@…", " per.loken@… " and "ＰＥＲ.ＬＯＫＥＮ@…" as one account: every
spelling is normalised (surrounding space removed, Unicode NFKC, lower case) before it reaches
either the authentication backend (core.forms) or axes (AXES_USERNAME_CALLABLE below).

The lock-out covers both steps: a locked account gets no further password check, and the code
step refuses a correct code while the account is locked (wrong codes count towards the same
lock-out, core.views). Failures are cleared only when both steps have succeeded (`clear`),
so a known password cannot be used to reset the count of wrong codes.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def normalise_email(value: Any) -> str:
    """The one spelling of a sign-in name: NFKC, no surrounding space, lower case."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalised name from the credentials, else from the form."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw: Any = None
    if credentials:
        raw = credentials.get(field)
    elif request is not None:
        raw = getattr(request, "POST", {}).get(field)
    if raw is None:
        return None
    return normalise_email(raw)


def _credentials(user: User | AnonymousUser) -> dict[str, str]:
    return {settings.AXES_USERNAME_FORM_FIELD: normalise_email(user.get_username())}


def is_locked(request: HttpRequest, user: User | AnonymousUser) -> bool:
    """Is this person's account locked out now (whatever spelling the failures were typed in)?"""
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def clear(user: User | AnonymousUser) -> None:
    """Both steps succeeded: forget the account's failed attempts."""
    reset(username=_credentials(user)[settings.AXES_USERNAME_FORM_FIELD])
