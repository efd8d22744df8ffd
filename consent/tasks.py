"""Consent reminders (Celery beat, daily). Each is safe to run twice: notifications are stored
once per key (core.notifications)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def consents_lapsed_at_18() -> int:
    """The warnings before guardian consents lapse at 18, and the reminders once they have."""
    sent = services.consents_lapsing_at_18_notify() + services.consents_lapse_at_18()
    logger.info("consent lapsing or lapsed at 18: %d reminders", sent)
    return sent


@shared_task
def consents_expiring() -> int:
    sent = services.consents_expiring_notify()
    logger.info("consents expiring within 30 days: %d reminders", sent)
    return sent
