"""Sign-in events go to the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit

if TYPE_CHECKING:
    from core.models import User


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit.record(actor=user, action="auth.password_ok", target=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action="auth.logout", target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if sender == "core.views":
        return  # a wrong TOTP code: already recorded as auth.otp_failed
    username = str(credentials.get("username", ""))[:254]
    user = get_user_model().objects.filter(email__iexact=username).first()
    audit.record(actor=None, action="auth.login_failed", target=user, detail={"username": username})


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    user = get_user_model().objects.filter(email__iexact=username or "").first()
    audit.record(actor=None, action="auth.locked_out", target=user, detail={"username": username or ""})
