"""Celery tasks of the teams app: thin wrappers, each calling one service (teams/reminders.py).
Scheduled in CELERY_BEAT_SCHEDULE; every one is safe to run twice, at once, or late (the
services compute what is due from the data and the clock, and notify once per key)."""

from __future__ import annotations

from celery import shared_task

from teams.meetings import reminders
from teams.plans import reminders as plan_reminders
from teams.transition import alerts as transition_alerts


@shared_task
def meeting_reminders() -> int:
    """Every 15 minutes: remind staff participants of meetings starting within 24 hours."""
    return reminders.meeting_reminders_send().notifications


@shared_task
def meeting_changes() -> int:
    """Every 15 minutes: update or cancel the invitations sent for meetings moved or cancelled."""
    return reminders.meeting_changes_send().notifications


@shared_task
def action_item_reminders() -> int:
    """Every 15 minutes: remind owners of action items due within 2 days, and once when overdue."""
    return reminders.action_item_reminders_send().notifications


@shared_task
def overdue_digest() -> int:
    """Every working hour: the coordinators' weekly digest of overdue action items, once a week."""
    return reminders.overdue_digest_send().notifications


@shared_task
def plan_review_reminders() -> int:
    """Every working hour: remind the lead of a plan review due within 14 days, and once when overdue."""
    return plan_reminders.plan_review_reminders_send().notifications


@shared_task
def turning_18_alerts() -> int:
    """Every working hour: alert the lead follower, coordinators and leaders 12, 6, 3 and 1 month
    before a youth in follow-up turns 18, once per step (teams.transition.alerts)."""
    return transition_alerts.turning_18_alerts_send().notifications
