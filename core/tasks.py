from __future__ import annotations

import logging

from celery import shared_task

from . import audit, outbox

logger = logging.getLogger(__name__)


@shared_task
def audit_seal() -> int:
    """Chain new audit entries (every minute). Safe to run twice: the sealer takes a lock."""
    total = 0
    while sealed := audit.seal():
        total += sealed
    return total


@shared_task
def audit_verify() -> bool:
    """Nightly check of the whole chain; a broken chain is logged as an error for the operators."""
    result = audit.verify()
    if result.problem is not None:
        logger.error("audit trail check failed: %s", result.problem.message)
    return result.ok


@shared_task
def notification_email(notification_id: int) -> bool:
    """The doorbell after a notification is committed: deliver its e-mail now if nobody else is.
    Failures are recorded on the row and retried by the sweep, never by redelivering this task."""
    return outbox.notification_deliver(notification_id=notification_id)


@shared_task
def notifications_deliver_due() -> int:
    """Every minute, and when a worker starts: send every e-mail that is due (core.outbox)."""
    return outbox.notifications_deliver_due()
