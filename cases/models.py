"""Youths, their families and guardians.

The follow-up itself (followers, contacts, offences, outcomes) comes with its own issue; the
people are here from the start because the demo data and every later issue build on them.
Youth data is reached only through core.access (cases.policy), never through the admin.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer

from core import dates
from core.validators import (
    BORN,
    EARLIEST_BIRTH,
    HAPPENED,
    LONG_PERIOD,
    NOTE_MAX,
    PLANNED,
    REASON_MAX,
    TEXT_MAX,
    date_within,
    text_within,
    validate_national_id,
)
from core.workflow import Transitions, transition
from org.models import District, Unit


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not stated")


class Family(models.Model):
    """A household: the youth, their siblings and the guardians who live with them."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For example «the Hansen family»."))
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Youth(models.Model):
    """A child or young person: a youth in follow-up, or a sibling (a person of their own)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    national_id = models.CharField(
        _("national identity number"),
        max_length=11,
        blank=True,
        validators=[validate_national_id],
        help_text=_("Fødselsnummer or D-number, 11 digits."),
    )
    birth_date = models.DateField(_("date of birth"), validators=[BORN])
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="youths")
    family = models.ForeignKey(
        Family, verbose_name=_("family"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    school = models.ForeignKey(
        Unit,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils",
        limit_choices_to={"kind": Unit.Kind.SCHOOL},
    )
    school_class = models.CharField(_("class"), max_length=20, blank=True, help_text=_("For example 9B."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=60, blank=True, default="norsk")
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    safety_notes = models.TextField(
        _("safety notes"),
        blank=True,
        max_length=NOTE_MAX,
        help_text=_("What everyone meeting the youth must know: conflicts, places to avoid, threats."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("youth")
        verbose_name_plural = _("youths")
        ordering = ["last_name", "first_name"]
        permissions = [("view_restricted_youth", "Can see the address and national identity number")]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"], condition=~Q(national_id=""), name="youth_national_id_unique"
            ),
            date_within("birth_date", earliest=EARLIEST_BIRTH, name="youth_birth_date_bounds"),
            text_within("safety_notes", NOTE_MAX, name="youth_safety_notes_bounds"),
        ]
        indexes = [
            models.Index(fields=["district", "last_name"], name="youth_district_name"),
            models.Index(fields=["birth_date"], name="youth_birth_date"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def eighteenth_birthday(self) -> datetime.date:
        """The day the youth comes of age (born on 29 February: 1 March; core.dates.birthday)."""
        return dates.birthday(self.birth_date, 18)

    def age_on(self, day: datetime.date) -> int:
        return dates.age_on(self.birth_date, day)

    def clean(self) -> None:
        if self.birth_date and not datetime.date(1900, 1, 1) <= self.birth_date <= datetime.date.today():
            raise ValidationError({"birth_date": _("The date of birth must be between 1900 and today.")})
        if self.national_id and self.birth_date:
            try:
                born = fodselsnummer.get_birth_date(self.national_id)
            except Exception:  # noqa: BLE001 (the field validator reports the number itself)
                return
            if born != self.birth_date:
                raise ValidationError(
                    {"birth_date": _("The date of birth does not match the national identity number.")}
                )


class Guardian(models.Model):
    """A parent or other guardian. Parental responsibility is per child (Guardianship)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=60, blank=True, default="norsk")
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    family = models.ForeignKey(
        Family, verbose_name=_("family"), null=True, blank=True, on_delete=models.SET_NULL, related_name="guardians"
    )

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Guardianship(models.Model):
    """A guardian's relation to one child, and whether they hold parental responsibility."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        STEP_PARENT = "step_parent", _("Step-parent")
        FOSTER_PARENT = "foster_parent", _("Foster parent")
        OTHER = "other", _("Other guardian")

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    parental_responsibility = models.BooleanField(_("has parental responsibility"), default=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["youth", "guardian"], name="guardianship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.youth}"


# --- Follow-up ---------------------------------------------------------------------------


class FollowUp(models.Model):
    """One youth's one-to-one follow-up (oppfølging) by a follow-up team (unit).

    States: intake → active ⇄ paused → closed. Who follows the youth is in FollowUpAssignment,
    which keeps the history of every reassignment.
    """

    class State(models.TextChoices):
        INTAKE = "intake", _("Intake")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    class ClosingReason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("Goals reached")
        YOUTH_ENDED = "youth_ended", _("The youth ended it")
        MOVED = "moved", _("Moved")
        OTHER_MEASURE = "other_measure", _("Other measure")
        TURNED_18 = "turned_18", _("Turned 18 / handed over")
        NO_CONTACT = "no_contact", _("No contact")

    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="followups")
    unit = models.ForeignKey(Unit, verbose_name=_("follow-up team"), on_delete=models.PROTECT, related_name="followups")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.INTAKE)
    started_on = models.DateField(_("started"), null=True, blank=True, validators=[HAPPENED])
    ended_on = models.DateField(_("ended"), null=True, blank=True, validators=[HAPPENED])
    closing_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosingReason.choices, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-created_at"]
        constraints = [
            # At most one open follow-up per youth.
            models.UniqueConstraint(fields=["youth"], condition=~Q(state="closed"), name="followup_one_open_per_youth"),
            models.CheckConstraint(
                condition=~Q(state="closed")
                | (~Q(closing_reason="") & ~Q(closing_summary="") & Q(ended_on__isnull=False)),
                name="followup_closed_has_reason_summary_and_end",
            ),
            text_within("closing_summary", TEXT_MAX, name="followup_closing_summary_bounds"),
        ]
        indexes = [models.Index(fields=["unit", "state"], name="followup_unit_state")]

    def __str__(self) -> str:
        return f"{self.youth} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED


# The follow-up's workflow: action → (the states it may be taken from, the state it leads to, the
# message when the state does not allow it). cases.services applies it; the follow-up page and
# the API ask cases.services.followup_available_actions which actions are open now.
_FS = FollowUp.State
_CANNOT_GO = _("A follow-up cannot go from %(old)s to %(new)s.")
FOLLOWUP_TRANSITIONS: Transitions = {
    "start": transition([_FS.INTAKE], _FS.ACTIVE, _CANNOT_GO),
    "pause": transition([_FS.ACTIVE], _FS.PAUSED, _CANNOT_GO),
    "resume": transition([_FS.PAUSED], _FS.ACTIVE, _CANNOT_GO),
    "close": transition([_FS.INTAKE, _FS.ACTIVE, _FS.PAUSED], _FS.CLOSED, _("The follow-up is already closed.")),
}


class FollowUpAssignment(models.Model):
    """Who follows the youth, in which role, from when to when. Never deleted: the history."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Follower (lead)")
        FAMILY = "family", _("Family follower")
        COORDINATOR = "coordinator", _("Coordinator")

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    starts_on = models.DateField(_("from"), validators=[PLANNED])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[PLANNED])
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(
        _("reason for exceeding capacity"),
        blank=True,
        max_length=REASON_MAX,
        help_text=_("Written by the leader who let the follower take more youths than the limit."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "role"],
                condition=Q(ends_on__isnull=True) & Q(role="lead"),
                name="assignment_one_open_lead",
            ),
            models.UniqueConstraint(
                fields=["followup", "user", "role"],
                condition=Q(ends_on__isnull=True),
                name="assignment_one_open_per_person_role",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "role"], name="assignment_open_by_user", condition=Q(ends_on__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


# --- Contacts ----------------------------------------------------------------------------


class ContactKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    ACTIVITY = "activity", _("Activity")
    HOME_VISIT = "home_visit", _("Home visit")
    SCHOOL_VISIT = "school_visit", _("School visit")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    ACCOMPANYING = "accompanying", _("Accompanying to an appointment")


class Participant(models.TextChoices):
    YOUTH = "youth", _("The youth")
    GUARDIANS = "guardians", _("Guardians")
    SCHOOL = "school", _("School")
    OTHER_SERVICES = "other_services", _("Other services")


class LifeArea(models.TextChoices):
    SCHOOL = "school", _("School")
    LEISURE = "leisure", _("Leisure")
    WORK = "work", _("Work")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    HOUSING_ECONOMY = "housing_economy", _("Housing and economy")
    FRIENDS = "friends", _("Friends")


class Contact(models.Model):
    """A logged contact with one youth. A group activity is one Contact per youth, sharing a
    group_id, each holding only what concerns that youth."""

    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="contacts")
    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="contacts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="contacts"
    )
    occurred_at = models.DateTimeField(_("when"), validators=[HAPPENED])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    kind = models.CharField(_("type"), max_length=20, choices=ContactKind.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = ArrayField(
        models.CharField(max_length=20, choices=Participant.choices), verbose_name=_("who took part"), default=list
    )
    life_areas = ArrayField(
        models.CharField(max_length=20, choices=LifeArea.choices),
        verbose_name=_("life areas"),
        default=list,
        blank=True,  # a short text message may touch no life area
    )
    text = models.TextField(_("what happened"), blank=True, max_length=TEXT_MAX)
    task = models.CharField(_("follow-up task"), max_length=300, blank=True)
    task_due_on = models.DateField(_("task due"), null=True, blank=True, validators=[PLANNED])
    task_done_at = models.DateTimeField(_("task done"), null=True, blank=True, validators=[HAPPENED])
    evening_or_weekend = models.BooleanField(_("evening or weekend"), default=False)
    group_id = models.UUIDField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delete_reason = models.TextField(blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(task_due_on__isnull=True) | ~Q(task=""), name="contact_due_needs_task"),
            date_within("occurred_at", moment=True, name="contact_occurred_at_bounds"),
            date_within("task_due_on", name="contact_task_due_on_bounds"),
            text_within("text", TEXT_MAX, name="contact_text_bounds"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | ~Q(delete_reason=""), name="contact_delete_needs_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["youth", "-occurred_at"], name="contact_youth_time"),
            models.Index(fields=["author", "-occurred_at"], name="contact_author_time"),
            models.Index(fields=["task_due_on"], name="contact_open_tasks", condition=Q(task_done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class ContactVersion(models.Model):
    """What a contact looked like before an edit: who changed it, when, and which fields."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_fields = ArrayField(models.CharField(max_length=40), default=list)
    data = models.JSONField(help_text="The contact's fields before the change.")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["contact", "version"], name="contactversion_unique")]

    def __str__(self) -> str:
        return f"{self.contact_id} v{self.version}"


class ContactDraft(models.Model):
    """What a follower has typed but not saved yet, kept on the server a few seconds after each
    change. Only its owner ever sees it; it expires after LAGET_DRAFT_TTL (default 7 days)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_drafts")
    key = models.UUIDField(help_text="Chosen by the browser, so a retried save updates the same draft.")
    youth = models.ForeignKey(Youth, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="contactdraft_owner_key")]
        indexes = [models.Index(fields=["updated_at"], name="contactdraft_updated")]

    def __str__(self) -> str:
        return f"draft {self.key}"


# --- Offences, criminal-justice steps, outcomes ------------------------------------------


class Offence(models.Model):
    """An offence (forhold) registered by the police. Police information."""

    class Kind(models.TextChoices):
        THEFT = "theft", _("Theft")
        VIOLENCE = "violence", _("Violence")
        ROBBERY = "robbery", _("Robbery")
        THREATS = "threats", _("Threats")
        DRUGS = "drugs", _("Drugs")
        VANDALISM = "vandalism", _("Vandalism")
        WEAPONS = "weapons", _("Weapons")
        TRAFFIC = "traffic", _("Traffic")
        SEXUAL = "sexual", _("Sexual offence")
        OTHER = "other", _("Other")

    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="offences")
    committed_on = models.DateField(_("date"), validators=[HAPPENED])
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    police_reference = models.CharField(_("police reference"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=NOTE_MAX)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("recorded in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The service that recorded it: it sees its own records (consent.policy)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        ordering = ["-committed_on", "-id"]
        indexes = [models.Index(fields=["youth", "committed_on"], name="offence_youth_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.committed_on}"


class JusticeStep(models.Model):
    """A step in the criminal-justice process, with its dates."""

    class Kind(models.TextChoices):
        FAST_TRACK = "fast_track", _("Fast track under 18 (hurtigspor)")
        YOUTH_FOLLOW_UP = "youth_follow_up", _("Youth follow-up (Konfliktrådet)")
        YOUTH_SENTENCE = "youth_sentence", _("Youth sentence (Konfliktrådet)")
        COMMUNITY_SENTENCE = "community_sentence", _("Community sentence")
        REPORTING_DUTY = "reporting_duty", _("Reporting duty (meldeplikt)")
        MEDIATION = "mediation", _("Mediation (Konfliktrådet)")
        OTHER = "other", _("Other")

    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="justice_steps")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from"), validators=[PLANNED])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[LONG_PERIOD])
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("recorded in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The service that recorded it: it sees its own records (consent.policy)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("criminal-justice step")
        verbose_name_plural = _("criminal-justice steps")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="justicestep_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"


class ReportingDate(models.Model):
    """One date the youth must report (meldeplikt). The follower is reminded beforehand:
    a missed report can turn a community sentence into prison (seed 003)."""

    step = models.ForeignKey(JusticeStep, on_delete=models.CASCADE, related_name="reporting_dates")
    due_at = models.DateTimeField(_("report at"), validators=[PLANNED])
    place = models.CharField(_("where"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, validators=[HAPPENED])
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting date")
        verbose_name_plural = _("reporting dates")
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], name="reporting_due_unreminded", condition=Q(reminded_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.due_at:%Y-%m-%d %H:%M}"


class OutcomeMeasure(models.Model):
    """Where the youth stands, recorded at start, every 3 months and at the end (seed 001)."""

    class Phase(models.TextChoices):
        START = "start", _("At start")
        QUARTERLY = "quarterly", _("Every 3 months")
        END = "end", _("At the end")

    class SubstanceUse(models.TextChoices):
        NONE = "none", _("None known")
        SOME = "some", _("Some")
        FREQUENT = "frequent", _("Frequent")
        UNKNOWN = "unknown", _("Unknown")

    class Occupation(models.TextChoices):
        SCHOOL = "school", _("In school")
        WORK = "work", _("In work")
        BOTH = "both", _("School and work")
        TRAINING = "training", _("Apprenticeship or training")
        NEITHER = "neither", _("Neither school nor work")

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="outcomes")
    measured_on = models.DateField(_("date"), validators=[HAPPENED])
    phase = models.CharField(_("when in the follow-up"), max_length=10, choices=Phase.choices)
    school_attendance = models.PositiveSmallIntegerField(
        _("school attendance (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    offences_last_period = models.PositiveSmallIntegerField(_("registered offences in the period"), default=0)
    substance_use = models.CharField(_("substance use"), max_length=10, choices=SubstanceUse.choices)
    organised_activity = models.BooleanField(_("takes part in an organised activity"), default=False)
    occupation = models.CharField(_("school or work"), max_length=10, choices=Occupation.choices)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        ordering = ["-measured_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school_attendance__isnull=True) | Q(school_attendance__lte=100),
                name="outcome_attendance_pct",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.measured_on}"
