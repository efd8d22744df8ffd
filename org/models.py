"""The organisation, the bottom layer every other app builds on: Oslo's districts, the services
(units) in them, and the roles staff hold in those services.

The tables keep the names they were created with (teams_district, teams_unit, teams_staffrole):
the models moved from the teams app in org.migrations.0001 without touching the data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import PLANNED


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
        db_table = "teams_district"
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
        db_table = "teams_unit"
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
    starts_on = models.DateField(_("from"), default=timezone.localdate, validators=[PLANNED])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[PLANNED])

    class Meta:
        db_table = "teams_staffrole"
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
