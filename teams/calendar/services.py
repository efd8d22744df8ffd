"""The personal calendar feed's secret address: made, revoked and used.

The address holds a random token (secrets.token_urlsafe(32), 256 bits); only its SHA-256 is
stored, so the address is shown once, when it is made, and a copy of the database does not
give anyone the feeds. A person has at most one address in force (a database constraint):
making a new one revokes the old. A revoked or unknown address is simply not found.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import access, audit
from org.selectors import staffroles_active
from teams.models import CalendarFeed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_allowed(user: User | AnonymousUser) -> bool:
    """A calendar is for active people who hold a role in force: when the last role ends, the
    page is closed and the feed stops (nothing to revoke by hand)."""
    return bool(user is not None and user.is_authenticated and user.is_active and staffroles_active(user=user).exists())


def calendar_feed_active(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_create(*, actor: User | AnonymousUser) -> tuple[CalendarFeed, str]:
    """Make the person a new secret address, revoking the one in force. Returns the feed and
    the token, which is not stored and cannot be shown again."""
    if not calendar_feed_allowed(actor):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        # Lock the person, so that two requests at once make one address after the other (the
        # second revoking the first) instead of both trying to be the one in force.
        get_user_model().objects.select_for_update().filter(pk=access.signed_in(actor).pk).first()
        previous = list(
            CalendarFeed.objects.select_for_update().filter(user=access.signed_in(actor), revoked_at__isnull=True)
        )
        for old in previous:
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
            audit.record(actor=actor, action="calendar.feed_revoked", target=old, detail={"replaced": True})
        token = secrets.token_urlsafe(TOKEN_BYTES)
        feed = CalendarFeed.objects.create(user=access.signed_in(actor), token_hash=token_hash(token), created_at=now)
        audit.record(actor=actor, action="calendar.feed_created", target=feed)
    return feed, token


def calendar_feed_revoke(*, actor: User | AnonymousUser) -> CalendarFeed | None:
    """Revoke the person's address in force (their own only); None when there is none."""
    if not calendar_feed_allowed(actor):
        raise PermissionDenied
    with transaction.atomic():
        feed = (
            CalendarFeed.objects.select_for_update()
            .filter(user=access.signed_in(actor), revoked_at__isnull=True)
            .first()
        )
        if feed is None:
            return None
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="calendar.feed_revoked", target=feed)
    return feed


def calendar_feed_open(*, token: str) -> CalendarFeed | None:
    """The feed in force for this token, its use noted (last_used_at); None when the token is
    unknown or revoked, or its owner may no longer have a calendar. Fetches are not audited:
    calendar programs poll every hour, and the feed names no youth."""
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not calendar_feed_allowed(feed.user):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed
