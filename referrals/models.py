"""Referrals into one-to-one follow-up: the intake queue (inntak) and its decisions.

Concern reports (bekymringsmeldinger) and the school–barnevern routines come here with their own
issue; a referral from barnevern, police, a school or another service lands in the intake queue
as an IntakeCandidate either way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Outcome(models.TextChoices):
    """What an intake meeting decides about a candidate (DOMAIN.md: intake decision outcomes)."""

    TAKEN_IN = "taken_in", _("Taken in")
    WAITING_LIST = "waiting_list", _("Waiting list")
    OTHER_SERVICE = "other_service", _("Referred to another service")
    DECLINED = "declined", _("Declined (outside the target group)")
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")


# Candidates with one of these are still in the queue: they come back at the next meeting.
OPEN_OUTCOMES = frozenset({Outcome.WAITING_LIST, Outcome.AWAITING_CONSENT})


class IntakeCandidate(models.Model):
    """A youth proposed for one-to-one follow-up: named (with consent) or an anonymous
    discussion case (consent.DiscussionCase, shown by its alias only), with the proposing
    service, the reason and the urgency. `outcome` is the latest decision (empty while waiting
    for its first meeting); IntakeDecision keeps every decision."""

    district = models.ForeignKey(
        "teams.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="intake_candidates"
    )
    youth = models.ForeignKey(
        "cases.Youth",
        verbose_name=_("youth"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_candidacies",
    )
    discussion = models.ForeignKey(
        "consent.DiscussionCase",
        verbose_name=_("anonymous case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_candidacies",
    )
    proposed_by_unit = models.ForeignKey(
        "teams.Unit", verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why follow-up is proposed"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    followup = models.ForeignKey(
        "cases.FollowUp", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_candidacies"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake candidate")
        verbose_name_plural = _("intake candidates")
        ordering = ["-urgency", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(youth__isnull=False) | Q(discussion__isnull=False),
                name="intakecandidate_youth_or_anonymous_case",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="intakecandidate_has_reason"),
            models.CheckConstraint(
                condition=~Q(outcome="taken_in") | Q(followup__isnull=False, youth__isnull=False),
                name="intakecandidate_taken_in_has_followup",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="waiting_list") | Q(waiting_since__isnull=False),
                name="intakecandidate_waiting_since",
            ),
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(youth__isnull=False)
                & (Q(outcome="") | Q(outcome__in=["waiting_list", "awaiting_consent"])),
                name="intakecandidate_one_open_per_youth",
                violation_error_message=_("This youth is already in the intake queue."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["district", "created_at"],
                condition=Q(outcome="") | Q(outcome__in=["waiting_list", "awaiting_consent"]),
                name="intakecandidate_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} #{self.pk}"

    @property
    def is_anonymous(self) -> bool:
        return self.youth_id is None

    @property
    def in_queue(self) -> bool:
        return self.outcome == "" or self.outcome in OPEN_OUTCOMES


class IntakeDecision(models.Model):
    """One decision about a candidate, in an intake meeting (or between meetings, for an urgent
    one). Append-only: the history of a candidate's way through the queue."""

    candidate = models.ForeignKey(IntakeCandidate, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        "teams.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_decisions"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake decision")
        verbose_name_plural = _("intake decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="taken_in") | Q(follower__isnull=False),
                name="intakedecision_taken_in_names_follower",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="other_service") | ~Q(referred_to=""),
                name="intakedecision_names_other_service",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "decided_at"], name="intakedecision_by_meeting")]

    def __str__(self) -> str:
        return f"{self.candidate} – {self.get_outcome_display()}"
