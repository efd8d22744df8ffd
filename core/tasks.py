from __future__ import annotations

import logging

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
