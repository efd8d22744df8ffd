"""The youth's own plan ("Min plan", issue 13): goals per life area in the youth's words, the
steps toward them and who helps, every saved change a version (append-only in PostgreSQL),
each version acknowledged by the youth and/or the guardians by the consent age rules.

Registered in the teams app (teams.models imports this module): a step with a helper and a
date IS a meeting action item (teams.models.ActionItem), and helpers are team members.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import Category
from core.validators import HAPPENED, PLANNED, REASON_MAX, date_within, text_within

# Bounds of what one goal and one step may hold (forms and serializers refuse first).
GOAL_TEXT_MAX = 1_000
WHY_MAX = 1_000
STEP_TEXT_MAX = 300  # ActionItem.title: a step backed by an action item is its title
SUMMARY_MAX = 500
# A snapshot holds every goal and step of a plan as JSON; the plan has at most this many of each.
GOALS_MAX = 40
STEPS_PER_GOAL_MAX = 20
SNAPSHOT_MAX = GOALS_MAX * (GOAL_TEXT_MAX + WHY_MAX + STEPS_PER_GOAL_MAX * (STEP_TEXT_MAX + 300) + 500)


class PlanArea(models.Model):
    """A life area a goal belongs to (skole, fritid, arbeid, ...): data, not code, kept by the
    administrators. `category` is the consent category of what is written under it, so the
    sharing policy shows or withholds each goal and its steps (consent.policy); everyday areas
    with no category of their own (leisure, work, friends) are identity and contact
    information, like a contact about them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category of information"), max_length=20, choices=Category.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("life area")
        verbose_name_plural = _("life areas")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """One youth's plan: the current goals and steps (PlanGoal, PlanStep) and the number of the
    version they were last saved as (PlanVersion). The lead and the team are the youth's team
    (TeamMember), read from there, never copied here."""

    youth = models.OneToOneField("cases.Youth", verbose_name=_("youth"), on_delete=models.PROTECT, related_name="plan")
    next_review_on = models.DateField(_("next review"), validators=[PLANNED])
    version = models.PositiveIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [date_within("next_review_on", name="plan_next_review_on_bounds")]
        indexes = [models.Index(fields=["next_review_on"], name="plan_by_review")]

    def __str__(self) -> str:
        return f"{_('Plan')} {self.youth_id} v{self.version}"


class PlanGoal(models.Model):
    """A goal in the youth's own words, in one life area, and why it matters to the youth."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals")
    area = models.ForeignKey(PlanArea, verbose_name=_("life area"), on_delete=models.PROTECT, related_name="+")
    in_own_words = models.TextField(_("the goal, in my own words"), max_length=GOAL_TEXT_MAX)
    why_it_matters = models.TextField(_("why it matters to me"), blank=True, max_length=WHY_MAX)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "area__order", "order", "id"]
        constraints = [
            text_within("in_own_words", GOAL_TEXT_MAX, name="plangoal_in_own_words_bounds"),
            text_within("why_it_matters", WHY_MAX, name="plangoal_why_bounds"),
            models.CheckConstraint(condition=~Q(in_own_words=""), name="plangoal_has_words"),
        ]

    def __str__(self) -> str:
        return self.in_own_words[:60]


def step_statuses() -> list[tuple[str, Any]]:
    """A step's statuses are an action item's (imported late: teams.models imports this module)."""
    from teams.models import ActionItem

    return list(ActionItem.Status.choices)


class PlanStep(models.Model):
    """A concrete step toward a goal: what, who helps (a member of the youth's team: staff, the
    youth or a guardian), by when.

    A step with a helper and a date IS an action item (teams.models.ActionItem, `action_item`),
    the one row that the helper's home page, calendar, reminders and the next team meeting
    show, and whose status is the step's: `status` here is used only while the step has no
    action item (the database holds both rules). Read the status through `current_status`."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.PROTECT, related_name="steps")
    what = models.CharField(_("what is to be done"), max_length=STEP_TEXT_MAX)
    helper = models.ForeignKey(
        "teams.TeamMember",
        verbose_name=_("who helps"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("by when"), null=True, blank=True, validators=[PLANNED])
    status = models.CharField(_("status"), max_length=12, choices=step_statuses, default="open")
    action_item = models.OneToOneField(
        "teams.ActionItem", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_step"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["goal", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action_item__isnull=False, helper__isnull=False, due_on__isnull=False)
                | (Q(action_item__isnull=True) & (Q(helper__isnull=True) | Q(due_on__isnull=True))),
                name="planstep_helper_and_date_is_action_item",
                violation_error_message=_("A step with a helper and a date is an action item."),
            ),
            models.CheckConstraint(
                condition=Q(action_item__isnull=True) | Q(status="open"),
                name="planstep_status_lives_on_action_item",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done", "cancelled"]), name="planstep_status_known"
            ),
            models.CheckConstraint(condition=~Q(what=""), name="planstep_has_words"),
            text_within("what", STEP_TEXT_MAX, name="planstep_what_bounds"),
            date_within("due_on", name="planstep_due_on_bounds"),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def current_status(self) -> str:
        """The step's status: its action item's when it has one (select action_item with it)."""
        return self.action_item.status if self.action_item is not None else self.status

    def clean(self) -> None:
        if not self.what.strip():
            raise ValidationError({"what": _("Write what is to be done.")})


class PlanVersion(models.Model):
    """One saved state of a plan: its goals and steps as they were (`snapshot`: area code,
    texts, helper, due date and status), who saved it, when, in which meeting, and what
    changed. Append-only, enforced by PostgreSQL (teams migration 0008)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(default=dict)
    summary = models.CharField(_("what was changed"), max_length=SUMMARY_MAX, blank=True)
    meeting = models.ForeignKey(
        "teams.Meeting", verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="planversion_number_from_1"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length(Cast("snapshot", models.TextField())), SNAPSHOT_MAX),
                name="planversion_snapshot_bounds",
            ),
            text_within("summary", SUMMARY_MAX, name="planversion_summary_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class PlanAcknowledgement(models.Model):
    """The youth or a guardian has seen and agreed to one version: on screen in a meeting, or
    on a signed paper (uploaded, checked by content like a signed consent form). Who must
    acknowledge follows the consent age rules (teams.plans.selectors). Append-only."""

    class Party(models.TextChoices):
        YOUTH = "youth", _("The youth")
        GUARDIAN = "guardian", _("Guardian")

    class How(models.TextChoices):
        MEETING = "meeting", _("On screen in a meeting")
        PAPER = "paper", _("Signed on paper")

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    party = models.CharField(_("who"), max_length=10, choices=Party.choices)
    guardian = models.ForeignKey(
        "cases.Guardian", verbose_name=_("guardian"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    meeting = models.ForeignKey(
        "teams.Meeting", verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField(
        _("signed plan"),
        upload_to="plans/%Y/%m/",
        blank=True,
        max_length=200,
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
    )
    note = models.CharField(_("note"), max_length=REASON_MAX, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("acknowledgement of the plan")
        verbose_name_plural = _("acknowledgements of the plan")
        ordering = ["version", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party="youth", guardian__isnull=True) | Q(party="guardian", guardian__isnull=False),
                name="planack_guardian_follows_party",
            ),
            models.CheckConstraint(
                condition=Q(how="meeting", meeting__isnull=False, document="")
                | (Q(how="paper", meeting__isnull=True) & ~Q(document="")),
                name="planack_meeting_or_paper",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(party="youth"), name="planack_youth_once_per_version"
            ),
            models.UniqueConstraint(
                fields=["version", "guardian"],
                condition=Q(guardian__isnull=False),
                name="planack_guardian_once_per_version",
            ),
            text_within("note", REASON_MAX, name="planack_note_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.version} – {self.party}"
