"""The concern-report API: KS Fiks bekymringsmelding v2 in and out, and the list of reports.

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

from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from core import access
from org.models import Unit
from referrals.concerns import ksfiks
from referrals.concerns import policy as concern_policy
from referrals.concerns import selectors as concern_selectors
from referrals.concerns.serializers import ConcernReportSerializer, ImportedSerializer
from referrals.models import ConcernReport

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
    """The concern reports of the caller's barnevern services (?unit= one of them, ?state=), newest first."""

    serializer_class = ConcernReportSerializer

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
