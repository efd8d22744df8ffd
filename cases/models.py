"""Youths, their families and guardians.

The follow-up itself (followers, contacts, offences, outcomes) comes with its own issue; the
people are here from the start because the demo data and every later issue build on them.
Youth data is reached only through core.access (cases.policy), never through the admin.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer

from core.validators import validate_national_id
from teams.models import District


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
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="youths")
    family = models.ForeignKey(
        Family, verbose_name=_("family"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("youth")
        verbose_name_plural = _("youths")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"], condition=~Q(national_id=""), name="youth_national_id_unique"
            ),
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

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self) -> None:
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
