from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from . import audit

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


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notification_email(self: Any, notification_id: int) -> bool:
    """E-mail one notification; retried when the mail server is away, never sent twice."""
    from .notifications import notification_send_email

    try:
        return notification_send_email(notification_id=notification_id)
    except OSError as exc:  # the mail server did not answer
        raise self.retry(exc=exc) from exc
