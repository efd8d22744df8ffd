"""Celery tasks of the referrals app: thin wrappers, each calling one service
(referrals/concern_reminders.py). Scheduled in CELERY_BEAT_SCHEDULE; every one is safe to run
twice, at once, or late (the services compute what is due from the data and the Oslo day, and
notify once per key)."""

from __future__ import annotations

from celery import shared_task

from referrals.concerns import reminders as concern_reminders


@shared_task
def concern_deadline_reminders() -> int:
    """Every working hour: warn about concern report deadlines, and once more when overdue."""
    return concern_reminders.concern_deadline_reminders_send().notifications


@shared_task
def concern_handover_gaps() -> int:
    """Every working hour: flag children without follow-up 3 weeks after measures started."""
    return concern_reminders.handover_gaps_send().notifications
