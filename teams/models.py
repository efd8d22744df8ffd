"""The team around each youth (TeamMember), and the team's meetings, with their participants,
minutes (versioned, never overwritten) and action items, and each person's calendar feed.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import Category
from core.validators import (
    HAPPENED,
    MINUTES_MAX,
    NOTE_MAX,
    PLANNED,
    REASON_MAX,
    TEXT_MAX,
    date_within,
    text_within,
)
from core.workflow import Transitions, transition
from org.models import District, Unit

# --- The youth's team (laget rundt ungdommen) ----------------------------------------------


class TeamMember(models.Model):
    """One person's place in a youth's team, from when to when.

    Members are staff of any service (acting for one unit where they hold a role in force),
    external people (name, organisation, contact), the youth and the guardians. Rows are never
    deleted: leaving sets `ends_on` with who ended it and why, and a change of lead
    responsibility ends the two rows concerned and starts two new ones, so the table itself
    is the history of who was in the team and who held lead responsibility (hovedansvar) when.
    A row is active while `ends_on` is empty.

    The database holds: one active row per person per youth; which fields are set follows the
    kind of member; only staff hold lead responsibility; at most one active lead per youth (a
    partial unique index) and at least one while the team has active members (a deferred
    constraint trigger, migration teams 0002, checked at commit). teams.services holds the
    rest: the unit is one where the person holds a role in force, the guardian is one of this
    youth's, and joining grants access to the youth, leaving takes it away (teams.policy).
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff member")
        EXTERNAL = "external", _("External person")
        YOUTH = "youth", _("The youth")
        GUARDIAN = "guardian", _("Guardian")

    class Role(models.TextChoices):
        FOLLOWER = "follower", _("One-to-one follower")
        FAMILY_FOLLOWER = "family_follower", _("Family follower")
        COORDINATOR = "coordinator", _("Coordinator")
        BARNEVERN_CASEWORKER = "barnevern_caseworker", _("Child welfare caseworker")
        CONTACT_TEACHER = "contact_teacher", _("Contact teacher")
        SCHOOL_COUNSELLOR = "school_counsellor", _("School counsellor")
        SCHOOL_NURSE = "school_nurse", _("School nurse")
        POLICE_CONTACT = "police_contact", _("Police contact")
        NAV_ADVISOR = "nav_advisor", _("NAV advisor")
        THERAPIST = "therapist", _("Therapist (BUP, health)")
        PPT_ADVISOR = "ppt_advisor", _("Educational psychology advisor (PPT)")
        OUTREACH_WORKER = "outreach_worker", _("Outreach worker")
        LEISURE_WORKER = "leisure_worker", _("Youth club worker")
        MEDIATION = "mediation", _("Youth coordinator, Konfliktrådet")
        COACH = "coach", _("Coach or activity leader")
        OTHER = "other", _("Other")
        YOUTH = "youth", _("The youth")
        GUARDIAN = "guardian", _("Parent or guardian")

    youth = models.ForeignKey(
        "cases.Youth", verbose_name=_("youth"), on_delete=models.PROTECT, related_name="team_members"
    )
    kind = models.CharField(_("kind of member"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role in the team"), max_length=24, choices=Role.choices)
    note = models.CharField(
        _("what they do in the team"),
        max_length=200,
        blank=True,
        help_text=_("Optional, in a few words: «contact teacher of 9B», «coach at the football club»."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_members",
        help_text=_("The service the staff member takes part for."),
    )
    external_name = models.CharField(_("name"), max_length=200, blank=True)
    external_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    external_phone = models.CharField(_("phone"), max_length=40, blank=True)
    external_email = models.EmailField(_("e-mail"), blank=True)
    guardian = models.ForeignKey(
        "cases.Guardian",
        verbose_name=_("guardian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    is_lead = models.BooleanField(_("lead responsibility"), default=False)
    starts_on = models.DateField(_("from"), default=timezone.localdate, validators=[PLANNED])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[PLANNED])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(_("reason for leaving"), blank=True, max_length=REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_lead", "kind", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "user"],
                condition=Q(ends_on__isnull=True),
                name="teammember_one_active_staff_row",
                violation_error_message=_("This person is already in the team."),
            ),
            models.UniqueConstraint(
                fields=["youth", "guardian"],
                condition=Q(ends_on__isnull=True),
                name="teammember_one_active_guardian_row",
                violation_error_message=_("This guardian is already in the team."),
            ),
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(ends_on__isnull=True, kind="youth"),
                name="teammember_one_active_youth_row",
                violation_error_message=_("The youth is already in the team."),
            ),
            models.UniqueConstraint(
                models.F("youth"),
                Lower("external_name"),
                Lower("external_organisation"),
                condition=Q(ends_on__isnull=True, kind="external"),
                name="teammember_one_active_external_row",
                violation_error_message=_("Someone of this name from this organisation is already in the team."),
            ),
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(ends_on__isnull=True, is_lead=True),
                name="teammember_one_active_lead",
                violation_error_message=_("Someone else in the team holds lead responsibility."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="staff", user__isnull=False, unit__isnull=False, guardian__isnull=True)
                    & Q(external_name="", external_organisation="", external_phone="", external_email="")
                )
                | (
                    Q(kind="external", user__isnull=True, unit__isnull=True, guardian__isnull=True)
                    & ~Q(external_name="")
                )
                | (
                    Q(kind="guardian", guardian__isnull=False, user__isnull=True, unit__isnull=True)
                    & Q(external_name="", external_organisation="", external_phone="", external_email="")
                )
                | (
                    Q(kind="youth", user__isnull=True, unit__isnull=True, guardian__isnull=True)
                    & Q(external_name="", external_organisation="", external_phone="", external_email="")
                ),
                name="teammember_fields_follow_kind",
                violation_error_message=_("The member's details do not fit the kind of member."),
            ),
            models.CheckConstraint(
                condition=Q(kind="youth", role="youth")
                | Q(kind="guardian", role="guardian")
                | (Q(kind__in=["staff", "external"]) & ~Q(role__in=["youth", "guardian"])),
                name="teammember_role_follows_kind",
                violation_error_message=_("The role does not fit the kind of member."),
            ),
            models.CheckConstraint(
                condition=Q(is_lead=False) | Q(kind="staff"),
                name="teammember_lead_is_staff",
                violation_error_message=_("Only a staff member can hold lead responsibility."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="teammember_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | ~Q(end_reason=""),
                name="teammember_ended_with_reason",
                violation_error_message=_("Write why the membership ends."),
            ),
        ]
        indexes = [
            models.Index(fields=["youth"], condition=Q(ends_on__isnull=True), name="teammember_active_by_youth"),
            models.Index(fields=["youth", "-starts_on"], name="teammember_history"),
            models.Index(fields=["user"], condition=Q(ends_on__isnull=True), name="teammember_active_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.ends_on is None

    @property
    def name(self) -> str:
        """The member's name, whatever the kind (select_related the person to avoid a query)."""
        if self.kind == self.Kind.STAFF and self.user is not None:
            return str(self.user.full_name or self.user.email)
        if self.kind == self.Kind.GUARDIAN and self.guardian is not None:
            return str(self.guardian)
        if self.kind == self.Kind.YOUTH:
            return str(self.youth)
        return self.external_name

    @property
    def service(self) -> str:
        """Where the member comes from: the unit, the organisation, or nothing (youth, guardian)."""
        if self.unit is not None:
            return self.unit.name
        return self.external_organisation

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == self.Kind.STAFF:
            if self.user_id is None:
                errors["user"] = _("Choose the person.")
            if self.unit_id is None:
                errors["unit"] = _("Choose the service the person takes part for.")
        elif self.kind == self.Kind.EXTERNAL and not self.external_name.strip():
            errors["external_name"] = _("Write the person's name.")
        elif self.kind == self.Kind.GUARDIAN and self.guardian_id is None:
            errors["guardian"] = _("Choose the guardian.")
        if self.is_lead and self.kind != self.Kind.STAFF:
            errors["is_lead"] = _("Only a staff member can hold lead responsibility.")
        if self.ends_on is not None and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A membership cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


# --- Meetings, minutes and action items ----------------------------------------------------


class MeetingKind(models.TextChoices):
    TEAM = "team", _("Team meeting")
    INTAKE = "intake", _("Intake meeting")
    LIST = "list", _("List meeting with police")
    STARTUP = "startup", _("Start-up meeting")
    HANDOVER = "handover", _("Handover meeting")
    SCHOOL_BARNEVERN = "school_barnevern", _("School–barnevern cooperation meeting")
    EVALUATION = "evaluation", _("Evaluation meeting")


# Meetings about one youth; intake and list meetings are about many (their candidates).
YOUTH_MEETING_KINDS = frozenset(
    {
        MeetingKind.TEAM,
        MeetingKind.STARTUP,
        MeetingKind.HANDOVER,
        MeetingKind.SCHOOL_BARNEVERN,
        MeetingKind.EVALUATION,
    }
)


class MeetingSeries(models.Model):
    """A recurring meeting: intake meetings every N weeks per district (District.
    intake_interval_weeks, default 4), or a team's regular meeting. The meetings of a series
    are planned ahead as ordinary Meeting rows (teams.meetings.services)."""

    kind = models.CharField(_("type of meeting"), max_length=20, choices=MeetingKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    youth = models.ForeignKey(
        "cases.Youth", verbose_name=_("youth"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    until = models.DateField(_("until"), null=True, blank=True, validators=[PLANNED])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=12), name="meetingseries_interval_1_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.interval_weeks}"


class Meeting(models.Model):
    """One meeting: a youth's team meeting (and the other meetings about one youth), or an
    intake or list meeting of a district. Who takes part is in MeetingParticipant; what was
    said in Minutes; what was agreed in ActionItem."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("type of meeting"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="meetings")
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    youth = models.ForeignKey(
        "cases.Youth",
        verbose_name=_("youth"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts"), validators=[PLANNED])
    ends_at = models.DateTimeField(_("ends"), validators=[PLANNED])
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, max_length=TEXT_MAX)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    # A handover meeting at 18 (issue 14): planned from the youth's transition checklist, its
    # minutes follow the checklist's points (teams.meetings.minutes_template).
    about_turning_18 = models.BooleanField(_("handover at 18"), default=False)
    # iCalendar: one UID for the meeting's life, SEQUENCE raised on every change of time or place.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            date_within("starts_at", moment=True, name="meeting_starts_at_bounds"),
            text_within("agenda", TEXT_MAX, name="meeting_agenda_bounds"),
            models.CheckConstraint(
                condition=Q(kind__in=["intake", "list"], youth__isnull=True)
                | (~Q(kind__in=["intake", "list"]) & Q(youth__isnull=False)),
                name="meeting_youth_follows_kind",
                violation_error_message=_(
                    "A meeting about one youth names the youth; intake and list meetings do not."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(about_turning_18=True) | Q(kind="handover"),
                name="meeting_turning_18_is_handover",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""),
                name="meeting_has_place_or_link",
                violation_error_message=_("Write where the meeting is, or give a video link."),
            ),
        ]
        indexes = [
            models.Index(fields=["youth", "starts_at"], name="meeting_youth_time"),
            models.Index(fields=["unit", "starts_at"], name="meeting_unit_time"),
            models.Index(fields=["district", "kind", "starts_at"], name="meeting_district_kind_time"),
            models.Index(fields=["starts_at"], condition=Q(state="planned"), name="meeting_planned_time"),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_cancelled(self) -> bool:
        """For pages and files that say so (what may be done now: MEETING_TRANSITIONS)."""
        return self.state == self.State.CANCELLED

    @property
    def is_about_youth(self) -> bool:
        return self.youth_id is not None


# The meeting's workflow: action → (the states it may be taken from, the state it leads to, the
# message when the state does not allow it). teams.meetings.services applies it; the meeting's
# pages ask meeting_services.meeting_available_actions which actions are open now. "record" is
# everything done about the meeting itself: minutes, presence, participants, action items.
_MS = Meeting.State
MEETING_TRANSITIONS: Transitions = {
    "change": transition([_MS.PLANNED], None, _("Only a planned meeting can be changed.")),
    "cancel": transition([_MS.PLANNED], _MS.CANCELLED, _("Only a planned meeting can be cancelled.")),
    "hold": transition([_MS.PLANNED], _MS.HELD, _("Only a planned meeting is marked held.")),
    "record": transition([_MS.PLANNED, _MS.HELD], None, _("The meeting is cancelled.")),
}


class MeetingParticipant(models.Model):
    """Someone invited to a meeting: staff (acting for a unit), an external person, the youth or
    a guardian. `present` is filled in with the minutes; the youth and guardians who took part
    may rate how useful the meeting was (1–5)."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff member")
        EXTERNAL = "external", _("External person")
        YOUTH = "youth", _("The youth")
        GUARDIAN = "guardian", _("Guardian")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="participants")
    kind = models.CharField(_("kind of participant"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guardian = models.ForeignKey(
        "cases.Guardian", verbose_name=_("guardian"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("For external participants."))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    present = models.BooleanField(_("present"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("how useful was the meeting"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment on the meeting"), blank=True, max_length=REASON_MAX)
    rated_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    rating_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Not stored: teams.meetings.selectors.participants_of marks a guardian's invitation to a
    # meeting on or after the youth's 18th birthday that the guardians may no longer get.
    stopped = False

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="participant_staff_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "guardian"], condition=Q(guardian__isnull=False), name="participant_guardian_once"
            ),
            models.UniqueConstraint(fields=["meeting"], condition=Q(kind="youth"), name="participant_youth_once"),
            models.CheckConstraint(
                condition=Q(kind="staff", user__isnull=False, unit__isnull=False, guardian__isnull=True, name="")
                | Q(kind="external", user__isnull=True, unit__isnull=True, guardian__isnull=True) & ~Q(name="")
                | Q(kind="guardian", guardian__isnull=False, user__isnull=True, unit__isnull=True, name="")
                | Q(kind="youth", user__isnull=True, unit__isnull=True, guardian__isnull=True, name=""),
                name="participant_fields_follow_kind",
                violation_error_message=_("The participant's details do not fit the kind of participant."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(kind__in=["youth", "guardian"]) & Q(present=True)),
                name="participant_rating_by_youth_or_guardian_present",
                violation_error_message=_("Only the youth and guardians who took part rate the meeting."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="participant_rating_1_5"
            ),
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="participant_by_user")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Select user, guardian and meeting__youth with the rows to avoid queries."""
        if self.kind == self.Kind.STAFF and self.user is not None:
            return str(self.user.full_name or self.user.email)
        if self.kind == self.Kind.GUARDIAN and self.guardian is not None:
            return str(self.guardian)
        if self.kind == self.Kind.YOUTH:
            return str(self.meeting.youth)
        return self.name


class Minutes(models.Model):
    """The minutes (referat) of one meeting. The text lives in MinutesRevision rows, one per save,
    never changed: `revision` is the number of the current one, and a save that was based on an
    older number is refused (two people never silently overwrite each other). Approved minutes
    are locked: a change after approval is a new revision with `version` raised by one."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    revision = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="minutes_approved_by_whom_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"

    @property
    def is_approved(self) -> bool:
        """For pages and files that say so (what may be done now: MINUTES_TRANSITIONS)."""
        return self.state == self.State.APPROVED


# The minutes' workflow, as MEETING_TRANSITIONS: approving locks a draft; saving a change to
# approved minutes makes a new version, in draft (teams.meetings.services.minutes_save).
MINUTES_TRANSITIONS: Transitions = {
    "approve": transition([Minutes.State.DRAFT], Minutes.State.APPROVED, _("The minutes are already approved.")),
    "revise": transition([Minutes.State.APPROVED], Minutes.State.DRAFT, _("Only approved minutes get a new version.")),
}


# All sections together, as the JSON the database keeps (quotes and escapes included): room for
# every heading of the longest template filled to MINUTES_MAX, and a CHECK behind it.
MINUTES_SECTIONS_MAX = 10 * MINUTES_MAX


def validate_minutes_sections(value: Any) -> None:
    """The sections of a minutes revision: heading key → text, each text at most MINUTES_MAX
    characters, all of them within MINUTES_SECTIONS_MAX as stored."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValidationError(_("The minutes must be text under the headings of the template."), code="invalid")
    if any(len(text) > MINUTES_MAX for text in value.values()):
        raise ValidationError(
            _("A section of the minutes can hold at most %(limit)d characters."),
            code="max_length",
            params={"limit": MINUTES_MAX},
        )
    if len(json.dumps(value, ensure_ascii=False)) > MINUTES_SECTIONS_MAX - 1_000:
        raise ValidationError(
            _("The minutes are too long altogether: at most %(limit)d characters."),
            code="max_length",
            params={"limit": MINUTES_SECTIONS_MAX - 1_000},
        )


class MinutesRevision(models.Model):
    """One saved text of the minutes: the sections of the meeting type's template (a dict of
    heading key → text, teams.meetings.minutes_template), and the decisions. Append-only."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    sections = models.JSONField(default=dict, validators=[validate_minutes_sections])
    decisions = models.TextField(_("decisions"), blank=True, max_length=MINUTES_MAX)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])
    change_note = models.CharField(_("what was changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutesrevision_number_unique"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length(Cast("sections", models.TextField())), MINUTES_SECTIONS_MAX),
                name="minutesrevision_sections_bounds",
            ),
            text_within("decisions", MINUTES_MAX, name="minutesrevision_decisions_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} #{self.number}"


class ActionItem(models.Model):
    """Something agreed in a meeting, or a step of a youth's plan with a helper and a date
    (teams.plans: `from_plan`, the step is `plan_step`): one owner, a due date, a status, a note
    when done. Open items are carried onto the next agenda of the same team (the same youth, or
    the same series for intake and list meetings) until they are done (teams.meetings.selectors).
    An item has a meeting, or comes from a plan, or both (a step agreed in a meeting)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items")
    youth = models.ForeignKey(
        "cases.Youth", null=True, blank=True, on_delete=models.PROTECT, related_name="action_items"
    )
    from_plan = models.BooleanField(_("a step of the youth's plan"), default=False)
    title = models.CharField(_("what is to be done"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_name = models.CharField(
        _("owner outside Laget"),
        max_length=200,
        blank=True,
        help_text=_("The youth, a guardian or an external person, when they own the item."),
    )
    due_on = models.DateField(_("due"), validators=[PLANNED])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    done_note = models.TextField(_("what was done"), blank=True, max_length=NOTE_MAX)
    done_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner__isnull=False) & Q(owner_name="")) | (Q(owner__isnull=True) & ~Q(owner_name="")),
                name="actionitem_one_owner",
                violation_error_message=_("An action item has exactly one owner."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(done_note="") & Q(done_at__isnull=False)),
                name="actionitem_done_with_note",
                violation_error_message=_("Write what was done."),
            ),
            date_within("due_on", name="actionitem_due_on_bounds"),
            text_within("done_note", NOTE_MAX, name="actionitem_done_note_bounds"),
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(from_plan=True, youth__isnull=False),
                name="actionitem_from_meeting_or_plan",
                violation_error_message=_("An action item belongs to a meeting or to a step of a plan."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(status__in=["open", "in_progress"]),
                name="actionitem_open_by_owner",
            ),
            models.Index(
                fields=["youth", "due_on"],
                condition=Q(status__in=["open", "in_progress"]),
                name="actionitem_open_by_youth",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its meeting's page, or for a plan's step made outside a meeting, the youth's plan
        (each at its fixed path while its pages are not mounted)."""
        name, pk, fallback = "meetings:detail", self.meeting_id, f"/moter/{self.meeting_id}/"
        if pk is None:  # a plan's step (a CHECK: then it has a youth)
            name, pk, fallback = "plans:detail", self.youth_id, f"/ungdommer/{self.youth_id}/plan/"
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            return fallback

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)


class CalendarFeed(models.Model):
    """A person's secret iCalendar address. Only a hash of the token is stored; revoking sets
    `revoked_at`, and a new address can be made at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])
    revoked_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    last_used_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendarfeed_one_active_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"


class ListMeetingEntry(models.Model):
    """A youth (or an anonymous discussion case) discussed in a list meeting with the police:
    what the police told (police information, consent.Category.POLICE, shown only where the
    sharing policy allows) and what was decided."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="list_entries")
    youth = models.ForeignKey(
        "cases.Youth", verbose_name=_("youth"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discussion = models.ForeignKey(
        "consent.DiscussionCase",
        verbose_name=_("anonymous case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    police_information = models.TextField(_("information from the police"), blank=True, max_length=TEXT_MAX)
    decision = models.TextField(_("decision"), blank=True, max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("list meeting entry")
        verbose_name_plural = _("list meeting entries")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(youth__isnull=False, discussion__isnull=True)
                | Q(youth__isnull=True, discussion__isnull=False),
                name="listentry_youth_or_anonymous_case",
            ),
            models.UniqueConstraint(
                fields=["meeting", "youth"], condition=Q(youth__isnull=False), name="listentry_youth_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "discussion"], condition=Q(discussion__isnull=False), name="listentry_case_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.youth_id or self.discussion_id}"


# --- The youth's plan, "Min plan" (issue 13; services and selectors in teams.plans) ---------
# Goals per life area in the youth's words, the steps toward them and who helps, every saved
# change a version (append-only in PostgreSQL), each version acknowledged by the youth and/or
# the guardians by the consent age rules. Here beside ActionItem and TeamMember: a step with a
# helper and a date IS an action item, and helpers are team members.

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
        TeamMember,
        verbose_name=_("who helps"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("by when"), null=True, blank=True, validators=[PLANNED])
    status = models.CharField(_("status"), max_length=12, choices=ActionItem.Status.choices, default="open")
    action_item = models.OneToOneField(
        ActionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_step"
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
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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


# --- Turning 18: the transition checklist (issue 14) ---------------------------------------
# The points to settle before a youth turns 18 (DOMAIN.md "Turning 18", seed 003): one row per
# youth and point, made when the point is first settled or marked as not applying. Who settled
# it, when and how are on the row; every change is in the audit trail (teams.transition.services).
# The consent point is never settled by hand: it is settled by a consent in force given by the youth alone
# (teams.transition.selectors asks consent.policy). The checklist is the "Etter 18" section of
# Min plan, so the youth sees it in his own plan.

TRANSITION_HOW_MAX = REASON_MAX
TRANSITION_NAME_MAX = 200


class TransitionPoint(models.TextChoices):
    AFTERCARE = "aftercare", _("Aftercare (ettervern) discussed with the youth")
    NAV = "nav", _("Handover to NAV")
    HEALTH = "health", _("Handover to adult health services")
    HOUSING = "housing", _("Housing and money")
    SCHOOL_WORK = "school_work", _("School or work after 18")
    CONSENT = "consent", _("New consent from the youth alone")
    LEAD = "lead", _("Lead responsibility after 18")


class TransitionItem(models.Model):
    """One point of a youth's transition checklist: settled (who, when, how) or not applying
    (with the reason). Aftercare records the youth's answer; NAV and health the named contact;
    the lead point what happens to the follow-up and who holds lead responsibility after 18."""

    class State(models.TextChoices):
        OPEN = "open", _("Not settled")
        SETTLED = "settled", _("Settled")
        NOT_APPLICABLE = "not_applicable", _("Does not apply")

    class AftercareAnswer(models.TextChoices):
        WANTS = "wants", _("Wants aftercare")
        DECLINES = "declines", _("Does not want aftercare")
        UNDECIDED = "undecided", _("Has not decided yet")

    class LeadOutcome(models.TextChoices):
        ENDS = "ends", _("The follow-up ends at 18")
        HANDED_OVER = "handed_over", _("Handed over to another service")
        CONTINUES = "continues", _("Continues in the same service")

    youth = models.ForeignKey(
        "cases.Youth", verbose_name=_("youth"), on_delete=models.PROTECT, related_name="transition_items"
    )
    point = models.CharField(_("point"), max_length=20, choices=TransitionPoint.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    how = models.TextField(
        _("how"),
        max_length=TRANSITION_HOW_MAX,
        blank=True,
        help_text=_("How it was settled, or why it does not apply."),
    )
    aftercare_answer = models.CharField(
        _("the youth's answer"), max_length=20, choices=AftercareAnswer.choices, blank=True
    )
    contact_name = models.CharField(_("named contact"), max_length=TRANSITION_NAME_MAX, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The receiving service, or the service that holds lead responsibility after 18."),
    )
    lead_outcome = models.CharField(_("after 18"), max_length=20, choices=LeadOutcome.choices, blank=True)
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead after 18"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("transition checklist point")
        verbose_name_plural = _("transition checklist points")
        ordering = ["youth", "point"]
        constraints = [
            models.UniqueConstraint(fields=["youth", "point"], name="transitionitem_one_per_point"),
            models.CheckConstraint(
                condition=~Q(point="consent", state="settled"), name="transitionitem_consent_point_is_computed"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | (Q(settled_by__isnull=False, settled_at__isnull=False) & ~Q(how="")),
                name="transitionitem_settled_has_who_when_how",
            ),
            models.CheckConstraint(
                condition=~Q(state="settled", point="aftercare") | ~Q(aftercare_answer=""),
                name="transitionitem_aftercare_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(state="settled", point="lead") | ~Q(lead_outcome=""),
                name="transitionitem_lead_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state="settled", lead_outcome__in=["handed_over", "continues"]) | Q(unit__isnull=False),
                name="transitionitem_lead_names_service",
            ),
            text_within("how", TRANSITION_HOW_MAX, name="transitionitem_how_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.youth_id} – {self.point} ({self.state})"

    @property
    def is_settled(self) -> bool:
        return self.state == self.State.SETTLED
