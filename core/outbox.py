"""The sender of the notifications' e-mails (the outbox written by core.notifications.notify),
called by the tasks in core.tasks: the doorbell after commit and the sweep.

Delivery is at least once: a sender marks its attempt before it talks to the mail server and
the result after, so a row is never sent again once marked sent, and two senders never send the
same row at once. Only a crash between the mail server accepting the e-mail and the row being
marked sent leaves it unknown whether the e-mail left; the row is then sent again when its lease
runs out (one possible duplicate is preferred over a lost reminder).
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Min, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Notification

logger = logging.getLogger(__name__)

INVITATION_FILENAME = "invitasjon.ics"
UNSENT = (Notification.EmailState.PENDING, Notification.EmailState.SENDING)
EMAIL_MAX_BACKOFF = datetime.timedelta(hours=6)


def _retry_delay(attempts: int) -> datetime.timedelta:
    """Back off after a failed attempt: 1, 2, 4 … minutes, at most six hours."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), EMAIL_MAX_BACKOFF)


def _claim(queryset: QuerySet[Notification]) -> Notification | None:
    """Take one due row for this sender: lock it (skipping rows another sender holds), mark the
    attempt and a lease, and commit before any mail is sent. A second sender, or the same task
    redelivered, finds the row SENDING with a lease in the future and leaves it alone."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            queryset.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(email_state__in=UNSENT, email_next_attempt_at__lte=now)
            .order_by("email_next_attempt_at", "pk")
            .first()
        )
        if notification is None:
            return None
        if not notification.recipient.email:
            notification.email_state = Notification.EmailState.NONE
            notification.email_next_attempt_at = None
            notification.save(update_fields=["email_state", "email_next_attempt_at"])
            return None
        notification.email_state = Notification.EmailState.SENDING
        notification.email_attempts += 1
        notification.email_next_attempt_at = now + settings.LAGET_EMAIL_LEASE
        notification.save(update_fields=["email_state", "email_attempts", "email_next_attempt_at"])
    return notification


def _send(notification: Notification) -> None:
    """Hand one e-mail to the mail server, then record the outcome."""
    # E-mail leaves the municipality's systems: it says only that there is something to see,
    # never who it is about. The reminder itself is read in Laget, after sign-in.
    link = f"{settings.LAGET_BASE_URL}{notification.url or '/varsler/'}"
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=gettext("Laget: you have a new reminder"),
            body=gettext("You have a new reminder in Laget. Sign in to read it:\n\n%(link)s") % {"link": link},
            to=[notification.recipient.email],
        )
    if notification.calendar:
        message.attach(_invitation(notification.calendar))
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 (any failure of the mail server: try again later)
        now = timezone.now()
        given_up = notification.email_attempts >= settings.LAGET_EMAIL_MAX_ATTEMPTS
        Notification.objects.filter(pk=notification.pk, email_state=Notification.EmailState.SENDING).update(
            email_state=Notification.EmailState.FAILED if given_up else Notification.EmailState.PENDING,
            email_next_attempt_at=None if given_up else now + _retry_delay(notification.email_attempts),
            email_error=f"{exc.__class__.__name__}: {exc}"[:200],
        )
        log = logger.error if given_up else logger.warning
        log("e-mail %s attempt %s failed: %s", notification.pk, notification.email_attempts, exc.__class__.__name__)
        return
    Notification.objects.filter(pk=notification.pk).update(
        email_state=Notification.EmailState.SENT,
        emailed_at=timezone.now(),
        email_next_attempt_at=None,
        email_error="",
    )


def notification_deliver(*, notification_id: int) -> bool:
    """Deliver one notification's e-mail if it is due and nobody else is sending it (safe to run
    twice, and at the same time). True when it was handed to the mail server."""
    notification = _claim(Notification.objects.filter(pk=notification_id))
    if notification is None:
        return False
    _send(notification)
    return Notification.objects.filter(pk=notification.pk, email_state=Notification.EmailState.SENT).exists()


def notifications_deliver_due(*, limit: int = 500) -> int:
    """The sweep (every minute, and when a worker starts): deliver every e-mail that is due, one
    claimed row at a time, however it was left: never queued (the broker was down), queued and
    lost (Redis restarted), failed (the mail server was down) or interrupted by a crash."""
    sent = 0
    for _ in range(limit):
        notification = _claim(Notification.objects.all())
        if notification is None:
            break
        _send(notification)
        sent += 1
    return sent


@dataclass(frozen=True)
class OutboxStatus:
    waiting: int
    oldest: datetime.datetime | None
    failed: int


def outbox_status() -> OutboxStatus:
    """How many e-mails wait to be sent (and since when), and how many were given up: for
    /healthz and the leaders' home page. Counts only, never content."""
    unsent = Notification.objects.filter(email_state__in=UNSENT)
    summary = unsent.aggregate(waiting=Count("pk"), oldest=Min("created_at"))
    failed = Notification.objects.filter(email_state=Notification.EmailState.FAILED).count()
    return OutboxStatus(waiting=summary["waiting"], oldest=summary["oldest"], failed=failed)


def _invitation(calendar: str) -> MIMEText:
    """The iCalendar text as the attachment calendar programs read as an invitation (or as its
    cancellation: the part's method is the calendar's METHOD, REQUEST unless it says CANCEL)."""
    part = MIMEText(calendar, "calendar", "utf-8")
    method = "CANCEL" if re.search(r"^METHOD:CANCEL\r?$", calendar, re.MULTILINE) else "REQUEST"
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=INVITATION_FILENAME)
    return part
