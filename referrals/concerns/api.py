"""The concern-report API: what a person does on the concern-report pages (/meldinger/…), for
another system, and KS Fiks bekymringsmelding v2 in and out.

- GET  /api/v1/concern-reports/                 the reports of the caller's barnevern services
- POST /api/v1/concern-reports/                 send a report (as /meldinger/ny/): a JSON body, or
  multipart/form-data with the same fields as JSON in the part `report` and up to
  services.MAX_ATTACHMENTS files in parts named `attachments`, passed to the same service call,
  which checks each file by its content and size (a 400 with fields.attachments, nothing saved)
- GET  /api/v1/concern-reports/sent/            the reporter's own reports: receipt and feedback only
- GET  /api/v1/concern-reports/sent/<id>/       one receipt (404 for anyone but the reporter), audited
- GET  /api/v1/concern-reports/deadlines/       the caller's deadline list (as /meldinger/frister/)
- GET  /api/v1/concern-reports/<id>/            the report as its page shows it, with the steps open
  now (concern_selectors.concern_report_actions) and its attachments (id, name, type, size);
  audited, the disclosures logged
- GET  /api/v1/concern-reports/<id>/attachments/<attachment id>/   one attachment as a download
  under a neutral name (concern_selectors.concern_attachment_get: 404 outsider, 403 when the
  sharing policy withholds a child's details, audited as concern_report.attachment_viewed)
- POST /api/v1/concern-reports/<id>/assign/ | close/ | investigation/ | extend/ | conclude/ |
  guardians-may-be-told/ | feedback/ | link-child/ | handover/ | intake/   each step, through the
  service its page form calls (404 outsider, 403 without the right, 400 with the service's fields)

- POST /api/v1/concern-reports/import/ — the body is the KS Fiks document (offentlig or privat);
  ?unit=<id> names the receiving barnevern service, else the caller's own (when they work in
  one). 201 with the new report, the paths not taken into it (`unmapped`) and where the document
  is kept byte for byte (`original`); an invalid document, or a text over Laget's limits
  (referrals.concerns.ksfiks.LIMITS), is a 400 in the project's error format listing every message
  ("path: message") under fields.document, and nothing is saved.
- GET /api/v1/concern-reports/<id>/ks-fiks/original/ — the document as received, through the
  report's access policy (404 outsider), the sharing policy and the audit trail
  (referrals.concerns.selectors.ksfiks_original_get).
- GET /api/v1/concern-reports/<id>/ks-fiks/ — the report as v2 JSON, as an attachment. Through
  the ConcernReport access policy (404 for anyone who may not see the report, 403 for one who
  sees it but may not act on it), audited as concern_report.exported. Export to barnevern
  systems is not guardian-facing: allowed for a report about violence or abuse too.
- GET /api/v1/concern-reports/ — the reports of the caller's barnevern services, newest first.

No permission is decided here: core.access with referrals.concerns.policy decides, the sharing
policy (consent.policy) decides what of a registered youth goes out, and the writes are
referrals.concerns.ksfiks → referrals.concerns.services.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core import access
from core.api import validated
from core.dates import today_in_oslo
from core.parsers import SafeJSONParser
from org.models import Unit
from referrals.concerns import ksfiks
from referrals.concerns import policy as concern_policy
from referrals.concerns import selectors as concern_selectors
from referrals.concerns import services as concern_services
from referrals.concerns.serializers import (
    REPORT_PART_MAX,
    ConcernAssignSerializer,
    ConcernConcludeSerializer,
    ConcernDeadlinesSerializer,
    ConcernFeedbackSerializer,
    ConcernHandoverSerializer,
    ConcernIntakeSerializer,
    ConcernInvestigationSerializer,
    ConcernLinkChildSerializer,
    ConcernNoteSerializer,
    ConcernReasonSerializer,
    ConcernReceiptSerializer,
    ConcernReportDetailSerializer,
    ConcernReportSendMultipartSerializer,
    ConcernReportSendSerializer,
    ConcernReportSentSerializer,
    ConcernReportSerializer,
    ImportedSerializer,
)
from referrals.concerns.views import concern_attachment_response
from referrals.intake import services as intake_services
from referrals.intake.serializers import CandidateSerializer
from referrals.models import ConcernReport, KsFiksDocument
from teams.meetings.serializers import MeetingSerializer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

MAX_ID = 2**63 - 1


def _barnevern_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The barnevern services where the caller is a caseworker or leader in force."""
    return Unit.objects.filter(
        kind=Unit.Kind.BARNEVERN, is_active=True, pk__in=concern_policy.unit_ids_for(user)
    ).order_by("pk")


def _receiving_unit(request: Request) -> Unit:
    units = _barnevern_units(request.user)
    if not units.exists():
        raise exceptions.PermissionDenied(
            _("Only caseworkers and leaders in a barnevern service import concern reports from KS Fiks.")
        )
    raw = request.query_params.get("unit", "").strip()
    if raw:
        unit = units.filter(pk=int(raw)).first() if raw.isdigit() and int(raw) <= MAX_ID else None
        if unit is None:
            raise DjangoValidationError({"unit": _("Choose a barnevern service you work in.")})
        return unit
    found = list(units[:2])
    if len(found) > 1:
        raise DjangoValidationError(
            {
                "unit": _(
                    "You work in more than one barnevern service: choose the one that receives the report (?unit=)."
                )
            }
        )
    return found[0]


class ConcernReportListApi(generics.GenericAPIView[ConcernReport]):
    """The concern reports of the caller's barnevern services (?unit= one of them, ?state=), newest
    first; and sending a report."""

    serializer_class = ConcernReportSerializer
    # JSON, or multipart/form-data when the report has attachments (as the page's form).
    parser_classes = [SafeJSONParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[ConcernReport]:
        user = self.request.user
        qs = (
            access.visible(user, ConcernReport.objects.all())
            .filter(unit__in=_barnevern_units(user).values("pk"))
            .select_related("unit", "caseworker")
            .annotate(children_count=Count("children"))
            .order_by("-received_at", "-id")
        )
        unit = self.request.query_params.get("unit", "").strip()
        if unit:
            qs = qs.filter(unit_id=int(unit)) if unit.isdigit() and int(unit) <= MAX_ID else qs.none()
        state = self.request.query_params.get("state", "").strip()
        if state:
            qs = qs.filter(state=state) if state in ConcernReport.State.values else qs.none()
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="One of your barnevern services."),
            OpenApiParameter("state", OpenApiTypes.STR, enum=ConcernReport.State.values),
        ],
        responses=ConcernReportSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        return self.get_paginated_response(ConcernReportSerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": ConcernReportSendSerializer,
            "multipart/form-data": ConcernReportSendMultipartSerializer,
        },
        responses={
            201: ConcernReportSentSerializer,
            400: OpenApiResponse(
                description="A field breaks a rule (fields.<name>); an attachment that is not a PDF, PNG or JPEG by "
                "its content, is larger than 10 MB, or one too many: fields.attachments. Nothing is saved."
            ),
            403: OpenApiResponse(description="No role in force."),
        },
        description=(
            "The answer holds the receipt the reporter sees (GET concern-reports/sent/<id>/) when the report is "
            "the caller's own, and nothing of the case; a report barnevern staff register as taken by phone or "
            "letter is someone else's, and the answer then holds the report as its page shows it (GET "
            "concern-reports/<id>/) when they may see it. With attachments the body is multipart/form-data: the "
            "report's fields as a JSON string in the part `report`, and each file in a part named `attachments`."
        ),
    )
    def post(self, request: Request) -> Response:
        """Send a concern report (as /meldinger/ny/): any staff member with a role in force (the
        duty to report is personal, no leader's approval)."""
        return _send(request)


class ConcernReportImportApi(generics.GenericAPIView[ConcernReport]):
    """Import a KS Fiks bekymringsmelding v2 (offentlig or privat) into a barnevern service."""

    serializer_class = ImportedSerializer
    # The body is read as it came: referrals.concerns.ksfiks parses it, so that any body, JSON or not,
    # gets the same answer (the schema's messages, or "not valid JSON").
    parser_classes: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="The receiving barnevern service (default: yours).")
        ],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            201: ImportedSerializer,
            400: OpenApiResponse(description="Not JSON, or not valid against the KS Fiks schema: every message."),
            403: OpenApiResponse(description="Only barnevern caseworkers and leaders import."),
        },
        description=(
            "The body is a KS Fiks bekymringsmelding v2 JSON document (offentligMelder → offentlig, "
            "privatMelder → privat), validated against its schema before anything is saved. "
            "Limits (characters, as Laget's form): melding.melding / melding.historie / "
            "melding.andreSynspunkter and a private reporter's melding 20000 each; andreHjelpeinstanser 5000; "
            "orientertGrunn 2000; behovForTolk 300; names, rolle, virksomhet.navn, relasjon and address lines 200; "
            "poststed 100; epost 254; telefonnummer 40; orgnr 20; antattAlder 20; postnummer 10; fnr 11; "
            "leveringskanal 100; the whole document 2 MB (2097152 bytes). Over a limit: 400 with "
            "'path: at most N characters (it has M)' under fields.document, nothing saved. "
            "The document is kept exactly as received; the 201 answer lists the paths not taken into the "
            "report (unmapped) and where the original is (original)."
        ),
    )
    def post(self, request: Request) -> Response:
        unit = _receiving_unit(request)
        try:
            body = request._request.body
        except RequestDataTooBig:
            raise DjangoValidationError({"document": [_("The document is too large.")]}) from None
        report = ksfiks.import_report(actor=request.user, unit=unit, data=body)
        children = list(report.children.all())
        data = {
            "id": report.pk,
            "reporter_kind": report.reporter_kind,
            "kind": report.kind,
            "state": report.state,
            "children": len(children),
            "registered_youths": sum(1 for child in children if child.youth_id is not None),
            "guardians": report.guardians.count(),
            "unmapped": report.ksfiks_document.unmapped,
            "original": reverse("api:concern_report_ks_fiks_original", args=[report.pk]),
        }
        response = Response(ImportedSerializer(data).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:concern_report_ks_fiks", args=[report.pk])
        return response


class ConcernReportKsFiksApi(generics.GenericAPIView[ConcernReport]):
    """One report as KS Fiks bekymringsmelding v2 JSON (offentlig or privat by its reporter)."""

    pagination_class = None

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="Valid against the KS Fiks v2 schema of the report's reporter kind."
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        export = concern_selectors.ksfiks_export_get(user=request.user, pk=pk)
        response = Response(export.document)
        response["Content-Disposition"] = (
            f'attachment; filename="bekymringsmelding-{export.report.pk}-{export.variant}.v2.json"'
        )
        if export.withheld:
            # Said plainly: some children's details are left out by the sharing policy.
            response["X-Laget-Withheld"] = str(len(export.withheld))
        return response


class ConcernReportKsFiksOriginalApi(generics.GenericAPIView[ConcernReport]):
    """The KS Fiks document a report was imported from, exactly as received (bytes, JSON)."""

    pagination_class = None

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The document byte for byte as it was received."
            ),
            404: OpenApiResponse(description="No such report for you, or it did not come through KS Fiks."),
        }
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        original = concern_selectors.ksfiks_original_get(user=request.user, pk=pk, channel="api")
        response = HttpResponse(bytes(original.content), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bekymringsmelding-{pk}-original.json"'
        return response


# --- The report's way: what a person does on the report's page, for another system -----------


def _summary(report: ConcernReport) -> dict[str, Any]:
    """The report as the list shows it (its state, clocks and the steps its state opens now)."""
    fresh = (
        ConcernReport.objects.select_related("unit", "caseworker")
        .annotate(children_count=Count("children"))
        .get(pk=report.pk)
    )
    return dict(ConcernReportSerializer(fresh).data)


def _detail(user: Any, report: ConcernReport) -> dict[str, Any]:
    """The report as its page shows it to `user`: the children through the sharing policy (what
    was shown logged as a disclosure on the API channel) and the read audited as
    concern_report.viewed, both by concern_selectors.concern_report_output, as the page."""
    children = concern_selectors.concern_report_output(
        user=user, report=report, channel="api", action="concern_report.viewed"
    )
    report.children_count = len(children)  # type: ignore[attr-defined]
    may_act = access.can(user, report, "act")
    school = report.reporter_unit
    school_contact = (
        concern_services.school_contact_for(school=school, barnevern_unit=report.unit)
        if school is not None and school.kind == Unit.Kind.SCHOOL
        else None
    )
    view = {
        "user": user,
        "report": report,
        "school_contact_name": school_contact.full_name if school_contact is not None else None,
        "children": children,
        "withheld": any(not row.shown for row in children),
        "guardians": list(report.guardians.all()),
        "guardian_letter_refusal": concern_selectors.guardian_letter_refusal(report=report) or None,
        "events": list(report.events.select_related("actor")),
        "later_reports": list(access.visible(user, report.later_reports.all()).values_list("pk", flat=True)),
        "may_act": may_act,
        "may_assign": access.can(user, report, "assign"),
        "feedback_open": concern_services.feedback_open(report) if may_act else [],
        "children_to_link": (
            concern_selectors.concern_report_children_to_link(user=user, report=report) if may_act else []
        ),
        "ksfiks_original": KsFiksDocument.objects.filter(report=report).exists(),
        "attachments": list(report.attachments.all()),
    }
    return view


class ConcernReportDetailApi(generics.GenericAPIView[ConcernReport]):
    """One report as its page shows it to the caller (404 for anyone who may not see it), with
    the steps they may take now; audited, and what it shows of registered youths logged."""

    serializer_class = ConcernReportDetailSerializer
    pagination_class = None

    @extend_schema(responses=ConcernReportDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        report = concern_selectors.concern_report_get(user=request.user, pk=pk)
        return Response(ConcernReportDetailSerializer(_detail(request.user, report)).data)


class ConcernReportSentListApi(generics.GenericAPIView[ConcernReport]):
    """The reports the caller sent (and, for a school's school contact, the school's), with the
    receipt and the feedback and nothing more of the case, as /meldinger/sendt/."""

    serializer_class = ConcernReceiptSerializer
    pagination_class = None  # a reporter sends tens of reports, not thousands

    @extend_schema(responses=ConcernReceiptSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = concern_selectors.reports_for_reporter(user=request.user)
        return Response(ConcernReceiptSerializer(rows, many=True).data)


class ConcernReportReceiptApi(generics.GenericAPIView[ConcernReport]):
    """The receipt of one report the caller sent (404 for anyone else, whatever else they may
    see): audited as concern_report.receipt_viewed, as /meldinger/sendt/<id>/."""

    serializer_class = ConcernReceiptSerializer
    pagination_class = None

    @extend_schema(responses=ConcernReceiptSerializer)
    def get(self, request: Request, pk: int) -> Response:
        row = concern_selectors.report_for_reporter(user=request.user, pk=pk)
        return Response(ConcernReceiptSerializer(row).data)


def _address(data: Any) -> dict[str, str]:
    return {key: value for key, value in (data or {}).items() if value}


def _send_input(request: Request) -> tuple[dict[str, Any], list[Any]]:
    """The report's fields, checked by ConcernReportSendSerializer, and its attachments: from a
    JSON body (none), or from a multipart body's `report` part (the same JSON as a string) and its
    `attachments` parts, which only the service checks (type by content, size, how many)."""
    if not (request.content_type or "").startswith("multipart/form-data"):
        return validated(ConcernReportSendSerializer, request), []
    raw = request.data.get("report")
    if not isinstance(raw, str) or not raw.strip():
        raise exceptions.ValidationError({"report": [_("Send the report's fields as JSON in the part 'report'.")]})
    encoded = raw.encode("utf-8")
    if len(encoded) > REPORT_PART_MAX:
        raise exceptions.ValidationError(
            {"report": [_("The part 'report' is larger than %(limit)d bytes.") % {"limit": REPORT_PART_MAX}]}
        )
    try:
        fields = SafeJSONParser().parse(io.BytesIO(encoded), parser_context={"encoding": "utf-8"})
    except exceptions.ParseError as error:
        raise exceptions.ValidationError({"report": [str(error.detail)]}) from None
    if not isinstance(fields, dict):
        raise exceptions.ValidationError({"report": [_("The part 'report' must be a JSON object.")]})
    serializer = ConcernReportSendSerializer(data=fields, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data), list(request.FILES.getlist("attachments"))


def _send(request: Request) -> Response:
    """Send a concern report (see ConcernReportListApi.post)."""
    user = request.user
    if not concern_policy.may_report(user):
        raise exceptions.PermissionDenied
    data, attachments = _send_input(request)
    role = concern_selectors.concern_report_reporter_role(user=user)
    school = role is not None and role.unit.kind == Unit.Kind.SCHOOL
    channel = data.get("channel") or (ConcernReport.Channel.SCHOOL_FORM if school else ConcernReport.Channel.LAGET)
    kind = data["kind"]
    reporter: dict[str, Any] = {
        "name": data["reporter_name"],
        "role": data["reporter_role"],
        "organisation": data["reporter_organisation"],
        "phone": data["reporter_phone"],
        "email": data["reporter_email"],
        "relation": data["reporter_relation"],
    }
    # A report taken by phone or letter is someone else's: the person registering it is not
    # the reporter (as on the page).
    if channel in concern_services.OWN_FORMS:
        reporter |= {"user": user, "unit": role.unit if role else None}
    report = concern_services.concern_report_receive(
        actor=user,
        unit=data["unit"],
        channel=channel,
        reporter_kind=data.get("reporter_kind") or ConcernReport.ReporterKind.PUBLIC,
        reporter=reporter,
        kind=kind,
        active_case=data.get("active_case") if kind == ConcernReport.Kind.ACTIVE_CASE else None,
        concern=data["concern"],
        history=data["history"],
        other_views=data["other_views"],
        interpreter_need=data["interpreter_need"],
        other_agencies=data["other_agencies"],
        children=[child | {"address": _address(child.get("address"))} for child in data["children"]],
        guardians=data["guardians"],
        attachments=attachments,
    )
    body: dict[str, Any] = {"id": report.pk, "receipt": None, "report": None}
    if report.reporter_user_id == user.pk:  # the reporter sees the receipt, never the case
        body["receipt"] = concern_selectors.report_for_reporter(user=user, pk=report.pk)
        location = reverse("api:concern_report_receipt", args=[report.pk])
    else:
        location = reverse("api:concern_report_detail", args=[report.pk])
        if access.can(user, report):
            body["report"] = _detail(user, report)
    response = Response(ConcernReportSentSerializer(body).data, status=status.HTTP_201_CREATED)
    response["Location"] = location
    return response


class _StepApi(generics.GenericAPIView[ConcernReport]):
    """One step on the report (as one of its page's forms): the report through core.access (404
    for anyone who may not see it, 403 for one who may not take the step), the body checked, the
    service called (its ValidationError a 400 with its fields). The answer is the report as the
    list shows it."""

    serializer_class = ConcernReportSerializer
    pagination_class = None
    action_name = "act"

    def report(self, request: Request, pk: int) -> ConcernReport:
        return concern_selectors.concern_report_get(user=request.user, pk=pk, action=self.action_name)


class ConcernReportAssignApi(_StepApi):
    """Choose the report's caseworker: a leader of its unit gives it to anyone there; a
    caseworker of the unit takes an unassigned report themself."""

    action_name = "assign"

    @extend_schema(request=ConcernAssignSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernAssignSerializer, request, report=report)
        caseworker = data["caseworker"]
        report = concern_services.concern_report_assign(
            actor=access.signed_in(request.user), report=report, caseworker=caseworker
        )
        return Response(_summary(report))


class ConcernReportCloseApi(_StepApi):
    """Close the report without investigation, with the written reason (§ 2-1)."""

    @extend_schema(request=ConcernReasonSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernReasonSerializer, request)
        report = concern_services.concern_report_close_uninvestigated(
            actor=access.signed_in(request.user), report=report, reason=data["reason"]
        )
        return Response(_summary(report))


class ConcernReportInvestigationApi(_StepApi):
    """Open an investigation (§ 2-2); its 3-month clock runs from the day the report was received."""

    @extend_schema(request=ConcernInvestigationSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernInvestigationSerializer, request)
        report = concern_services.concern_report_open_investigation(
            actor=access.signed_in(request.user), report=report, started_on=data.get("started_on")
        )
        return Response(_summary(report))


class ConcernReportExtendApi(_StepApi):
    """Extend the investigation to 6 months, with the written special reason (§ 2-2)."""

    @extend_schema(request=ConcernReasonSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernReasonSerializer, request)
        report = concern_services.concern_report_extend_investigation(
            actor=access.signed_in(request.user), report=report, reason=data["reason"]
        )
        return Response(_summary(report))


class ConcernReportConcludeApi(_StepApi):
    """Conclude the investigation: closed, or measures with a new contact person (routine 3)."""

    @extend_schema(request=ConcernConcludeSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernConcludeSerializer, request)
        measures = data["outcome"] == "measures"
        report = concern_services.concern_report_conclude(
            actor=request.user,
            report=report,
            measures=measures,
            conclusion=data["conclusion"],
            contact_person=data.get("contact_person") if measures else None,
            measures_started_on=data.get("measures_started_on") if measures else None,
        )
        return Response(_summary(report))


class ConcernReportGuardiansMayBeToldApi(_StepApi):
    """Record that barnevern has acted and the guardians may now be told about a report of
    violence or sexual abuse (routine 2)."""

    @extend_schema(request=ConcernNoteSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernNoteSerializer, request)
        report = concern_services.concern_report_guardians_may_be_told(
            actor=access.signed_in(request.user), report=report, note=data["note"]
        )
        return Response(_summary(report))


class ConcernReportFeedbackApi(_StepApi):
    """Record feedback sent to the reporter (§ 2-1): the receipt; whether an investigation was
    opened (public reporters); that the investigation has ended. Each once."""

    @extend_schema(request=ConcernFeedbackSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernFeedbackSerializer, request)
        report = concern_services.concern_report_feedback_sent(
            actor=access.signed_in(request.user), report=report, which=data["which"]
        )
        return Response(_summary(report))


class ConcernReportLinkChildApi(_StepApi):
    """Link a child the report names to the registered youth with the child's identity number
    (one of the report's children_to_link): the receiving service's work when the reporter named
    a child they do not see in Laget."""

    @extend_schema(request=ConcernLinkChildSerializer, responses=ConcernReportSerializer)
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernLinkChildSerializer, request)
        to_link = concern_selectors.concern_report_children_to_link(user=request.user, report=report)
        if not to_link:
            raise DjangoValidationError(
                _("This step cannot be taken now: the report's state has changed. Look at it again.")
            )
        item = next((item for item in to_link if item.child.pk == data["child"]), None)
        if item is None:
            raise DjangoValidationError({"child": _("Choose one of the report's children to link.")})
        report = concern_services.concern_report_child_link(
            actor=access.signed_in(request.user), report=report, child=item.child, youth=item.youth
        )
        return Response(_summary(report))


class ConcernReportIntakeApi(_StepApi):
    """Refer a child of the report (a registered youth) to one-to-one follow-up, as the report's
    page does: a candidate in the intake queue of the child's district, linked to the report
    (referrals.intake.services.intake_candidate_propose, which asks the consent rule)."""

    @extend_schema(request=ConcernIntakeSerializer, responses={201: CandidateSerializer})
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernIntakeSerializer, request, report=report)
        youth = data["youth"]
        candidate = intake_services.intake_candidate_propose(
            actor=request.user,
            district=youth.district,
            youth=youth,
            reason=data["reason"],
            urgency=data["urgency"],
            unit=report.unit,
            concern_report=report,
        )
        return Response(CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class ConcernReportHandoverApi(_StepApi):
    """Propose the handover meeting once the investigation ended in measures (routine 3), as the
    report's page does (concern_services.concern_report_handover_plan): a meeting of kind handover
    about one of the report's registered children, inviting the new contact person, the previous
    caseworker and, when the sharing policy lets the school see barnevern information about the
    child, the school's reporter."""

    @extend_schema(request=ConcernHandoverSerializer, responses={201: MeetingSerializer})
    def post(self, request: Request, pk: int) -> Response:
        report = self.report(request, pk)
        data = validated(ConcernHandoverSerializer, request, report=report)
        meeting = concern_services.concern_report_handover_plan(
            actor=access.signed_in(request.user),
            report=report,
            youth=data["youth"],
            starts_at=data["starts_at"],
            minutes=int(data["minutes"]),
            place=data["place"],
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class ConcernReportDeadlinesApi(generics.GenericAPIView[ConcernReport]):
    """The caller's deadline list, as /meldinger/frister/ (concern_selectors.deadline_list and
    handover_gaps_for_leader): for barnevern staff and whoever is given a report."""

    serializer_class = ConcernDeadlinesSerializer
    pagination_class = None  # bounded: the unmet deadlines overdue or due this week

    @extend_schema(responses={200: ConcernDeadlinesSerializer, 403: OpenApiResponse(description="Not barnevern.")})
    def get(self, request: Request) -> Response:
        user = request.user
        if (
            not concern_selectors.is_barnevern_staff(user=user)
            and not access.visible(user, ConcernReport.objects.all()).exists()
        ):
            raise exceptions.PermissionDenied
        today = today_in_oslo()
        listing = concern_selectors.deadline_list(user=user, today=today)
        gaps = concern_selectors.handover_gaps_for_leader(user=user, today=today)
        data = {
            "overdue": listing.overdue,
            "this_week": listing.this_week,
            "week_starts": listing.week_starts,
            "week_ends": listing.week_ends,
            "handover_gaps": gaps,
        }
        return Response(ConcernDeadlinesSerializer(data).data)


class ConcernReportAttachmentApi(generics.GenericAPIView[ConcernReport]):
    """One file sent with a report, as a download, to whoever may see the report (404 for anyone
    else), as the report's page offers it (referrals.concerns.views.concern_attachment_response:
    concern_selectors.concern_attachment_get asks the sharing policy and audits the read as
    concern_report.attachment_viewed)."""

    pagination_class = None

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file (PDF, PNG or JPEG) under a neutral name."
            ),
            403: OpenApiResponse(description="The sharing policy withholds a child's details in the report from you."),
            404: OpenApiResponse(description="No such report for you, or no such attachment of it."),
        }
    )
    def get(self, request: Request, pk: int, attachment: int) -> FileResponse:
        return concern_attachment_response(user=request.user, pk=pk, attachment_pk=attachment, channel="api")
