"""Reminders and alerts to one person: stored once, shown in Laget, sent by e-mail.

`notify` is idempotent on (recipient, key): the reminder tasks may run twice, be redelivered
or catch up after downtime, and each reminder is still stored once.

The notification row is the e-mail's outbox entry, written in the caller's transaction. After
commit a task is queued as a doorbell (core.tasks.notification_email); whether or not it
arrives, the sweep every minute (and at each worker's start) delivers what is due. The sender
is core.outbox, which the tasks call: notify → core.tasks → core.outbox, never back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import access
from .models import Notification

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)


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
