"""The consent API: a youth's consents, one consent with its versions, recording a consent (or a
refusal), revising it, withdrawing it, and the download of a signed form; sharing without consent
on a legal basis (the catalogue, a youth's uses, recording a use) and a leader's review of the
uses, as consent.legal_basis_views.

The same selectors, services and policy as the consent pages (consent.views): the youth through
cases.selectors.youth_get and a consent through consent.selectors.consent_get (404 for anyone who
may not see the youth, 403 for a consent's history to anyone who does not record consents for
the youth; each read audited as youth.consents_viewed), every write through consent.services
(403 when the person may not, 400 in the project's error format when a rule is broken). A written
consent's signed form is sent as multipart/form-data, as the page uploads it; JSON is accepted for
everything else. A use of a legal basis goes through consent.services.legal_basis_use (the
reason, the basis's categories and services, the time limit: 400), offered to those
consent.services.may_use_legal_basis names (403 for others); the review to leaders
(may_review_legal_basis_uses), through consent.selectors.legal_basis_review_page (audited).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Guardian, Youth
from cases.selectors import youth_get
from core.api import validated
from core.dates import today_in_oslo
from core.parsers import SafeJSONParser
from org.models import Unit

from . import selectors, services
from .models import Consent, LegalBasis, LegalBasisUse
from .policy import may_record_consent
from .serializers import (
    ConsentDetailSerializer,
    ConsentRecordSerializer,
    ConsentReviseSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    LegalBasisSerializer,
    LegalBasisUseCreateSerializer,
    LegalBasisUseSerializer,
    ReviewSerializer,
    UseRowSerializer,
)
from .states import consent_state
from .views import consent_document_response  # served as the page serves it

PURPOSE = "consents_viewed"  # audited as youth.consents_viewed, as the consent pages


def _with_state(consent: Consent, youth: Youth) -> Consent:
    """The consent with its current version and its state today (consent.states), from the
    prefetched versions."""
    current = max(consent.versions.all(), key=lambda v: v.number)
    consent.current = current  # type: ignore[attr-defined]
    consent.state = consent_state(current, youth, today_in_oslo())  # type: ignore[attr-defined]
    return consent


def _detail(consent: Consent) -> dict[str, Any]:
    youth = consent.youth
    # Fresh from the database with every version (a write has just added one).
    consent = selectors.consents_for_youth(youth=youth).get(pk=consent.pk)
    return dict(ConsentDetailSerializer(_with_state(consent, youth), context={"may_record": True}).data)


def _service_fields(data: dict[str, Any], youth: Youth) -> dict[str, Any]:
    """The sent fields as consent.services takes them: active receiving services and the youth's
    guardians by id (what the consent form offers as choices); the rules are the service's."""
    unit_ids = list(dict.fromkeys(data.pop("units")))
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=unit_ids, is_active=True)}
    unknown = [pk for pk in unit_ids if pk not in units]
    if unknown:
        raise DjangoValidationError(
            {"units": _("Unknown or closed service: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}}
        )
    answers = data.pop("guardian_answers", [])
    wanted = [row["guardian"] for row in answers]
    # Only the youth's own guardians are looked up: an id is no way to learn a stranger's name.
    guardians = {g.pk: g for g in Guardian.objects.filter(pk__in=wanted, guardianships__youth=youth)}
    strangers = [pk for pk in wanted if pk not in guardians]
    if strangers:
        raise DjangoValidationError({"guardian_answers": _("Choose one of the youth's guardians.")})
    if len(set(wanted)) != len(wanted):
        raise DjangoValidationError({"guardian_answers": _("Give each guardian's answer once.")})
    return data | {
        "units": [units[pk] for pk in unit_ids],
        "guardian_answers": {guardians[row["guardian"]]: row["answer"] for row in answers},
        "youth_answer": data.get("youth_answer") or None,
        "youth_view": data.get("youth_view", ""),
        "document": data.get("document"),
        "noted_at": data.get("noted_at"),
    }


class YouthConsentListApi(generics.GenericAPIView[Consent]):
    """A youth's consents (and refusals), newest first, each with its state and what its current
    version covers; and recording a consent or a refusal."""

    serializer_class = ConsentSerializer
    pagination_class = None  # a youth has few consents (the page lists them all)
    parser_classes = [SafeJSONParser, MultiPartParser]

    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        youth = youth_get(user=request.user, pk=pk, purpose=PURPOSE)
        consents = [_with_state(c, youth) for c in selectors.consents_for_youth(youth=youth)]
        may_record = may_record_consent(request.user, youth)
        return Response(ConsentSerializer(consents, many=True, context={"may_record": may_record}).data)

    @extend_schema(
        request={"application/json": ConsentRecordSerializer, "multipart/form-data": ConsentRecordSerializer},
        responses={201: ConsentDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        youth = youth_get(user=request.user, pk=pk, purpose=PURPOSE)
        if not may_record_consent(request.user, youth):
            raise PermissionDenied
        data = _service_fields(validated(ConsentRecordSerializer, request), youth)
        version = services.consent_record(actor=request.user, youth=youth, **data)
        return Response(_detail(version.consent), status=status.HTTP_201_CREATED)


class ConsentDetailApi(generics.GenericAPIView[Consent]):
    """One consent with its state and every version, newest first (for those who record
    consents for the youth)."""

    serializer_class = ConsentDetailSerializer

    @extend_schema(responses=ConsentDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        consent = selectors.consent_get(user=request.user, pk=pk, purpose=PURPOSE)
        data = ConsentDetailSerializer(_with_state(consent, consent.youth), context={"may_record": True}).data
        return Response(data)


class ConsentReviseApi(generics.GenericAPIView[Consent]):
    """Change what a consent covers: a new version, asked and answered again under the age rules
    (a consent keeps its purpose; a withdrawn consent is not revised)."""

    serializer_class = ConsentDetailSerializer
    parser_classes = [SafeJSONParser, MultiPartParser]

    @extend_schema(
        request={"application/json": ConsentReviseSerializer, "multipart/form-data": ConsentReviseSerializer},
        responses=ConsentDetailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        consent = selectors.consent_get(user=request.user, pk=pk, purpose=PURPOSE)
        data = _service_fields(validated(ConsentReviseSerializer, request), consent.youth)
        services.consent_revise(actor=request.user, consent=consent, **data)
        return Response(_detail(consent))


class ConsentWithdrawApi(generics.GenericAPIView[Consent]):
    """Withdraw a consent at once: a new version saying who withdrew it, when and why."""

    serializer_class = ConsentDetailSerializer

    @extend_schema(request=ConsentWithdrawSerializer, responses=ConsentDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        consent = selectors.consent_get(user=request.user, pk=pk, purpose=PURPOSE)
        data = validated(ConsentWithdrawSerializer, request)
        guardian = None
        if data.get("guardian") is not None:
            guardian = Guardian.objects.filter(pk=data["guardian"], guardianships__youth=consent.youth).first()
            if guardian is None:
                raise DjangoValidationError(
                    {"guardian": _("Choose the guardian with parental responsibility who withdrew it.")}
                )
        services.consent_withdraw(
            actor=request.user, consent=consent, party=data["party"], guardian=guardian, reason=data["reason"]
        )
        return Response(_detail(consent))


class ConsentDocumentApi(generics.GenericAPIView[Consent]):
    """The signed form of one version, as a download, to those who record consents for the youth
    (the download audited, as on the page)."""

    serializer_class = ConsentDetailSerializer

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The signed form.")
        }
    )
    def get(self, request: Request, pk: int, number: int) -> FileResponse:
        return consent_document_response(user=request.user, pk=pk, number=number)


# --- Legal bases ----------------------------------------------------------------------------------


class LegalBasisListApi(generics.GenericAPIView[LegalBasis]):
    """The legal bases in use (the catalogue the page offers): what each may open, and to which
    kinds of service."""

    serializer_class = LegalBasisSerializer
    pagination_class = None  # a short catalogue

    @extend_schema(responses=LegalBasisSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(LegalBasisSerializer(selectors.legal_bases_active(), many=True).data)


def _legal_basis_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The sent ids as consent.services.legal_basis_use takes them: an active legal basis and an
    active receiving service (the choices the page's form offers); the rules are the service's."""
    # Django's own words for a choice not offered (as the page's form says it).
    not_offered = _("Select a valid choice. That choice is not one of the available choices.")
    basis = selectors.legal_bases_active().filter(pk=data.pop("basis")).first()
    unit = Unit.objects.filter(pk=data.pop("unit"), is_active=True).first()
    wrong = {name: not_offered for name, found in (("basis", basis), ("unit", unit)) if found is None}
    if wrong:
        raise DjangoValidationError(wrong)
    return data | {"basis": basis, "unit": unit}


class YouthLegalBasisUseListApi(generics.GenericAPIView[LegalBasisUse]):
    """A youth's uses of legal bases, in force and past, newest first (the reason only for those
    who record the youth's consents and for the receiving service); and using a legal basis to
    share without consent."""

    serializer_class = LegalBasisUseSerializer
    pagination_class = None  # a youth has few uses (the consent page lists them all)

    @extend_schema(responses=UseRowSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        youth = youth_get(user=request.user, pk=pk, purpose=PURPOSE)
        rows = selectors.legal_basis_uses_shown(user=request.user, youth=youth)
        return Response(UseRowSerializer(rows, many=True).data)

    @extend_schema(request=LegalBasisUseCreateSerializer, responses={201: LegalBasisUseSerializer})
    def post(self, request: Request, pk: int) -> Response:
        youth = youth_get(user=request.user, pk=pk, purpose=PURPOSE)
        if not services.may_use_legal_basis(request.user, youth):
            raise PermissionDenied
        data = _legal_basis_fields(validated(LegalBasisUseCreateSerializer, request))
        use = services.legal_basis_use(actor=request.user, youth=youth, **data)
        return Response(LegalBasisUseSerializer(use).data, status=status.HTTP_201_CREATED)


class LegalBasisReviewApi(generics.GenericAPIView[LegalBasisUse]):
    """A leader's review of the uses of legal bases by their units' staff and to their units,
    newest first, a page at a time (the read audited as consent.legal_basis_reviewed)."""

    serializer_class = ReviewSerializer
    pagination_class = None  # paged by the selector, as the review page

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="The page (1 is the newest uses).")],
        responses=ReviewSerializer,
    )
    def get(self, request: Request) -> Response:
        if not services.may_review_legal_basis_uses(request.user):
            raise PermissionDenied
        review = selectors.legal_basis_review_page(user=request.user, page_number=request.query_params.get("page"))
        return Response(ReviewSerializer(review, context={"visible_youth_ids": review.visible_youth_ids}).data)
