"""The cases API: youths, their timeline, contacts, offences and follow-up.

The same selectors and services as the HTML views (STYLE.md): a youth or contact is fetched
through cases.selectors (404 for anyone who may not see it), every write goes through a service
(403 when the person may not, 400 in the project's error format when a rule is broken). No
permission is decided here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from consent.policy import Viewer
from consent.selectors import contact_versions_seen
from core.api import error_response, validated
from core.models import User

from . import selectors, services
from .models import Contact, FollowUp, Offence, Youth
from .policy import registering_units
from .serializers import (
    AssignmentSerializer,
    AssignSerializer,
    CloseSerializer,
    ContactCreateSerializer,
    ContactDeleteSerializer,
    ContactSerializer,
    ContactVersionSerializer,
    ContactWriteSerializer,
    DuplicateConflictSerializer,
    FollowUpSerializer,
    OffenceSerializer,
    OffenceWriteSerializer,
    PossibleDuplicateSerializer,
    TimelineItemSerializer,
    TimelineSerializer,
    YouthDetailSerializer,
    YouthListSerializer,
    YouthRegisterSerializer,
    YouthWriteSerializer,
)

QUERY_MAX = 100


# What a youth in a list shows (YouthListSerializer): the frame, a few details and two figures.
LIST_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "display_name",
    "district",
    "birth_date",
    "gender",
    "school",
    "last_contact_at",
    "offences_this_year",
)


def _withheld(viewer: Viewer) -> list[dict[str, Any]]:
    return [{"category": category, "count": count} for category, count in sorted(viewer.withheld.items())]


def _detail(view: selectors.YouthView) -> dict[str, Any]:
    """A youth as the person may see it: the serializer is given the record consent.policy
    masked (selectors.youth_view, which logged the disclosure), never the youth itself, so a
    withheld field is null and `withheld` names its category."""
    data = dict(YouthDetailSerializer(view.record, context={"view": view}).data)
    data["withheld"] = _withheld(view.viewer)
    return data


def _open_followup(youth: Youth) -> FollowUp:
    followup = selectors.followup_current(youth=youth)
    if followup is None:
        raise DjangoValidationError(_("%(youth)s has no open follow-up.") % {"youth": youth})
    return followup


class YouthListApi(generics.GenericAPIView[Youth]):
    """The youths the caller may see (search with ?q=), and registering a youth."""

    serializer_class = YouthListSerializer

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Name, national identity number or school.")],
        responses=YouthListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        # NUL cannot be stored or searched in PostgreSQL text; nobody types it.
        query = request.query_params.get("q", "").replace("\x00", "")[:QUERY_MAX]
        page = self.paginate_queryset(selectors.youths_for_user(user=request.user, query=query)) or []
        rows = []
        for record, viewer in selectors.youth_records_for_list(user=request.user, youths=page, names=LIST_FIELDS):
            data = dict(YouthListSerializer(record).data)
            data["withheld"] = _withheld(viewer)
            rows.append(data)
        return self.get_paginated_response(rows)

    @extend_schema(
        request=YouthRegisterSerializer,
        responses={
            201: YouthDetailSerializer,
            409: OpenApiResponse(
                DuplicateConflictSerializer,
                description=(
                    "A youth with the same name and date of birth is registered: check the candidates, "
                    'then send again with "confirm_duplicate": true.'
                ),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        if not registering_units(request.user).exists():
            raise PermissionDenied
        data = validated(YouthRegisterSerializer, request)
        unit = registering_units(request.user).filter(pk=data.pop("unit")).first()
        if unit is None:
            raise DjangoValidationError({"unit": _("Choose a follow-up team you work in.")})
        confirm = data.pop("confirm_duplicate", False)
        data.setdefault("district", unit.district)
        try:
            youth = services.youth_register(actor=request.user, unit=unit, data=data, confirm_duplicate=confirm)
        except services.DuplicateSuspected as suspected:
            return error_response(
                "possible_duplicate",
                _("A youth who may be the same is already registered. Check, and confirm to register anyway."),
                status.HTTP_409_CONFLICT,
                candidates=PossibleDuplicateSerializer(suspected.candidates, many=True).data,
            )
        view = selectors.youth_view(user=request.user, youth=youth, channel="api", timeline=False)
        return Response(_detail(view), status=status.HTTP_201_CREATED)


class YouthDetailApi(generics.GenericAPIView[Youth]):
    """One youth; address and national identity number masked without the right to see them."""

    serializer_class = YouthDetailSerializer

    @extend_schema(responses=YouthDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(selectors.youth_view_get(user=request.user, pk=pk, channel="api", timeline=False)))

    @extend_schema(request=YouthWriteSerializer(partial=True), responses=YouthDetailSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk)
        data = validated(YouthWriteSerializer, request, partial=True)
        youth = services.youth_update(actor=request.user, youth=youth, data=data)
        return Response(_detail(selectors.youth_view(user=request.user, youth=youth, channel="api", timeline=False)))


class YouthTimelineApi(generics.GenericAPIView[Any]):
    """Contacts, offences, outcome measures, criminal-justice steps and follow-up changes, newest first."""

    serializer_class = TimelineItemSerializer
    pagination_class = None  # at most 200 items (selectors.youth_timeline)

    @extend_schema(responses=TimelineSerializer)
    def get(self, request: Request, pk: int) -> Response:
        view = selectors.youth_view_get(user=request.user, pk=pk, channel="api", purpose="timeline_viewed")
        return Response(
            {"items": TimelineItemSerializer(view.timeline, many=True).data, "withheld": _withheld(view.viewer)}
        )


class YouthContactListApi(generics.GenericAPIView[Contact]):
    """A youth's contacts (newest first), and logging a contact with the youth."""

    serializer_class = ContactSerializer

    @extend_schema(responses=ContactSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk, purpose="contacts_viewed")
        page = self.paginate_queryset(selectors.contacts_for_youth(youth=youth)) or []
        shown, viewer = selectors.contacts_shown(user=request.user, youth=youth, contacts=page, channel="api")
        response = self.get_paginated_response(ContactSerializer(shown, many=True).data)
        response.data["withheld"] = _withheld(viewer)
        return response

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer})
    def post(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk)
        data = validated(ContactCreateSerializer, request)
        draft_key = data.pop("draft_key", None)
        (contact,) = services.contact_log(actor=request.user, youths=[youth], fields=data, draft_key=draft_key)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailApi(generics.GenericAPIView[Contact]):
    """One contact. A change keeps the version before it; only a leader deletes, with a reason."""

    serializer_class = ContactSerializer

    @extend_schema(responses=ContactSerializer)
    def get(self, request: Request, pk: int) -> Response:
        contact = selectors.contact_get(user=request.user, pk=pk, channel="api")
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=ContactWriteSerializer(partial=True), responses=ContactSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        contact = selectors.contact_get(user=request.user, pk=pk, channel="api")
        serializer = ContactWriteSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(actor=request.user, contact=contact, fields=serializer.validated_data)
        return Response(ContactSerializer(contact).data)

    # OpenAPI has no request body for DELETE (and some clients send none), so the reason is
    # documented as a query parameter; a JSON body {"reason": …} is read first.
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reason", OpenApiTypes.STR, description='Why the contact is deleted; or a JSON body {"reason": …}.'
            )
        ],
        responses={204: OpenApiResponse(description="Deleted (hidden, kept with the reason).")},
    )
    def delete(self, request: Request, pk: int) -> Response:
        contact = selectors.contact_get(user=request.user, pk=pk, channel="api")
        body = request.data
        if not isinstance(body, Mapping):
            raise DjangoValidationError(_("Send a JSON object with the reason."))
        reason = body.get("reason") or request.query_params.get("reason", "")
        serializer = ContactDeleteSerializer(data={"reason": reason})
        serializer.is_valid(raise_exception=True)
        services.contact_delete(actor=request.user, contact=contact, reason=serializer.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactVersionListApi(generics.GenericAPIView[Any]):
    """What a contact looked like before each change: who changed it, when, and which fields.
    A version whose own categories (its life areas then) the consent policy withholds has
    `before` null and names the categories in `withheld`."""

    serializer_class = ContactVersionSerializer
    pagination_class = None  # a contact has few versions

    @extend_schema(responses=ContactVersionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        contact = selectors.contact_get(user=request.user, pk=pk, channel="api")
        versions = contact_versions_seen(user=request.user, contact=contact, channel="api")
        return Response(ContactVersionSerializer(versions, many=True).data)


class YouthOffenceListApi(generics.GenericAPIView[Offence]):
    """The youth's registered offences (police information), and registering one."""

    serializer_class = OffenceSerializer

    @extend_schema(responses=OffenceSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk, purpose="offences_viewed")
        page = self.paginate_queryset(selectors.offences_for_youth(youth=youth)) or []
        shown, viewer = selectors.offences_shown(user=request.user, youth=youth, offences=page, channel="api")
        response = self.get_paginated_response(OffenceSerializer(shown, many=True).data)
        response.data["withheld"] = _withheld(viewer)
        return response

    @extend_schema(request=OffenceWriteSerializer, responses={201: OffenceSerializer})
    def post(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk)
        data = validated(OffenceWriteSerializer, request)
        offence = services.offence_register(actor=request.user, youth=youth, data=data)
        return Response(OffenceSerializer(offence).data, status=status.HTTP_201_CREATED)


class FollowUpAssignApi(generics.GenericAPIView[Any]):
    """Give the open follow-up a follower, family follower or coordinator (at most 5 youths per
    follower; a leader may exceed it with a written reason)."""

    serializer_class = AssignmentSerializer

    @extend_schema(request=AssignSerializer, responses=AssignmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk, action="manage_followup")
        data = validated(AssignSerializer, request)
        followup = _open_followup(youth)
        person = User.objects.filter(pk=data["user"], is_active=True).first()
        if person is None:
            raise DjangoValidationError({"user": _("Choose a person with a role in the follow-up team.")})
        assignment = services.followup_assign(
            actor=request.user,
            followup=followup,
            user=person,
            role=data["role"],
            override_reason=data.get("override_reason", ""),
        )
        return Response(AssignmentSerializer(assignment).data)


class FollowUpCloseApi(generics.GenericAPIView[FollowUp]):
    """Close the open follow-up with a reason and a closing summary."""

    serializer_class = FollowUpSerializer

    @extend_schema(request=CloseSerializer, responses=FollowUpSerializer)
    def post(self, request: Request, pk: int) -> Response:
        youth = selectors.youth_get(user=request.user, pk=pk, action="manage_followup")
        data = validated(CloseSerializer, request)
        followup = services.followup_close(
            actor=request.user, followup=_open_followup(youth), reason=data["reason"], summary=data["summary"]
        )
        followup.current_assignments = []  # type: ignore[attr-defined]  # closing ends every assignment
        return Response(FollowUpSerializer(followup).data)
