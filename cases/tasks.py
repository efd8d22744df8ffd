"""Celery tasks of the cases app: thin wrappers, each calling one service (cases/reminders.py,
cases/services.py). Scheduled in CELERY_BEAT_SCHEDULE; every one is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from . import reminders, services

logger = logging.getLogger(__name__)


@shared_task
def reporting_reminders() -> int:
    """Every 15 minutes: remind followers of reporting dates (meldeplikt) due within 24 hours."""
    return reminders.reporting_reminders_send().notifications


@shared_task
def no_contact_check() -> int:
    """Each morning: flag active follow-ups with no contact for 14 days to follower and leaders."""
    return reminders.no_contact_notify().notifications


@shared_task
def outcome_reminders() -> int:
    """Each morning: tell followers that an outcome measure is due (every 3 months)."""
    return reminders.outcome_reminders_send().notifications


@shared_task
def drafts_expire() -> int:
    """Each night: delete contact drafts untouched for LAGET_DRAFT_TTL (7 days)."""
    deleted = services.drafts_expire()
    logger.info("contact drafts expired: %d", deleted)
    return deleted
