"""Reminders and alerts to one person: stored once, shown in Laget, sent by e-mail.

`notify` is idempotent on (recipient, key): the reminder tasks may run twice, be redelivered
or catch up after downtime, and each reminder is still stored once.

The notification row is the e-mail's outbox entry, written in the caller's transaction. After
commit a task is queued as a doorbell; whether or not it arrives, the sweep every minute (and
at each worker's start) delivers what is due. Delivery is at least once: a sender marks its
attempt before it talks to the mail server and the result after, so a row is never sent again
once marked sent, and two senders never send the same row at once. Only a crash between the
mail server accepting the e-mail and the row being marked sent leaves it unknown whether the
e-mail left; the row is then sent again when its lease runs out (one possible duplicate is
preferred over a lost reminder).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from . import access
from .models import Notification

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)

INVITATION_FILENAME = "invitasjon.ics"
UNSENT = (Notification.EmailState.PENDING, Notification.EmailState.SENDING)
EMAIL_MAX_BACKOFF = datetime.timedelta(hours=6)


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
    the e-mail it must not name the youth (teams.calendar.feed builds it from the meeting type only)."""
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
    transaction.on_commit(lambda: _queue_email(notification.pk), robust=True)
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
    """Ring the doorbell: ask a worker to deliver now. The row is already committed, so when the
    broker is away this only logs; the periodic sweep (notifications_deliver_due) sends it later."""
    from .tasks import notification_email

    try:
        notification_email.delay(notification_id)
    except Exception as exc:  # noqa: BLE001 (any broker failure: the outbox row keeps the e-mail)
        logger.warning("e-mail %s left for the sweep: broker unavailable (%s)", notification_id, exc.__class__.__name__)


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


# A notification keeps the words it was made with, and those may name a youth. The person may
# since have lost access to that youth (left the team, the follow-up closed), so what is shown is
# decided when it is shown: through core.access, for the whole page in one query.
LOST_ACCESS_TITLE = gettext_lazy("A notification about a youth you no longer have access to")


@dataclass(frozen=True)
class ShownNotification:
    """A notification as the person may see it now: the stored words, or a neutral title and
    no text or link when it is about a youth the person may no longer see."""

    notification: Notification
    title: str
    body: str
    url: str

    @property
    def pk(self) -> int:
        return self.notification.pk

    @property
    def read_at(self) -> datetime.datetime | None:
        return self.notification.read_at

    @property
    def created_at(self) -> datetime.datetime:
        return self.notification.created_at


def notifications_shown(*, user: User, notifications: Iterable[Notification]) -> list[ShownNotification]:
    """The notifications with whatever names a youth the person may no longer see taken out.
    One query for any number of notifications (core.access.visible on the youths they name)."""
    rows = list(notifications)
    youth_ids = {row.youth_id for row in rows if row.youth_id is not None}
    visible: set[int] = set()
    if youth_ids:
        # By label: core sits below cases and does not import it.
        youth_model = apps.get_model("cases", "Youth")
        queryset = youth_model._default_manager.filter(pk__in=youth_ids)
        visible = set(access.visible(user, queryset).values_list("pk", flat=True))
    shown = []
    for row in rows:
        if row.youth_id is None or row.youth_id in visible:
            shown.append(ShownNotification(row, row.title, row.body, row.url))
        else:
            shown.append(ShownNotification(row, str(LOST_ACCESS_TITLE), "", ""))
    return shown


def notifications_unread(*, user: User, limit: int = 20) -> list[ShownNotification]:
    """The person's unread notifications, newest first, as they may see them now."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-id")[:limit]
    return notifications_shown(user=user, notifications=rows)


@dataclass(frozen=True)
class NotificationPage:
    notifications: list[ShownNotification]
    page: Page[Notification]  # for the pager


def notifications_page(*, user: User, page: Any, per_page: int = 50) -> NotificationPage:
    """One page of the person's own notifications (addressed to one recipient, never shared):
    unread first, newest first, as they may see them now."""
    rows = Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    found = Paginator(rows, per_page).get_page(page)
    return NotificationPage(notifications_shown(user=user, notifications=found.object_list), found)


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user: User, notification_id: int) -> None:
    Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())
