"""Serializers of the concern-report API (/api/v1/concern-reports/…): the report as its page
shows it, the reporter's receipt, and the input of sending a report and of each step on its way
(the fields of the page's forms; the rules are referrals.concerns.services'). A KS Fiks document
comes in as the schema's JSON and is validated by referrals.concerns.ksfiks, not here."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from cases.models import Youth
from core import access
from core.api import ActionsField, limit_choices, request_user
from core.models import User
from core.validators import HAPPENED, NOTE_MAX, PLANNED, REASON_MAX, TEXT_MAX
from org.models import Unit
from referrals.concerns import deadlines
from referrals.concerns import selectors as concern_selectors
from referrals.concerns import services as concern_services
from referrals.models import (
    ADDRESS_LINE_MAX,
    POSTAL_CODE_MAX,
    POSTAL_PLACE_MAX,
    ConcernReport,
    ConcernReportEvent,
    ConcernReportGuardian,
    Urgency,
)

# The feedback to the reporter (services.FEEDBACK) and the outcomes of an investigation (the page's
# ConcludeForm), named in the schema by config.settings ENUM_NAME_OVERRIDES.
FEEDBACK_KINDS = list(concern_services.FEEDBACK)
CONCLUDE_OUTCOMES = ["closed", "measures"]


class DeadlineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named label, as the deadline's
    due = serializers.DateField()
    warn_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=[deadlines.MET, deadlines.OPEN, deadlines.WARNING, deadlines.OVERDUE])
    met_on = serializers.DateField(allow_null=True)


class ConcernReportSerializer(serializers.ModelSerializer[ConcernReport]):
    """A report in a list: its way and clocks, the reporter, how many children it names (their
    names and details are on the report's page, through the sharing policy)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    caseworker_name = serializers.CharField(source="caseworker.full_name", read_only=True, default=None)
    children_count = serializers.IntegerField(read_only=True)
    guardians_may_be_told = serializers.BooleanField(read_only=True)
    deadlines = serializers.SerializerMethodField()
    actions = ActionsField(
        concern_services.available_actions,
        help_text=(
            "The steps the report's state opens now (referrals.models.CONCERN_TRANSITIONS): close, open, extend, "
            "conclude, conclude_measures, feedback_opening, handover, intake, guardians. Whether the caller may "
            "take them is the access rules' word."
        ),
    )

    class Meta:
        model = ConcernReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "received_at",
            "channel",
            "kind",
            "active_case",
            "state",
            "reporter_kind",
            "reporter_name",
            "reporter_organisation",
            "caseworker",
            "caseworker_name",
            "children_count",
            "guardians_may_be_told",
            "deadlines",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, report: ConcernReport) -> Any:
        return DeadlineSerializer(deadlines.deadlines_for(report), many=True).data


class ImportedSerializer(serializers.Serializer[Any]):
    """The answer to an import: the new report, and whether it came from a public or private reporter."""

    id = serializers.IntegerField()
    reporter_kind = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    children = serializers.IntegerField()
    registered_youths = serializers.IntegerField(help_text="Children matched to a registered youth by fnr.")
    guardians = serializers.IntegerField()
    unmapped = serializers.ListField(
        child=serializers.CharField(),
        help_text="Paths in the document whose content was not taken into the report (kept in the original).",
    )
    original = serializers.CharField(help_text="Where the document is kept exactly as received.")


# --- The report as its page shows it ---------------------------------------------------------


class ConcernChildSerializer(serializers.Serializer[Any]):
    """A child the report names; the details only when the sharing policy shows them (`shown`),
    as on the report's page (referrals.concerns.selectors.report_children_shown)."""

    id = serializers.IntegerField(source="child.pk")
    name = serializers.CharField(source="child.name")
    youth = serializers.IntegerField(source="child.youth_id", allow_null=True, help_text="The registered youth.")
    shown = serializers.BooleanField(help_text="False: the sharing policy withholds the child's details from you.")
    details = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer(
            "ConcernReportChildDetails",
            {
                "national_id": serializers.CharField(),
                "unborn": serializers.BooleanField(),
                "assumed_age": serializers.CharField(),
                "phone": serializers.CharField(),
                "address": serializers.DictField(child=serializers.CharField()),
                "relation": serializers.CharField(),
                "informed": serializers.BooleanField(allow_null=True),
                "informed_reason": serializers.CharField(),
            },
            allow_null=True,
        )
    )
    def get_details(self, row: Any) -> Any:
        if not row.shown:
            return None
        child = row.child
        return {
            "national_id": child.national_id,
            "unborn": child.unborn,
            "assumed_age": child.assumed_age,
            "phone": child.phone,
            "address": child.address,
            "relation": child.relation,
            "informed": child.informed,
            "informed_reason": child.informed_reason,
        }


class ConcernGuardianSerializer(serializers.ModelSerializer[ConcernReportGuardian]):
    class Meta:
        model = ConcernReportGuardian
        fields = ["name", "phone", "informed", "informed_reason"]
        read_only_fields = fields


class ConcernEventSerializer(serializers.ModelSerializer[ConcernReportEvent]):
    actor_name = serializers.CharField(source="actor.full_name", default=None, read_only=True)

    class Meta:
        model = ConcernReportEvent
        fields = ["at", "action", "note", "actor_name"]
        read_only_fields = fields


class ConcernChildToLinkSerializer(serializers.Serializer[Any]):
    child = serializers.IntegerField(source="child.pk")
    name = serializers.CharField(source="child.name")
    youth = serializers.IntegerField(source="youth.pk", help_text="The registered youth with the child's number.")


class ConcernAttachmentSerializer(serializers.Serializer[Any]):
    """A file sent with the report (PDF, PNG or JPEG, its type recognised by its content)."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="filename", help_text="The file's name as it was sent.")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")


class ConcernReportDetailSerializer(serializers.Serializer[Any]):
    """The whole report as its page shows it to the caller, with the steps they may take now."""

    report = ConcernReportSerializer()
    reporter_role = serializers.CharField(source="report.reporter_role")
    reporter_phone = serializers.CharField(source="report.reporter_phone")
    reporter_email = serializers.CharField(source="report.reporter_email")
    reporter_relation = serializers.CharField(source="report.reporter_relation")
    concern = serializers.CharField(source="report.concern")
    history = serializers.CharField(source="report.history")
    other_views = serializers.CharField(source="report.other_views")
    interpreter_need = serializers.CharField(source="report.interpreter_need")
    other_agencies = serializers.CharField(source="report.other_agencies")
    closing_reason = serializers.CharField(source="report.closing_reason")
    investigation_started_on = serializers.DateField(source="report.investigation_started_on", allow_null=True)
    investigation_extended = serializers.BooleanField(source="report.investigation_extended")
    extension_reason = serializers.CharField(source="report.extension_reason")
    investigation_concluded_on = serializers.DateField(source="report.investigation_concluded_on", allow_null=True)
    conclusion = serializers.CharField(source="report.conclusion")
    contact_person = serializers.IntegerField(source="report.contact_person_id", allow_null=True)
    contact_person_name = serializers.CharField(source="report.contact_person.full_name", default=None)
    measures_started_on = serializers.DateField(source="report.measures_started_on", allow_null=True)
    receipt_sent_at = serializers.DateTimeField(source="report.receipt_sent_at", allow_null=True)
    opening_feedback_sent_at = serializers.DateTimeField(source="report.opening_feedback_sent_at", allow_null=True)
    conclusion_feedback_sent_at = serializers.DateTimeField(
        source="report.conclusion_feedback_sent_at", allow_null=True
    )
    school_contact_name = serializers.CharField(allow_null=True)
    children = ConcernChildSerializer(many=True)
    withheld = serializers.BooleanField(help_text="Some children's details are withheld by the sharing policy.")
    guardian_letter_refusal = serializers.CharField(
        allow_null=True,
        help_text="Why no letter may go to the guardians now (routine 2, or a child who turned 18 without "
        "consenting to involving them); null when one may.",
    )
    guardians = ConcernGuardianSerializer(many=True)
    events = ConcernEventSerializer(many=True)
    later_reports = serializers.ListField(child=serializers.IntegerField(), help_text="New reports in this case.")
    may_act = serializers.BooleanField()
    may_assign = serializers.BooleanField()
    actions = ActionsField(
        lambda view: concern_selectors.concern_report_actions(user=view["user"], report=view["report"]),
        help_text=(
            "The steps you may take now (referrals.concerns.selectors.concern_report_actions): those the report's "
            "state opens (referrals.models.CONCERN_TRANSITIONS) when you may act on it, and assign when you may "
            "assign it."
        ),
    )
    feedback_open = serializers.ListField(
        child=serializers.ChoiceField(choices=FEEDBACK_KINDS),
        help_text="The feedback to the reporter that may be recorded now (POST …/feedback/).",
    )
    children_to_link = ConcernChildToLinkSerializer(many=True, help_text="Children you may link (POST …/link-child/).")
    ksfiks_original = serializers.BooleanField(help_text="The report came through KS Fiks: …/ks-fiks/original/.")
    attachments = ConcernAttachmentSerializer(
        many=True, help_text="The files sent with the report: GET …/attachments/<id>/ for one."
    )


# --- The reporter's view -----------------------------------------------------------------------


class ConcernReceiptSerializer(serializers.Serializer[Any]):
    """What the reporter sees of a report they sent (selectors.ReporterView): the receipt and the
    feedback, never the case."""

    id = serializers.IntegerField(source="pk")
    received_on = serializers.DateField()
    kind_label = serializers.CharField()
    receipt_sent_on = serializers.DateField(allow_null=True)
    investigation_opened = serializers.BooleanField(
        allow_null=True, help_text="Told to a public reporter once the review is done; null until then."
    )
    opening_feedback_sent_on = serializers.DateField(allow_null=True)
    conclusion_feedback_sent_on = serializers.DateField(allow_null=True)
    contact_person_name = serializers.CharField(help_text="The new contact person, once there are measures.")
    school_contact_name = serializers.CharField(help_text="The school's fixed barnevern contact person.")


class ConcernReportSentSerializer(serializers.Serializer[Any]):
    """The answer to sending a report: the receipt when it is the sender's own report (and
    nothing of the case), else the report as its page shows it to them (when they may see it)."""

    id = serializers.IntegerField()
    receipt = ConcernReceiptSerializer(allow_null=True)
    report = ConcernReportDetailSerializer(allow_null=True)


# --- Input: sending a report ---------------------------------------------------------------------


class ConcernAddressSerializer(serializers.Serializer[Any]):
    """The KS Fiks adresse object."""

    adresselinje1 = serializers.CharField(max_length=ADDRESS_LINE_MAX)
    postnummer = serializers.CharField(max_length=POSTAL_CODE_MAX, required=False, allow_blank=True)
    poststed = serializers.CharField(max_length=POSTAL_PLACE_MAX, required=False, allow_blank=True)


class ConcernChildInputSerializer(serializers.Serializer[Any]):
    """A child the report is about: a registered youth the sender sees, or a name."""

    youth = serializers.PrimaryKeyRelatedField(
        queryset=Youth.objects.none(), required=False, allow_null=True, help_text="A registered youth you see."
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    national_id = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    unborn = serializers.BooleanField(required=False, default=False)
    assumed_age = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = ConcernAddressSerializer(required=False, allow_null=True, default=None)
    relation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    informed = serializers.BooleanField(help_text="Has the child been told about the report?")
    informed_reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class ConcernGuardianInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    informed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Has the guardian been told? Always no for a report about violence or abuse (routine 2).",
    )
    informed_reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class ConcernReportSendSerializer(serializers.Serializer[Any]):
    """A concern report, as the form /meldinger/ny/ takes it: the JSON body, or the `report` part
    of a multipart body with the attachments beside it (ConcernReportSendMultipartSerializer). Barnevern
    staff may also say how it came in (phone, letter), whether the reporter is public or private,
    and the active case a new report belongs to; for anyone else those fields are not offered
    (as on the page) and the report is their own, public, from Laget's form (their school's
    form when they work in a school)."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), help_text="The barnevern service of the district where the child lives."
    )
    kind = serializers.ChoiceField(choices=ConcernReport.Kind.choices)
    active_case = serializers.PrimaryKeyRelatedField(
        queryset=ConcernReport.objects.none(),
        required=False,
        allow_null=True,
        help_text="Barnevern staff: the report whose investigation or measures go on (kind active_case).",
    )
    channel = serializers.ChoiceField(
        choices=[ConcernReport.Channel.LAGET, ConcernReport.Channel.PHONE, ConcernReport.Channel.LETTER],
        required=False,
        help_text="Barnevern staff: how the report came in (a report by phone or letter is someone else's).",
    )
    reporter_kind = serializers.ChoiceField(
        choices=ConcernReport.ReporterKind.choices, required=False, help_text="Barnevern staff; public by default."
    )
    reporter_name = serializers.CharField(max_length=200)
    reporter_role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reporter_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    reporter_email = serializers.EmailField(required=False, allow_blank=True, default="")
    reporter_relation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    concern = serializers.CharField(max_length=TEXT_MAX)
    history = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    other_views = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    interpreter_need = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    other_agencies = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    # At most 20 rows each, as the page's formsets (ListSerializer's max_length; not in the stubs).
    children = ConcernChildInputSerializer(many=True, max_length=20)  # type: ignore[call-arg]
    guardians = ConcernGuardianInputSerializer(  # type: ignore[call-arg]
        many=True, max_length=20, required=False, default=list
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "request" not in self.context:
            return
        user = request_user(self)
        limit_choices(self, "unit", concern_selectors.concern_report_receiving_units())
        children = self.fields["children"]
        assert isinstance(children, serializers.ListSerializer)
        # The youths the page's form offers: those the sender sees.
        limit_choices(children.child, "youth", access.visible(user, Youth.objects.all()))  # type: ignore[arg-type]
        if concern_selectors.is_barnevern_staff(user=user):
            limit_choices(
                self,
                "active_case",
                access.visible(user, ConcernReport.objects.filter(state__in=concern_services.ACTIVE_STATES)),
            )
        else:
            for name in ("active_case", "channel", "reporter_kind"):
                del self.fields[name]
            kind = self.fields["kind"]
            assert isinstance(kind, serializers.ChoiceField)
            kind.choices = [c for c in ConcernReport.Kind.choices if c[0] != ConcernReport.Kind.ACTIVE_CASE]


# A multipart report's `report` part is JSON of the same fields as the JSON body, no larger than
# such a body may be (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default) less the files' room.
REPORT_PART_MAX = 1024 * 1024


class ConcernReportSendMultipartSerializer(serializers.Serializer[Any]):
    """A concern report with attachments (multipart/form-data), as the form /meldinger/ny/ takes
    it: for the schema; the API reads the parts itself and checks `report` with
    ConcernReportSendSerializer, and the service the attachments."""

    report = serializers.CharField(
        max_length=REPORT_PART_MAX,
        help_text="The report's fields as the JSON body takes them (ConcernReportSend), as a JSON string.",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=concern_services.MAX_ATTACHMENTS,
        help_text=(
            f"At most {concern_services.MAX_ATTACHMENTS} files, each a PDF, PNG or JPEG of at most 10 MB, "
            "its type recognised by its content (one part named attachments for each file)."
        ),
    )


# --- Input: the caseworker's steps ---------------------------------------------------------------


class ConcernAssignSerializer(serializers.Serializer[Any]):
    caseworker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        help_text="A leader gives the report to a caseworker or leader of its unit; a caseworker takes it themself.",
    )

    def __init__(self, *args: Any, report: ConcernReport | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if report is not None and "request" in self.context:
            limit_choices(
                self, "caseworker", concern_selectors.concern_report_assignable(user=request_user(self), report=report)
            )


class ConcernReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=NOTE_MAX, allow_blank=True)


class ConcernInvestigationSerializer(serializers.Serializer[Any]):
    started_on = serializers.DateField(
        required=False, allow_null=True, validators=[HAPPENED], help_text="Today when left out."
    )


class ConcernConcludeSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=CONCLUDE_OUTCOMES)
    conclusion = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    contact_person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        help_text="For measures: the new contact person, staff of a barnevern service (routine 3).",
    )
    measures_started_on = serializers.DateField(
        required=False, allow_null=True, validators=[PLANNED], help_text="For measures: the day they start."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "contact_person", concern_selectors.concern_report_contact_people())


class ConcernNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, help_text="What barnevern has done.")


class ConcernFeedbackSerializer(serializers.Serializer[Any]):
    which = serializers.ChoiceField(
        choices=FEEDBACK_KINDS,
        help_text="receipt; opening (whether an investigation was opened, public reporters); conclusion.",
    )


class ConcernLinkChildSerializer(serializers.Serializer[Any]):
    child = serializers.IntegerField(help_text="One of the report's children_to_link.")


class ConcernIntakeSerializer(serializers.Serializer[Any]):
    """Refer a child of the report to one-to-one follow-up: the intake queue of the child's district."""

    youth = serializers.PrimaryKeyRelatedField(
        queryset=Youth.objects.none(), help_text="One of the report's children registered in Laget."
    )
    reason = serializers.CharField(
        max_length=NOTE_MAX,
        allow_blank=True,
        help_text="Shown in the intake queue and on the intake meeting's shared screen: write no names.",
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)

    def __init__(self, *args: Any, report: ConcernReport | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if report is not None:
            limit_choices(self, "youth", concern_selectors.concern_report_registered_youths(report=report))


HANDOVER_MINUTES = [30, 60, 90, 120]


class ConcernHandoverSerializer(serializers.Serializer[Any]):
    """Propose the handover meeting after the transition to measures (routine 3)."""

    youth = serializers.PrimaryKeyRelatedField(
        queryset=Youth.objects.none(), help_text="One of the report's children registered in Laget."
    )
    starts_at = serializers.DateTimeField(validators=[PLANNED])
    minutes = serializers.ChoiceField(choices=HANDOVER_MINUTES, default=60, help_text="How long, in minutes.")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, report: ConcernReport | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if report is not None:
            limit_choices(self, "youth", concern_selectors.concern_report_registered_youths(report=report))


# --- The deadline list ---------------------------------------------------------------------------


class DeadlineRowSerializer(serializers.Serializer[Any]):
    """A deadline of a report: the report named by its kind and received date, never the child."""

    report = serializers.IntegerField(source="report.pk")
    kind = serializers.ChoiceField(source="report.kind", choices=ConcernReport.Kind.choices)
    received_at = serializers.DateTimeField(source="report.received_at")
    deadline = DeadlineSerializer()


class HandoverGapSerializer(serializers.Serializer[Any]):
    """A report in measures whose new contact person has had no activity with the children for
    3 weeks or more (routine 3)."""

    report = serializers.IntegerField(source="pk")
    unit_name = serializers.CharField(source="unit.name")
    contact_person_name = serializers.CharField(source="contact_person.full_name")
    measures_started_on = serializers.DateField()


class ConcernDeadlinesSerializer(serializers.Serializer[Any]):
    """The caller's deadline list (the reports they are the caseworker of; a leader's units' too):
    overdue, and due this week (Monday–Sunday, Oslo); for a leader, the handover gaps."""

    overdue = DeadlineRowSerializer(many=True)
    this_week = DeadlineRowSerializer(many=True)
    week_starts = serializers.DateField()
    week_ends = serializers.DateField()
    handover_gaps = HandoverGapSerializer(many=True)
