"""Consents, the legal bases that can stand in for them, and the log of every disclosure.

How a consent is kept (DOMAIN.md "Consent and information sharing"):

- `Consent` is the stable identity of one consent about one youth for one purpose. It holds
  nothing that can change.
- `ConsentVersion` is what was agreed, as recorded at one point: categories, receiving services,
  form (written with the signed form, or oral noted by whom and when), validity, and each
  party's own answer (`ConsentAnswer`). Versions are numbered 1, 2, 3… per consent and never
  changed after they are written: a revision is a new version, and so is a withdrawal (a copy
  of the version before, with who withdrew it, when and why). PostgreSQL refuses UPDATE and
  DELETE on versions and answers (migration 0003), on each version's receiving services, on
  the consent itself (its purpose never changes: another purpose is another consent) and on
  uses of legal bases (migration 0006).
- `involve_guardians` says the youth, 18 or older and consenting alone, wants the guardians
  told and involved after the 18th birthday (letters, meeting invitations, acknowledging the
  plan); without it the guardians are told nothing from 00:00 on that day
  (consent.policy.guardians_told). Only an adult version may say so (a CHECK constraint).
- `outreach_notes_to_police` says explicitly that the outreach service's notes may be shared
  with the police units the version names (seed 003, consent.policy); without it they are not.
- The current version of a consent is the one with the highest number (`ConsentVersion.objects
  .current()`); there is no pointer to keep in step. Only the current version counts for
  sharing, so a withdrawal or a narrower revision takes effect at once.
- A refusal is recorded the same way: a version in which a party's answer is "refused". Such a
  version opens nothing.
- `age_rule` is fixed on the version when it is recorded, the strictest of the rules for the
  youth's ages on `valid_from` and on the day of recording (Europe/Oslo;
  consent.services.consent_age_rule): it says whose answers the consent rests on, and back-dating
  a consent cannot make fewer answers enough. A version resting on guardians'
  answers stops counting on the youth's 18th birthday (consent.policy), without any job.

`LegalBasis` is the catalogue of laws that allow sharing without consent (data, loaded by
migration 0002, kept by administrators); `LegalBasisUse` is one written, time-limited use of
one of them. `Disclosure` is the append-only log of who saw or received which categories of a
youth's information, when, and on which basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Guardian, Youth
from core.validators import (
    HAPPENED,
    LONG_PERIOD,
    NOTE_MAX,
    PLANNED,
    REASON_MAX,
    TEXT_MAX,
    date_within,
    text_within,
)
from org.models import District, Unit


class Category(models.TextChoices):
    """The categories of information a consent or a legal basis opens (DOMAIN.md)."""

    IDENTITY_CONTACT = "identity_contact", _("Identity and contact details")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health")
    POLICE = "police", _("Police matters")
    BARNEVERN = "barnevern", _("Child welfare (barnevern)")
    FAMILY = "family", _("Family")
    SUBSTANCE_USE = "substance_use", _("Substance use")


def _category_array(verbose_name: Any) -> ArrayField[Sequence[str] | Combinable, list[str]]:
    return ArrayField(models.CharField(max_length=20, choices=Category.choices), verbose_name=verbose_name)


class Consent(models.Model):
    """One consent about one youth for one purpose; what was agreed is in its versions."""

    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="consents")
    purpose = models.TextField(
        _("purpose"), max_length=REASON_MAX, help_text=_("What the information is shared for, in plain words.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(purpose=""), name="consent_has_purpose")]

    def __str__(self) -> str:
        return f"{self.youth} – {self.purpose[:60]}"


class ConsentVersionQuerySet(models.QuerySet["ConsentVersion"]):
    def current(self) -> ConsentVersionQuerySet:
        """Only the latest version of each consent."""
        newer = ConsentVersion.objects.filter(consent_id=OuterRef("consent_id"), number__gt=OuterRef("number"))
        return self.filter(~Exists(newer))


class ConsentVersion(models.Model):
    """What was agreed at one point. Never changed after it is written (see module docstring)."""

    class Event(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        REVISED = "revised", _("Revised")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Form(models.TextChoices):
        WRITTEN = "written", _("Written (signed form)")
        ORAL = "oral", _("Oral")

    class AgeRule(models.TextChoices):
        UNDER_15 = "under_15", _("Under 15: the guardians consent, the youth is heard")
        FROM_15 = "from_15", _("15–17: the youth and the guardians consent")
        ADULT = "adult", _("18 or older: the youth alone consents")

    class Party(models.TextChoices):
        YOUTH = "youth", _("The youth")
        GUARDIAN = "guardian", _("A guardian")

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    event = models.CharField(_("change"), max_length=10, choices=Event.choices)
    categories = _category_array(_("categories of information"))
    units = models.ManyToManyField(Unit, verbose_name=_("receiving services"), related_name="consent_versions")
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    document = models.FileField(
        _("signed form"),
        upload_to="consent/%Y/%m/",
        blank=True,
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
    )
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oral consent noted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    noted_at = models.DateTimeField(_("oral consent given at"), null=True, blank=True, validators=[HAPPENED])
    valid_from = models.DateField(_("valid from"), validators=[PLANNED])
    valid_to = models.DateField(_("valid to"), validators=[LONG_PERIOD])
    age_rule = models.CharField(_("whose consent"), max_length=10, choices=AgeRule.choices)
    youth_view = models.TextField(
        _("the youth's view"),
        blank=True,
        max_length=NOTE_MAX,
        help_text=_("Under 15 the guardians decide, and the youth is heard."),
    )
    outreach_notes_to_police = models.BooleanField(
        _("The outreach service's notes may be shared with the police"),
        default=False,
        help_text=_(
            "Only when the youth (and under 18 the guardians) have agreed to exactly this: the outreach "
            "workers' safety and standing among the youths depend on the police not reading their notes."
        ),
    )
    involve_guardians = models.BooleanField(
        _("The youth wants the guardians told and involved after 18"),
        default=False,
        help_text=_(
            "From the 18th birthday the guardians are told nothing (no letters, invitations or plans to "
            "acknowledge) unless the youth, alone, has agreed to exactly this."
        ),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, validators=[HAPPENED])
    withdrawn_by_party = models.CharField(_("withdrawn by"), max_length=10, choices=Party.choices, blank=True)
    withdrawn_by_guardian = models.ForeignKey(
        Guardian, verbose_name=_("guardian who withdrew"), null=True, blank=True, on_delete=models.PROTECT
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent version")
        verbose_name_plural = _("consent versions")
        ordering = ["consent_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "number"], name="consentversion_number_unique"),
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="consentversion_dates"),
            date_within("valid_from", name="consentversion_valid_from_bounds"),
            date_within("valid_to", name="consentversion_valid_to_bounds"),
            models.CheckConstraint(
                condition=~Q(form="written") | ~Q(document=""), name="consentversion_written_has_document"
            ),
            models.CheckConstraint(
                condition=~Q(form="oral") | (Q(noted_by__isnull=False) & Q(noted_at__isnull=False)),
                name="consentversion_oral_is_noted",
            ),
            models.CheckConstraint(
                condition=~Q(event="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="consentversion_withdrawal_complete",
            ),
            models.CheckConstraint(
                condition=~Q(age_rule="under_15") | ~Q(youth_view=""), name="consentversion_under_15_youth_heard"
            ),
            # Only the youth's own consent (18 or older) can ask for the guardians after 18.
            models.CheckConstraint(
                condition=Q(involve_guardians=False) | Q(age_rule="adult"),
                name="consentversion_involve_guardians_adult",
            ),
        ]
        indexes = [models.Index(fields=["valid_to"], name="consentversion_valid_to")]

    def __str__(self) -> str:
        return f"{self.consent} v{self.number}"

    @property
    def is_withdrawn(self) -> bool:
        return self.event == self.Event.WITHDRAWN


class ConsentAnswer(models.Model):
    """One party's own answer in one version: the youth's, or one guardian's."""

    class Answer(models.TextChoices):
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")

    version = models.ForeignKey(ConsentVersion, on_delete=models.PROTECT, related_name="answers")
    party = models.CharField(_("who"), max_length=10, choices=ConsentVersion.Party.choices)
    guardian = models.ForeignKey(
        Guardian, verbose_name=_("guardian"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(party="guardian") & Q(guardian__isnull=False))
                | (Q(party="youth") & Q(guardian__isnull=True)),
                name="consentanswer_guardian_iff_party_guardian",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(party="youth"), name="consentanswer_one_youth_answer"
            ),
            models.UniqueConstraint(fields=["version", "guardian"], name="consentanswer_one_per_guardian"),
        ]

    def __str__(self) -> str:
        who = self.guardian if self.guardian_id else _("the youth")
        return f"{who}: {self.get_answer_display()}"


class LegalBasis(models.Model):
    """A law that allows sharing without consent. The catalogue is data, kept by administrators."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    law_reference = models.CharField(_("law reference"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    categories = _category_array(_("categories it may open"))
    receiving_kinds = ArrayField(
        models.CharField(max_length=20, choices=Unit.Kind.choices),
        verbose_name=_("receiving services"),
        blank=True,
        default=list,
        help_text=_("The kinds of service that may receive information on this basis. Empty: any service."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.law_reference})"


class LegalBasisUse(models.Model):
    """One use of a legal basis: which categories of one youth a service may see, why, and until when."""

    basis = models.ForeignKey(LegalBasis, verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="uses")
    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("used by"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("receiving service"), on_delete=models.PROTECT, related_name="+")
    categories = _category_array(_("categories of information"))
    reason = models.TextField(_("reason"), max_length=NOTE_MAX)
    starts_at = models.DateTimeField(_("from"), validators=[PLANNED])
    until = models.DateTimeField(_("until"), validators=[PLANNED])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("use of a legal basis")
        verbose_name_plural = _("uses of legal bases")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(until__gt=models.F("starts_at")), name="legalbasisuse_dates"),
            models.CheckConstraint(condition=~Q(reason=""), name="legalbasisuse_has_reason"),
        ]
        indexes = [models.Index(fields=["youth", "until"], name="legalbasisuse_youth_until")]

    def __str__(self) -> str:
        return f"{self.basis.title} – {self.youth}"


class Disclosure(models.Model):
    """Who saw or received which categories of a youth's information, when, and on which basis.
    Append-only: written by consent.services.disclosure_record, never changed (migration 0003)."""

    class Channel(models.TextChoices):
        VIEW = "view", _("Viewed")
        PDF = "pdf", _("PDF")
        EXPORT = "export", _("Export")
        API = "api", _("API")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        LEGAL_BASIS = "legal_basis", _("Legal basis")
        OWN_SERVICE = "own_service", _("Own service")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    youth = models.ForeignKey(Youth, verbose_name=_("youth"), on_delete=models.PROTECT, related_name="disclosures")
    categories = _category_array(_("categories of information"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    at = models.DateTimeField(_("when"), validators=[HAPPENED])
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    consent_version = models.ForeignKey(
        ConsentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    legal_basis_use = models.ForeignKey(
        LegalBasisUse, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis="consent") & Q(consent_version__isnull=False) & Q(legal_basis_use__isnull=True))
                | (Q(basis="legal_basis") & Q(legal_basis_use__isnull=False) & Q(consent_version__isnull=True))
                | (Q(basis="own_service") & Q(consent_version__isnull=True) & Q(legal_basis_use__isnull=True)),
                name="disclosure_basis_matches",
            ),
        ]
        indexes = [models.Index(fields=["youth", "-at"], name="disclosure_youth_time")]

    def __str__(self) -> str:
        return f"{self.user} – {self.youth} {self.at:%Y-%m-%d %H:%M}"


# --- Anonymous discussion -------------------------------------------------------------------


# The age bands follow the consent rules (DOMAIN.md): under 15 the guardians consent, from 15
# the youth as well, from 18 the youth alone. A meeting that discusses a case anonymously must
# know whose consent to ask for, and three-year bands hide a youth among more of their peers
# than two-year bands would. "Under 12" is for younger siblings at risk of being drawn in
# (seed 003); 21–24 for SaLTo, which works with youths up to 24.
AGE_BAND_RANGES: dict[str, tuple[int, int]] = {
    "under_12": (0, 11),
    "12_14": (12, 14),
    "15_17": (15, 17),
    "18_20": (18, 20),
    "21_24": (21, 24),
}


class DiscussionCase(models.Model):
    """A case discussed in an intake or list meeting before consent, without identifying the
    youth: an alias, an age band, a district and a summary of the concern (DOMAIN.md
    "Anonymous discussion"). consent.discussions.checks checks the text; consent.services writes.

    Open while it is discussed; converted when, after consent, it is linked to the youth and
    becomes a named case, keeping its notes; or closed without being converted.
    `confirmed_warnings` keeps the keys of the warnings (consent.discussions.checks.Finding.key) the
    author saw and confirmed when the case was created: what they were told, and accepted."""

    class AgeBand(models.TextChoices):
        UNDER_12 = "under_12", _("Under 12")
        FROM_12 = "12_14", _("12–14")
        FROM_15 = "15_17", _("15–17")
        FROM_18 = "18_20", _("18–20")
        FROM_21 = "21_24", _("21–24")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CONVERTED = "converted", _("Named case")
        CLOSED = "closed", _("Closed")

    class ClosingReason(models.TextChoices):
        NO_CONSENT = "no_consent", _("Consent was not given")
        HANDLED_ELSEWHERE = "handled_elsewhere", _("Followed up by another service")
        NO_FURTHER_ACTION = "no_further_action", _("No further action needed")
        OTHER = "other", _("Other")

    alias = models.CharField(
        _("alias"), max_length=60, help_text=_("A name for the meeting that does not identify the youth.")
    )
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("the concern"), max_length=NOTE_MAX)
    unit = models.ForeignKey(Unit, verbose_name=_("brought by"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now, validators=[HAPPENED])
    confirmed_warnings = ArrayField(
        models.CharField(max_length=300), verbose_name=_("confirmed warnings"), default=list, blank=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    youth = models.ForeignKey(
        Youth,
        verbose_name=_("youth"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discussions",
    )
    converted_at = models.DateTimeField(_("named"), null=True, blank=True, validators=[HAPPENED])
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, validators=[HAPPENED])
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_reason = models.CharField(_("why closed"), max_length=20, choices=ClosingReason.choices, blank=True)

    class Meta:
        verbose_name = _("anonymous discussion")
        verbose_name_plural = _("anonymous discussions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alias=""), name="discussioncase_has_alias"),
            models.CheckConstraint(condition=~Q(summary=""), name="discussioncase_has_summary"),
            text_within("summary", NOTE_MAX, name="discussioncase_summary_bounds"),
            models.CheckConstraint(
                condition=Q(age_band__in=list(AGE_BAND_RANGES)), name="discussioncase_age_band_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "converted", "closed"]), name="discussioncase_state_known"
            ),
            # Converted exactly when linked to the youth, with who did it and when.
            models.CheckConstraint(
                condition=(
                    Q(state="converted")
                    & Q(youth__isnull=False)
                    & Q(converted_at__isnull=False)
                    & Q(converted_by__isnull=False)
                )
                | (
                    ~Q(state="converted")
                    & Q(youth__isnull=True)
                    & Q(converted_at__isnull=True)
                    & Q(converted_by__isnull=True)
                ),
                name="discussioncase_converted_iff_youth",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="closed") & Q(closed_at__isnull=False) & Q(closed_by__isnull=False) & ~Q(closing_reason="")
                )
                | (~Q(state="closed") & Q(closed_at__isnull=True) & Q(closed_by__isnull=True) & Q(closing_reason="")),
                name="discussioncase_closed_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "district", "-created_at"], name="discussioncase_state_district"),
            models.Index(fields=["state", "unit", "-created_at"], name="discussioncase_state_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.alias} ({self.get_age_band_display()})"

    @property
    def is_converted(self) -> bool:
        """For pages that say so (what may be done now: consent.discussions.policy.actions_now)."""
        return self.state == self.State.CONVERTED

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def clean(self) -> None:
        errors = {}
        if not self.alias.strip():
            errors["alias"] = _("Give the case an alias.")
        if not self.summary.strip():
            errors["summary"] = _("Describe the concern.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def age_range(self) -> tuple[int, int]:
        return AGE_BAND_RANGES[self.age_band]


class DiscussionNote(models.Model):
    """What was said about an anonymous case, and when: its history, kept when the case becomes
    a named case. Append-only: written by consent.discussions.services.discussion_note_add, never changed
    (migration 0004)."""

    case = models.ForeignKey(DiscussionCase, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"), max_length=NOTE_MAX)
    at = models.DateTimeField(_("when"), default=timezone.now, validators=[HAPPENED])
    confirmed_warnings = ArrayField(
        models.CharField(max_length=300), verbose_name=_("confirmed warnings"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("discussion note")
        verbose_name_plural = _("discussion notes")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="discussionnote_has_text"),
            text_within("text", NOTE_MAX, name="discussionnote_text_bounds"),
        ]
        indexes = [models.Index(fields=["case", "at"], name="discussionnote_case_at")]

    def __str__(self) -> str:
        return f"{self.case.alias} {self.at:%Y-%m-%d %H:%M}"
