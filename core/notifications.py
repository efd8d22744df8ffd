"""Reminders and alerts to one person: stored once, shown in Laget, sent by e-mail.

`notify` is idempotent on (recipient, key): the reminder tasks may run twice, be redelivered
or catch up after downtime, and each reminder is still stored and sent exactly once.
"""

from __future__ import annotations

import re
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Notification

INVITATION_FILENAME = "invitasjon.ics"


def notify(
    *,
    recipient: Any,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    youth_id: int | None = None,
    calendar: str = "",
) -> Notification | None:
    """Store the notification unless one with the same key exists; e-mail it after commit.
    Returns the new notification, or None when it had been made before.

    `calendar` is an iCalendar text (METHOD:REQUEST) sent with the e-mail as an invitation; like
    the e-mail it must not name the youth (teams.calendar builds it from the meeting type only)."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                key=key,
                title=title,
                body=body,
                url=url,
                youth_id=youth_id,
                calendar=calendar,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def notify_recorded(
    *,
    recipient: Any,
    action: str,
    target: Any,
    youth_id: int | None = None,
    detail: dict[str, Any] | None = None,
    **notification: Any,
) -> bool:
    """A reminder sent by the system and its audit entry, in one transaction (every reminder is
    recorded); False when it had been sent before."""
    from . import audit

    with transaction.atomic():
        made = notify(recipient=recipient, youth_id=youth_id, **notification)
        if made is None:
            return False
        audit.record(
            actor=None,
            action=action,
            target=target,
            youth=youth_id,
            detail={"recipient": recipient.pk, "key": made.key, "notification": made.pk, **(detail or {})},
        )
    return True


def _queue_email(notification_id: int) -> None:
    from .tasks import notification_email

    notification_email.delay(notification_id)


def notification_send_email(*, notification_id: int) -> bool:
    """Send the e-mail of one notification once (safe to run twice)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.email:
            return False
        # E-mail leaves the municipality's systems: it says only that there is something to
        # see, never who it is about. The reminder itself is read in Laget, after sign-in.
        link = f"{settings.LAGET_BASE_URL}{notification.url or '/varsler/'}"
        with translation.override(settings.LANGUAGE_CODE):
            message = EmailMessage(
                subject=gettext("Laget: you have a new reminder"),
                body=gettext("You have a new reminder in Laget. Sign in to read it:\n\n%(link)s") % {"link": link},
                to=[notification.recipient.email],
            )
        if notification.calendar:
            message.attach(_invitation(notification.calendar))
        message.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True


def _invitation(calendar: str) -> MIMEText:
    """The iCalendar text as the attachment calendar programs read as an invitation (or as its
    cancellation: the part's method is the calendar's METHOD, REQUEST unless it says CANCEL)."""
    part = MIMEText(calendar, "calendar", "utf-8")
    method = "CANCEL" if re.search(r"^METHOD:CANCEL\r?$", calendar, re.MULTILINE) else "REQUEST"
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=INVITATION_FILENAME)
    return part


def notifications_unread(*, user: Any, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])


def notification_mark_read(*, user: Any, notification_id: int) -> None:
    Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())
