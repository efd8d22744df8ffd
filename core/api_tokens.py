"""API keys: issued by their owner, for a purpose, after two-factor sign-in; stored hashed.

A key is `laget_` followed by 43 random characters (256 bits). Only its SHA-256 digest is stored
(a slow hash adds nothing for a secret this long), and it is found by that digest. Every issue,
revocation and refused use is written to the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import ApiToken, User

KEY_PREFIX = "laget_"
# Shown to the owner to tell keys apart: the fixed prefix and 6 random characters (36 bits).
SHOWN = len(KEY_PREFIX) + 6
PURPOSE_MAX = 100
# last_used_at is written at most this often per key, so an API client does not write on every call.
LAST_USED_EVERY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _is_verified(user: User) -> bool:
    # django_otp's middleware adds is_verified() to the signed-in user of the request.
    return bool(getattr(user, "is_verified", lambda: False)())


def api_token_issue(*, actor: User, purpose: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a key to the actor, for the actor: only after two-factor sign-in (a key must not
    be a way around the second factor), for a named purpose, and never longer than
    LAGET_API_TOKEN_MAX_DAYS. Returns the key and its secret, which is not kept anywhere."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active or not _is_verified(actor):
        raise PermissionDenied(_("Sign in with two-factor authentication to issue an API key."))
    purpose = " ".join(purpose.split())
    if not purpose:
        raise ValidationError(_("Say what the key is for."), code="purpose")
    if len(purpose) > PURPOSE_MAX:
        raise ValidationError(
            _("The purpose may be at most %(max)d characters.") % {"max": PURPOSE_MAX}, code="purpose"
        )
    days = settings.LAGET_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.LAGET_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A key may be valid from 1 to %(max)d days.") % {"max": settings.LAGET_API_TOKEN_MAX_DAYS},
            code="days",
        )
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            purpose=purpose,
            prefix=secret[:SHOWN],
            digest=_digest(secret),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit.record(
            actor=actor,
            action="api_token.issued",
            target=token,
            detail={"purpose": purpose, "key": token.prefix, "expires_at": token.expires_at.isoformat()},
        )
    return token, secret


def api_token_revoke(*, actor: User, token_id: int) -> None:
    """The owner revokes their own key; an administrator (superuser) may revoke anyone's. Another
    person's key is answered as not found."""
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update()
        if not actor.is_superuser:
            tokens = tokens.filter(user=actor)
        token = tokens.filter(pk=token_id).select_related("user").first()
        if token is None:
            raise Http404
        audit.record(
            actor=actor,
            action="api_token.revoked",
            target=token,
            detail={"purpose": token.purpose, "key": token.prefix, "owner": token.user.email},
        )
        token.delete()


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own keys, newest first: purpose, created, last used, expires; never a secret."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The key for a secret presented to the API, if it is valid now. A refused key (unknown,
    expired, revoked or its owner deactivated) is audited and answered None."""
    token = ApiToken.objects.select_related("user").filter(digest=_digest(secret)).first()
    now = timezone.now()
    reason = None
    if token is None:
        reason = "unknown"
    elif token.expires_at <= now:
        reason = "expired"
    elif not token.user.is_active:
        reason = "inactive"
    if reason is not None:
        # Only the non-secret beginning of what was presented, and only if it looks like a key.
        shown = secret[:SHOWN] if secret.startswith(KEY_PREFIX) else ""
        audit.record(
            actor=token.user if token is not None else None,
            action="api_token.refused",
            object_type="core.apitoken",
            object_id=token.pk if token is not None else "",
            detail={"reason": reason, "key": shown},
        )
        return None
    assert token is not None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
