"""Referrals into one-to-one follow-up: the intake queue (inntak) and its decisions.

Concern reports (bekymringsmeldinger) and the school–barnevern routines come here with their own
issue; a referral from barnevern, police, a school or another service lands in the intake queue
as an IntakeCandidate either way.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.validators import HAPPENED, NOTE_MAX, PLANNED, REASON_MAX, TEXT_MAX, date_within, text_within
from core.workflow import Transitions, transition
from org.models import StaffRole, Unit


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
        "org.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="intake_candidates"
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
        "org.Unit", verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why follow-up is proposed"), max_length=NOTE_MAX)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True, validators=[HAPPENED])
    followup = models.ForeignKey(
        "cases.FollowUp", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_candidacies"
    )
    concern_report = models.ForeignKey(
        "referrals.ConcernReport",
        verbose_name=_("from concern report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_candidacies",
    )
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

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
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

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


# --- Concern reports (bekymringsmeldinger) and the school–barnevern routines ----------------

# The parts of an address (kept as JSON on reports, children and guardians): the form and the KS
# Fiks import check the same lengths.
ADDRESS_LINE_MAX = 200
POSTAL_CODE_MAX = 10
POSTAL_PLACE_MAX = 100


class ConcernReport(models.Model):
    """A concern report to barnevern (bekymringsmelding), with the parts of the KS Fiks
    bekymringsmelding v2 format (melding, historie, andre synspunkter) and the workflow of
    barnevernsloven §§ 2-1 and 2-2: received → reviewed within a week → closed without
    investigation (with a written reason) or investigation opened → concluded within 3 months of receipt
    (6 with a recorded special reason) → closed or measures. The clocks are computed in
    referrals.concerns.deadlines; every step is a service in referrals.concerns.services."""

    class Channel(models.TextChoices):
        SCHOOL_FORM = "school_form", _("School form in Laget")
        LAGET = "laget", _("Form in Laget")
        PHONE = "phone", _("Phone")
        LETTER = "letter", _("Letter")
        KS_FIKS = "ks_fiks", _("KS Fiks")

    class ReporterKind(models.TextChoices):
        PUBLIC = "public", _("Public reporter")
        PRIVATE = "private", _("Private reporter")

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Concern report")
        VIOLENCE = "violence", _("Concern about violence or sexual abuse")
        ACTIVE_CASE = "active_case", _("New report in an active case")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received, not yet reviewed")
        CLOSED_UNINVESTIGATED = "closed_uninvestigated", _("Closed without investigation")
        INVESTIGATING = "investigating", _("Investigation")
        CLOSED = "closed", _("Closed after investigation")
        MEASURES = "measures", _("Measures")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("barnevern service"), on_delete=models.PROTECT, related_name="concern_reports"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, validators=[HAPPENED])
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    kind = models.CharField(_("type of report"), max_length=12, choices=Kind.choices, default=Kind.ORDINARY)
    active_case = models.ForeignKey(
        "self",
        verbose_name=_("active case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_reports",
        help_text=_("The earlier report whose investigation or measures are still going on."),
    )
    # The reporter (melder): KS Fiks offentligMelder / privatMelder.
    reporter_kind = models.CharField(_("reporter"), max_length=8, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("reporter's name"), max_length=200)
    reporter_role = models.CharField(_("reporter's role"), max_length=200, blank=True)
    reporter_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    reporter_org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=40, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    reporter_address = models.JSONField(_("address"), default=dict, blank=True)
    reporter_relation = models.CharField(
        _("relation to the child"), max_length=200, blank=True, help_text=_("For a private reporter.")
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="concern_reports_sent"
    )
    reporter_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="concern_reports_sent"
    )
    # The report itself (KS Fiks melding.melding / historie / andreSynspunkter).
    concern = models.TextField(_("the concern"), max_length=TEXT_MAX)
    history = models.TextField(_("background and history"), blank=True, max_length=TEXT_MAX)
    other_views = models.TextField(_("other views"), blank=True, max_length=TEXT_MAX)
    interpreter_need = models.CharField(_("need for an interpreter"), max_length=300, blank=True)
    other_agencies = models.TextField(_("other services involved"), blank=True, max_length=NOTE_MAX)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, validators=[HAPPENED])
    # The UTC offset, in minutes, that the sender wrote with the sending time (KS Fiks
    # sendingstidspunkt), so that an export gives the time back as it came; None when the sender
    # wrote none (then the export writes Oslo's offset at that moment).
    sent_at_offset = models.SmallIntegerField(_("UTC offset of the sending time (minutes)"), null=True, blank=True)
    delivery_channel = models.CharField(_("delivery channel (KS Fiks)"), max_length=100, blank=True)
    municipality_number = models.CharField(max_length=4, default="0301")
    # Workflow.
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.RECEIVED)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, validators=[HAPPENED])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_reason = models.TextField(_("why it was closed"), blank=True, max_length=NOTE_MAX)
    investigation_started_on = models.DateField(
        _("investigation started"), null=True, blank=True, validators=[HAPPENED]
    )
    investigation_extended = models.BooleanField(_("investigation extended to 6 months"), default=False)
    extension_reason = models.TextField(_("special reason for 6 months"), blank=True, max_length=NOTE_MAX)
    investigation_concluded_on = models.DateField(
        _("investigation concluded"), null=True, blank=True, validators=[HAPPENED]
    )
    conclusion = models.TextField(_("conclusion"), blank=True, max_length=TEXT_MAX)
    # Violence or abuse (routine 2): guardians are not told before barnevern has acted.
    guardians_may_be_told_at = models.DateTimeField(
        _("guardians may be told from"), null=True, blank=True, validators=[PLANNED]
    )
    guardians_may_be_told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Feedback to the reporter (barnevernsloven § 2-1 siste ledd, § 2-2).
    receipt_sent_at = models.DateTimeField(_("receipt sent"), null=True, blank=True, validators=[HAPPENED])
    opening_feedback_sent_at = models.DateTimeField(
        _("told whether an investigation was opened"), null=True, blank=True, validators=[HAPPENED]
    )
    conclusion_feedback_sent_at = models.DateTimeField(
        _("told that the investigation ended"), null=True, blank=True, validators=[HAPPENED]
    )
    # From investigation to measures (routine 3).
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person for measures"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern_reports_contact",
    )
    measures_started_on = models.DateField(_("measures started"), null=True, blank=True, validators=[PLANNED])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("concern report")
        verbose_name_plural = _("concern reports")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(concern=""), name="concernreport_has_concern"),
            date_within("received_at", moment=True, name="concernreport_received_at_bounds"),
            text_within("concern", TEXT_MAX, name="concernreport_concern_bounds"),
            models.CheckConstraint(condition=~Q(reporter_name=""), name="concernreport_has_reporter"),
            models.CheckConstraint(
                condition=~Q(kind="active_case") | Q(active_case__isnull=False),
                name="concernreport_active_case_linked",
                violation_error_message=_("A new report in an active case is linked to that case."),
            ),
            models.CheckConstraint(
                condition=~Q(state="closed_uninvestigated") | (~Q(closing_reason="") & Q(reviewed_at__isnull=False)),
                name="concernreport_closed_with_reason",
                violation_error_message=_("Write why the report is closed without investigation."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["investigating", "closed", "measures"])
                | Q(investigation_started_on__isnull=False, reviewed_at__isnull=False),
                name="concernreport_investigation_started",
            ),
            models.CheckConstraint(
                condition=Q(investigation_extended=False) | ~Q(extension_reason=""),
                name="concernreport_extension_has_reason",
                violation_error_message=_("Write the special reason for extending the investigation to 6 months."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["closed", "measures"]) | Q(investigation_concluded_on__isnull=False),
                name="concernreport_concluded_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="measures") | Q(contact_person__isnull=False, measures_started_on__isnull=False),
                name="concernreport_measures_have_contact",
                violation_error_message=_("Measures need a new contact person."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "received_at"], name="concernreport_unit_state"),
            models.Index(fields=["caseworker", "state"], name="concernreport_caseworker"),
            models.Index(fields=["reporter_unit", "received_at"], name="concernreport_by_school"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%d.%m.%Y}"

    @property
    def is_violence(self) -> bool:
        return self.kind == self.Kind.VIOLENCE

    @property
    def guardians_may_be_told(self) -> bool:
        """Routine 2: for a report about violence or abuse, guardians are told nothing until a
        caseworker has recorded that they may be."""
        return not self.is_violence or self.guardians_may_be_told_at is not None


# The concern report's workflow (barnevernsloven §§ 2-1, 2-2): action → (the states it may be
# taken from, the state it leads to, the message when the state does not allow it). The services
# in referrals.concerns.services apply it; the report's page and the API ask
# concern_services.available_actions which steps are open now.
_CS = ConcernReport.State
_REVIEWED = _("The report has already been reviewed.")
_NOT_NOW = _("This step cannot be taken now: the report's state has changed. Look at it again.")
CONCERN_TRANSITIONS: Transitions = {
    "close": transition([_CS.RECEIVED], _CS.CLOSED_UNINVESTIGATED, _REVIEWED),
    "open": transition([_CS.RECEIVED], _CS.INVESTIGATING, _REVIEWED),
    "extend": transition([_CS.INVESTIGATING], None, _("Only an ongoing investigation can be extended.")),
    "conclude": transition([_CS.INVESTIGATING], _CS.CLOSED, _("Only an ongoing investigation can be concluded.")),
    "conclude_measures": transition(
        [_CS.INVESTIGATING], _CS.MEASURES, _("Only an ongoing investigation can be concluded.")
    ),
    # Telling a public reporter whether an investigation was opened: after the review.
    "feedback_opening": transition(
        [s for s in _CS if s != _CS.RECEIVED],
        None,
        _("Review the report before telling the reporter what was decided."),
    ),
    # Steps that leave the state as it is, offered only in these states.
    "handover": transition([_CS.MEASURES], None, _NOT_NOW),
    "intake": transition([_CS.INVESTIGATING, _CS.MEASURES], None, _NOT_NOW),
}


class ConcernReportChild(models.Model):
    """A child the report concerns: a registered youth, or a new person as the reporter named
    them (KS Fiks offentligBarn / privatBarn), with whether the child was told and, if not, why."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="children")
    youth = models.ForeignKey(
        "cases.Youth", null=True, blank=True, on_delete=models.PROTECT, related_name="concern_reports"
    )
    name = models.CharField(_("name"), max_length=200)
    national_id = models.CharField(_("national identity number"), max_length=11, blank=True)
    unborn = models.BooleanField(_("unborn"), default=False)
    assumed_age = models.CharField(_("assumed age"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.JSONField(_("address"), default=dict, blank=True)
    relation = models.CharField(_("relation to the reporter"), max_length=200, blank=True)
    informed = models.BooleanField(_("informed"), null=True, blank=True)
    informed_reason = models.TextField(_("why not informed"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("child in a concern report")
        verbose_name_plural = _("children in concern reports")
        ordering = ["report", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="concernchild_has_name")]
        indexes = [models.Index(fields=["youth"], name="concernchild_by_youth")]

    def __str__(self) -> str:
        return self.name


class ConcernReportGuardian(models.Model):
    """A guardian named in the report (KS Fiks foresatte), with whether they were told and why not."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="guardians")
    guardian = models.ForeignKey("cases.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    informed = models.BooleanField(_("informed"), default=False)
    informed_reason = models.TextField(_("why not informed"), blank=True, max_length=REASON_MAX)

    class Meta:
        verbose_name = _("guardian in a concern report")
        verbose_name_plural = _("guardians in concern reports")
        ordering = ["report", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="concernguardian_has_name")]

    def __str__(self) -> str:
        return self.name


class ConcernReportAttachment(models.Model):
    """A file sent with the report (PDF or image, size and type checked by the service)."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="concern_reports/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.filename


class ConcernReportEvent(models.Model):
    """One step in a report's way (received, reviewed, investigation opened, extended, concluded,
    feedback sent, guardians may be told, measures, contact person changed…): the report's
    history as the caseworker and the school read it. Append-only."""

    report = models.ForeignKey(ConcernReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)
    note = models.TextField(blank=True, max_length=TEXT_MAX)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, validators=[HAPPENED])

    LABELS = {
        "received": _("Received"),
        "assigned": _("Caseworker assigned"),
        "closed_uninvestigated": _("Closed without investigation"),
        "investigation_opened": _("Investigation opened"),
        "investigation_extended": _("Investigation extended to 6 months"),
        "concluded": _("Investigation concluded and closed"),
        "measures": _("Investigation concluded: measures"),
        "guardians_may_be_told": _("The guardians may now be told"),
        "feedback_receipt": _("Receipt sent to the reporter"),
        "feedback_opening": _("Reporter told whether an investigation was opened"),
        "feedback_conclusion": _("Reporter told that the investigation ended"),
        "handover_meeting": _("Handover meeting held"),
        "child_linked": _("Child linked to a registered youth"),
    }

    class Meta:
        verbose_name = _("concern report event")
        verbose_name_plural = _("concern report events")
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))


class KsFiksDocument(models.Model):
    """A KS Fiks document exactly as it was received (the bytes of the body or file), kept with
    the report it became: what the sender wrote and Laget does not map (a private reporter's
    guardians, the bydel, a field of a later version) is not lost. `unmapped` names the paths
    that were not taken into the report, as the importer was told. Append-only, enforced by
    PostgreSQL (migration 0005): never changed, never deleted. Seen only through
    referrals.concerns.selectors.ksfiks_original_get (the report's access policy, audited)."""

    report = models.OneToOneField(ConcernReport, on_delete=models.PROTECT, related_name="ksfiks_document")
    variant = models.CharField(_("variant"), max_length=10)  # offentlig or privat
    content = models.BinaryField(_("the document as received"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    unmapped = models.JSONField(_("not taken into the report"), default=list, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("KS Fiks document")
        verbose_name_plural = _("KS Fiks documents")
        constraints = [
            models.CheckConstraint(condition=Q(variant__in=["offentlig", "privat"]), name="ksfiksdocument_variant"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.variant}"


class SchoolContact(models.Model):
    """Each school's fixed contact person in barnevern (fast kontaktperson, routine 1), from when
    to when: the school knows whom to call, and the contact person hears of the school's reports."""

    school = models.ForeignKey(
        "org.Unit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="barnevern_contacts"
    )
    barnevern_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("barnevern service"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("contact person"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate, validators=[PLANNED])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[PLANNED])

    class Meta:
        verbose_name = _("school's barnevern contact")
        verbose_name_plural = _("schools' barnevern contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(ends_on__isnull=True), name="schoolcontact_one_active_per_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} – {self.contact}"

    def clean(self) -> None:
        """The rules of a fixed contact, wherever it is written (the admin's form calls this; so
        must any other writer): a school, the barnevern service of the school's district, a
        caseworker or leader in force in that service, and an end after the start."""
        errors: dict[str, str | Promise] = {}
        school = self.school if self.school_id else None
        barnevern = self.barnevern_unit if self.barnevern_unit_id else None
        if school is not None and school.kind != Unit.Kind.SCHOOL:
            errors["school"] = _("Choose a school.")
        if barnevern is not None and barnevern.kind != Unit.Kind.BARNEVERN:
            errors["barnevern_unit"] = _("Choose a barnevern service.")
        elif school is not None and barnevern is not None and school.district_id not in (None, barnevern.district_id):
            errors["barnevern_unit"] = _("Choose the barnevern service of the school's district.")
        if (
            self.contact_id
            and barnevern is not None
            and "barnevern_unit" not in errors
            and not StaffRole.objects.filter(
                user_id=self.contact_id, unit=barnevern, role__in=SCHOOL_CONTACT_ROLES, ends_on__isnull=True
            ).exists()
        ):
            errors["contact"] = _("%(name)s is not a caseworker or leader in %(unit)s.") % {
                "name": self.contact,
                "unit": barnevern,
            }
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


# The roles in a barnevern service that can be a school's fixed contact (SchoolContact.clean).
SCHOOL_CONTACT_ROLES = (StaffRole.Role.CASEWORKER, StaffRole.Role.LEADER)
