"""The anonymous-discussion API (anonym drøfting), mounted under /api/v1/discussions/.

What the pages under /samtykke/drofting/ do, through the same selectors and services:
- GET  discussions/?state=open|converted|closed — the cases the caller may see (alias, age
  band, district, service; never the summary);
- POST discussions/ — bring a case to a meeting;
- GET  discussions/<id>/ — one case with its summary and notes (the read audited; once named,
  shown only when the sharing policy lets the caller's service see who the youth is, and then
  logged as a disclosure);
- POST discussions/<id>/notes/ — what the meeting said;
- POST discussions/<id>/convert/ — name the case after consent;
- POST discussions/<id>/close/ — close it with a reason.

A case only through consent.selectors.discussion_case_get (core.access: 404 for anyone who may
not see it, 403 when they may see it but not do this); every write through consent.services. A
national identity number is a 400 on its field. Details that may identify the youth are
warnings: 409 with the warnings (code "unconfirmed_warnings"), and the same request sent again
with "confirm_warnings": true and the warnings' keys in "warnings" confirms exactly those; a
warning not among them is not confirmed (the page's rule: ticking the box confirms the warnings
shown). No permission is decided here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from consent import selectors
from consent.discussions import policy as discussion_policy
from consent.discussions import services
from consent.discussions.checks import UnconfirmedWarnings, finding_from_key
from consent.discussions.serializers import (
    DiscussionCaseCreateSerializer,
    DiscussionCaseListSerializer,
    DiscussionCaseSerializer,
    DiscussionCloseSerializer,
    DiscussionConvertSerializer,
    DiscussionNoteCreateSerializer,
    DiscussionNoteSerializer,
    FindingSerializer,
    UnconfirmedWarningsSerializer,
)
from consent.models import Disclosure, DiscussionCase
from core.api import error_response, valid_serializer

_UNCONFIRMED = OpenApiResponse(
    UnconfirmedWarningsSerializer,
    description=(
        "The details may identify the youth: check the warnings, then send again with "
        '"confirm_warnings": true and their keys in "warnings".'
    ),
)


def _unconfirmed(error: UnconfirmedWarnings) -> Response:
    return error_response(
        "unconfirmed_warnings",
        " ".join(error.messages),
        status.HTTP_409_CONFLICT,
        warnings=FindingSerializer(error.findings, many=True).data,
    )


def _case(user: Any, case: DiscussionCase) -> dict[str, Any]:
    """The case as the person may see it (consent.selectors.discussion_content_shown): what is
    not shown is null."""
    shown = selectors.discussion_content_shown(user=user, case=case, channel=Disclosure.Channel.API)
    data = {
        "id": case.pk,
        "alias": case.alias,
        "age_band": case.age_band,
        "district": case.district,
        "unit": case.unit,
        "state": case.state,
        "created_at": case.created_at,
        "youth": case.youth_id,
        "converted_at": case.converted_at,
        "closed_at": case.closed_at,
        "closing_reason": case.closing_reason,
        "content_shown": shown,
        "summary": case.summary if shown else None,
        "notes": list(selectors.discussion_notes(case=case)) if shown else None,
        "confirmed_warnings": [finding_from_key(key) for key in case.confirmed_warnings] if shown else None,
        "actions": discussion_policy.actions_now(user, case),
    }
    return dict(DiscussionCaseSerializer(data).data)


class DiscussionListApi(generics.GenericAPIView[DiscussionCase]):
    """The anonymous discussions the caller may see, newest first, and bringing a case to a meeting."""

    serializer_class = DiscussionCaseListSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=DiscussionCase.State.values,
                description="open (the default), converted (named) or closed.",
            )
        ],
        responses=DiscussionCaseListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("state", DiscussionCase.State.OPEN)
        if state not in DiscussionCase.State.values:
            state = DiscussionCase.State.OPEN
        page = self.paginate_queryset(selectors.discussions_for_user(user=request.user, state=state)) or []
        return self.get_paginated_response(DiscussionCaseListSerializer(page, many=True).data)

    @extend_schema(request=DiscussionCaseCreateSerializer, responses={201: DiscussionCaseSerializer, 409: _UNCONFIRMED})
    def post(self, request: Request) -> Response:
        if not discussion_policy.may_propose(request.user):
            raise PermissionDenied
        serializer = valid_serializer(DiscussionCaseCreateSerializer, request)
        try:
            case = services.discussion_case_create(actor=request.user, **serializer.service_data())
        except UnconfirmedWarnings as error:
            return _unconfirmed(error)
        return Response(_case(request.user, case), status=status.HTTP_201_CREATED)


class DiscussionDetailApi(generics.GenericAPIView[DiscussionCase]):
    """One case, with its summary and notes when they are shown to the caller (the read audited)."""

    serializer_class = DiscussionCaseSerializer

    @extend_schema(responses=DiscussionCaseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.discussion_case_get(user=request.user, pk=pk)
        return Response(_case(request.user, case))


class DiscussionNoteCreateApi(generics.GenericAPIView[DiscussionCase]):
    """Write down what the meeting said about an open case (checked as the summary was)."""

    serializer_class = DiscussionNoteCreateSerializer

    @extend_schema(request=DiscussionNoteCreateSerializer, responses={201: DiscussionNoteSerializer, 409: _UNCONFIRMED})
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.discussion_case_get(user=request.user, pk=pk, action="add_note")
        serializer = valid_serializer(DiscussionNoteCreateSerializer, request)
        try:
            note = services.discussion_note_add(actor=request.user, case=case, **serializer.service_data())
        except UnconfirmedWarnings as error:
            return _unconfirmed(error)
        return Response(DiscussionNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class DiscussionConvertApi(generics.GenericAPIView[DiscussionCase]):
    """Name the case as a youth the caller works with, who has a consent in force; its notes are kept."""

    serializer_class = DiscussionConvertSerializer

    @extend_schema(request=DiscussionConvertSerializer, responses=DiscussionCaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.discussion_case_get(user=request.user, pk=pk, action="convert")
        serializer = valid_serializer(DiscussionConvertSerializer, request)
        case = services.discussion_case_convert(actor=request.user, case=case, youth=serializer.validated_data["youth"])
        return Response(_case(request.user, case))


class DiscussionCloseApi(generics.GenericAPIView[DiscussionCase]):
    """Close a case that will not be named, saying why; it and its notes are kept, read-only."""

    serializer_class = DiscussionCloseSerializer

    @extend_schema(request=DiscussionCloseSerializer, responses=DiscussionCaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.discussion_case_get(user=request.user, pk=pk, action="close")
        serializer = valid_serializer(DiscussionCloseSerializer, request)
        case = services.discussion_case_close(actor=request.user, case=case, reason=serializer.validated_data["reason"])
        return Response(_case(request.user, case))
