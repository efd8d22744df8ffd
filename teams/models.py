"""The organisation: Oslo's districts, the services (units) in them, and staff roles; and the
team around each youth (TeamMember).

Meetings, minutes and action items come here too (their own issue).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """One of Oslo's 15 districts (bydeler), with its own settings for the Oslo standard."""

    class IntakeInterval(models.IntegerChoices):
        TWO = 2, _("every 2 weeks")
        FOUR = 4, _("every 4 weeks")
        SIX = 6, _("every 6 weeks")

    number = models.PositiveSmallIntegerField(
        _("district number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    max_youths_per_follower = models.PositiveSmallIntegerField(
        _("most active youths per follower"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The Oslo standard is 5."),
    )
    intake_interval_weeks = models.PositiveSmallIntegerField(
        _("intake meeting interval"), choices=IntakeInterval.choices, default=IntakeInterval.FOUR
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=15), name="district_number_1_15"),
            models.CheckConstraint(
                condition=Q(intake_interval_weeks__in=[2, 4, 6]), name="district_intake_interval_2_4_6"
            ),
        ]

    def __str__(self) -> str:
        return f"Bydel {self.name}"


class Unit(models.Model):
    """A service or unit (tjeneste, enhet): a district's barnevern, a school, a police unit…

    A unit without a district is city-wide (for example Oslo politidistrikt or Konfliktrådet).
    """

    class Kind(models.TextChoices):
        BARNEVERN = "barnevern", _("Child welfare (barnevern)")
        SALTO = "salto", _("SaLTo / prevention")
        SCHOOL = "school", _("School")
        POLICE = "police", _("Police")
        NAV = "nav", _("NAV")
        BUP = "bup", _("Child and adolescent psychiatry (BUP)")
        PPT = "ppt", _("Educational psychology service (PPT)")
        HEALTH = "health", _("Health service")
        OUTREACH = "outreach", _("Outreach (utekontakt)")
        LEISURE = "leisure", _("Leisure (fritidsklubb)")
        KONFLIKTRAADET = "konfliktraadet", _("Mediation service (Konfliktrådet)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type of service"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("Empty for a city-wide service."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["district__number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unit_name_unique_in_district"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(district__isnull=True), name="unit_name_unique_citywide"
            ),
        ]
        permissions = [
            ("manage_unit", "Can lead the unit: caseloads, exceptions"),
            ("view_audit_unit", "Can review the audit trail of the unit's staff"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_citywide(self) -> bool:
        return self.district_id is None


class StaffRole(models.Model):
    """A person's role in one unit. One person may hold roles in several units."""

    class Role(models.TextChoices):
        FOLLOWER = "follower", _("One-to-one follower")
        FAMILY_FOLLOWER = "family_follower", _("Family follower")
        COORDINATOR = "coordinator", _("Coordinator")
        CASEWORKER = "caseworker", _("Caseworker")
        LEADER = "leader", _("Leader")
        POLICE_CONTACT = "police_contact", _("Police contact")
        SCHOOL_CONTACT = "school_contact", _("School contact")
        OTHER_SERVICE = "other_service", _("Other service")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="roles"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("service"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["unit__name", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(ends_on__isnull=True),
                name="staffrole_one_open_role_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="staffrole_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="staffrole_unit_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.unit}"


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
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(_("reason for leaving"), blank=True)
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
