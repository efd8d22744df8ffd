"""Reminders about reviewing a youth's plan (issue 13, point 4): the team member who holds lead
responsibility is told LAGET_PLAN_REVIEW_REMINDER_DAYS (14) days before the next review, and once
more when it is overdue. teams.tasks.plan_review_reminders runs it from Celery beat.

The pattern of teams/meetings/reminders.py and cases/reminders.py:
- what is due is computed from the data and the clock, never from when the last run happened,
  so a run after the worker, beat or Redis was down catches up: a review whose date passed
  meanwhile is told as overdue (the "due" reminder it missed is not sent late);
- core.notifications stores one notification per (recipient, key), and the key holds the review
  date, so each reminder is sent exactly once per date, however often the task runs; a new
  review date (teams.plans.services.plan_review_set) is reminded again, and a new lead gets
  their own;
- each reminder is its own transaction with its audit entry (plan.review_reminder_sent).

Only plans with content (version 1 or later) of youths whose follow-up is not closed are
reminded. The notification names neither the youth nor the plan's content: it links to the plan
in Laget, and the e-mail only says there is a reminder (core.notifications).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import FollowUp
from core.dates import today_in_oslo
from core.models import Notification
from core.notifications import notify_recorded
from teams.calendar.feed import plan_url
from teams.models import Plan, TeamMember

logger = logging.getLogger(__name__)


@dataclass
class PlanReviewRun:
    due: int = 0
    overdue: int = 0
    notifications: int = 0


def plan_review_reminder_key(plan: Plan, *, today: datetime.date) -> str:
    """One reminder before the review and one after its date, each once per review date."""
    state = "overdue" if plan.next_review_on < today else "due"
    return f"plan_review:{plan.pk}:{state}:{plan.next_review_on.isoformat()}"


def _date(day: datetime.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def plans_due_for_review(*, today: datetime.date | None = None) -> list[Plan]:
    """Plans with content whose review falls within the reminder window or has passed, of
    youths whose follow-up is not closed, the earliest first (for the reminders and a page)."""
    today = today or today_in_oslo()
    horizon = today + datetime.timedelta(days=settings.LAGET_PLAN_REVIEW_REMINDER_DAYS)
    open_followup = FollowUp.objects.filter(youth_id=OuterRef("youth_id")).exclude(state=FollowUp.State.CLOSED)
    return list(
        Plan.objects.filter(Exists(open_followup), version__gte=1, next_review_on__lte=horizon).order_by(
            "next_review_on", "pk"
        )
    )


def plan_review_reminders_send(*, today: datetime.date | None = None) -> PlanReviewRun:
    """Remind the lead of each plan due for review (see the module docstring). Safe to run twice,
    at once, or late."""
    today = today or today_in_oslo()
    plans = plans_due_for_review(today=today)
    leads = {
        m.youth_id: m.user
        for m in TeamMember.objects.filter(
            youth_id__in=[p.youth_id for p in plans], is_lead=True, ends_on__isnull=True, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    }
    keys = {p.pk: plan_review_reminder_key(p, today=today) for p in plans}
    sent = set(Notification.objects.filter(key__in=set(keys.values())).values_list("recipient_id", "key"))
    run = PlanReviewRun()
    with translation.override(settings.LANGUAGE_CODE):
        for plan in plans:
            lead = leads.get(plan.youth_id)
            if lead is None:
                logger.warning("plan review: plan %s has no lead to remind", plan.pk)
                continue
            key = keys[plan.pk]
            if (lead.pk, key) in sent:
                continue
            values = {"date": _date(plan.next_review_on)}
            if plan.next_review_on < today:
                run.overdue += 1
                kind = "plan_review_overdue"
                title = _("Plan review overdue since %(date)s") % values
                body = (
                    _(
                        "A youth's plan you hold lead responsibility for was to be reviewed by %(date)s. "
                        "Put the review on the agenda of the next team meeting, or set a new date."
                    )
                    % values
                )
            else:
                run.due += 1
                kind = "plan_review_due"
                title = _("Plan review due %(date)s") % values
                body = (
                    _(
                        "A youth's plan you hold lead responsibility for is to be reviewed by %(date)s. "
                        "Put the review on the agenda of a team meeting."
                    )
                    % values
                )
            if notify_recorded(
                recipient=lead,
                action="plan.review_reminder_sent",
                target=plan,
                youth_id=plan.youth_id,
                detail={"key": key, "next_review_on": plan.next_review_on.isoformat()},
                kind=kind,
                key=key,
                title=title[:200],
                body=body,
                url=plan_url(plan.youth_id),
            ):
                run.notifications += 1
    logger.info("plan review reminders: %d due, %d overdue, %d notifications", run.due, run.overdue, run.notifications)
    return run
