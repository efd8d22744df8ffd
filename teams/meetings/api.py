"""The meetings API (/api/v1/meetings/…, /api/v1/action-items/…): what a person does on the
meeting pages (teams.meetings.views), for another system.

- GET  meetings/                        the caller's meetings (?when=upcoming|past, ?youth=), paged by key
- POST meetings/                        plan a meeting (and its series)
- GET  meetings/<id>/                   the meeting as the caller may see it (audited, disclosures logged)
- PATCH meetings/<id>/                  change time, place, title or agenda
- POST meetings/<id>/cancel/            cancel it
- PUT  meetings/<id>/presence/          who took part
- POST meetings/<id>/participants/      invite someone from outside the services
- POST meetings/<id>/ratings/           record how useful the youth or a guardian found it
- PUT  meetings/<id>/minutes/           save the minutes (a new revision; 409 when someone saved since)
- POST meetings/<id>/minutes/approve/   approve them (409 when someone saved since)
- GET  meetings/<id>/minutes/versions/  the history; …/versions/<n>/ one revision's text
- POST meetings/<id>/action-items/      agree on an action item
- POST action-items/<id>/status/        move an action item on (done with a note)

The same selectors and services as the pages (STYLE.md): a meeting is fetched through
teams.meetings.selectors.meeting_get (404 for anyone who may not see it, 403 for one who sees it
but may not do this), what is shown goes through meeting_view (the sharing policy heading by
heading, the disclosure log and the audit, as the page), and every write is a service, whose
ValidationError is the project's 400 and whose PermissionDenied is 403. No permission or rule
is decided here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from core import access
from core.api import error_response, validated
from org.models import District, Unit
from teams.models import ActionItem, Meeting, MeetingParticipant, MinutesRevision

from . import selectors, services
from .serializers import (
    MAX_ID,
    ActionItemCreateSerializer,
    ActionItemSerializer,
    ActionItemStatusSerializer,
    ApproveSerializer,
    CancelSerializer,
    ExternalParticipantSerializer,
    MeetingChangeSerializer,
    MeetingDetailSerializer,
    MeetingPlanSerializer,
    MeetingSerializer,
    MinutesConflictSerializer,
    MinutesSaveSerializer,
    MinutesStateSerializer,
    ParticipantSerializer,
    PresenceSerializer,
    RatingSerializer,
    RevisionSerializer,
    RevisionTextSerializer,
)


def _detail(user: Any, meeting: Meeting) -> dict[str, Any]:
    """The meeting as the caller may see it: meeting_view applies the sharing policy, logs the
    disclosure (channel "api") and audits the read ("meeting.viewed"), as the meeting page."""
    view = selectors.meeting_view(user=user, meeting=meeting, channel="api")
    view.minutes.meeting = meeting
    return dict(
        MeetingDetailSerializer(
            {
                "meeting": meeting,
                "may_edit": access.can(user, meeting, "edit"),
                "may_approve": access.can(user, meeting, "approve"),
                "participants": view.participants,
                "view": view,
                "action_items": view.action_items,
                "carried": view.carried,
            }
        ).data
    )


def _minutes_state(meeting: Meeting) -> dict[str, Any]:
    minutes, _revision = selectors.minutes_current(meeting=meeting)
    minutes.meeting = meeting
    return dict(MinutesStateSerializer(minutes).data)


def _conflict(user: Any, meeting: Meeting, conflict: services.MinutesConflict, message: str) -> Response:
    """409 with the revision now current: only the parts of it the caller sees (minutes_parts)."""
    theirs = conflict.theirs
    body = None
    if theirs is not None:
        parts = selectors.minutes_parts(user=user, meeting=meeting)
        body = {
            "revision": theirs.number,
            "saved_by_name": theirs.saved_by.full_name,
            "sections": {h.key: theirs.sections.get(h.key, "") for h in parts.headings},
            "decisions": theirs.decisions if parts.decisions else None,
        }
    return error_response("conflict", message, status.HTTP_409_CONFLICT, theirs=body)


class MeetingPagination(CursorPagination):
    """Paged by key (starts_at, id), soonest first for upcoming meetings, latest first for past."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        return ("-starts_at", "-id") if _past(request) else ("starts_at", "id")


def _past(request: Any) -> bool:
    return bool(request.query_params.get("when") == "past")


# --- Meetings --------------------------------------------------------------------------------


class MeetingListApi(generics.GenericAPIView[Meeting]):
    """The caller's meetings (invited, organised by their services, or about youths they follow),
    and planning a meeting."""

    serializer_class = MeetingSerializer
    pagination_class = MeetingPagination

    def get_queryset(self) -> QuerySet[Meeting]:
        qs = selectors.meetings_listed(user=self.request.user, upcoming=not _past(self.request))
        youth = self.request.query_params.get("youth", "").strip()
        if youth:
            qs = qs.filter(youth_id=int(youth)) if youth.isdigit() and int(youth) <= MAX_ID else qs.none()
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "when", OpenApiTypes.STR, enum=["upcoming", "past"], description="Upcoming (default) or past."
            ),
            OpenApiParameter("youth", OpenApiTypes.INT, description="Only the meetings about this youth."),
        ],
        responses=MeetingSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        selectors.meetings_mark_invited(user=request.user, meetings=page)
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(request=MeetingPlanSerializer, responses={201: MeetingSerializer})
    def post(self, request: Request) -> Response:
        data = validated(MeetingPlanSerializer, request)
        # The ids are read from the lists the page offers (the youths the caller sees, the
        # services where they work, their colleagues): anything else is not a choice.
        choices = selectors.meeting_plan_choices(user=request.user)
        errors: dict[str, str] = {}
        youth = None
        if data.get("youth") is not None:
            youth = choices["youths"].filter(pk=data["youth"]).first()
            if youth is None:
                errors["youth"] = _("Choose a youth you follow or work with.")
        unit = choices["units"].filter(pk=data["unit"]).first()
        if unit is None:
            errors["unit"] = _("Choose a service you work in.")
        district = None
        if data.get("district") is not None:
            district = District.objects.filter(pk=data["district"]).first()
            if district is None:
                errors["district"] = _("Choose a district.")
        invite = list(choices["people"].filter(pk__in=data["invite"]))
        if len(invite) != len(set(data["invite"])):
            errors["invite"] = _("Invite colleagues in your services' districts.")
        if errors:
            raise DjangoValidationError(errors)
        assert isinstance(unit, Unit)
        meeting = services.meeting_plan(
            actor=request.user,
            kind=data["kind"],
            unit=unit,
            youth=youth,
            district=district,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            video_link=data["video_link"],
            title=data["title"],
            agenda=data["agenda"],
            repeat_weeks=data.get("repeat_weeks"),
            until=data.get("until"),
            invite=invite,
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailApi(generics.GenericAPIView[Meeting]):
    """One meeting as the caller may see it, and changing its time, place, title or agenda."""

    serializer_class = MeetingDetailSerializer

    @extend_schema(responses=MeetingDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        return Response(_detail(request.user, meeting))

    @extend_schema(
        request=MeetingChangeSerializer,
        responses=MeetingSerializer,
        description="Only the fields sent are changed. A new time or place updates the calendar invitations.",
    )
    def patch(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="approve")
        data = validated(MeetingChangeSerializer, request)
        meeting = services.meeting_change(actor=request.user, meeting=meeting, **data)
        return Response(MeetingSerializer(meeting).data)


class MeetingCancelApi(generics.GenericAPIView[Meeting]):
    """Cancel a planned meeting (it is kept, marked cancelled)."""

    serializer_class = MeetingSerializer

    @extend_schema(request=CancelSerializer, responses=MeetingSerializer)
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="approve")
        data = validated(CancelSerializer, request)
        meeting = services.meeting_cancel(actor=request.user, meeting=meeting, reason=data["reason"])
        return Response(MeetingSerializer(meeting).data)


# --- Participants ------------------------------------------------------------------------------


class MeetingPresenceApi(generics.GenericAPIView[MeetingParticipant]):
    """Who took part: the participants listed, and not the others."""

    serializer_class = ParticipantSerializer
    pagination_class = None

    @extend_schema(request=PresenceSerializer, responses=ParticipantSerializer(many=True))
    def put(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="edit")
        data = validated(PresenceSerializer, request)
        services.participants_set_present(actor=request.user, meeting=meeting, present=data["present"])
        return Response(ParticipantSerializer(selectors.participants_of(meeting=meeting), many=True).data)


class MeetingParticipantListApi(generics.GenericAPIView[MeetingParticipant]):
    """Invite someone from outside the services (as on the meeting page)."""

    serializer_class = ParticipantSerializer

    @extend_schema(request=ExternalParticipantSerializer, responses={201: ParticipantSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="edit")
        data = validated(ExternalParticipantSerializer, request)
        participant = services.participant_add(
            actor=request.user, meeting=meeting, kind=MeetingParticipant.Kind.EXTERNAL, **data
        )
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)


class MeetingRatingApi(generics.GenericAPIView[MeetingParticipant]):
    """How useful the youth or a guardian who took part found the meeting, as they told it."""

    serializer_class = ParticipantSerializer

    @extend_schema(request=RatingSerializer, responses=ParticipantSerializer)
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="edit")
        data = validated(RatingSerializer, request)
        participant = meeting.participants.select_related("meeting").filter(pk=data["participant"]).first()
        if participant is None:
            raise DjangoValidationError({"participant": _("Choose someone invited to the meeting.")})
        participant = services.meeting_rate(
            actor=request.user, participant=participant, rating=data["rating"], comment=data["comment"]
        )
        return Response(ParticipantSerializer(participant).data)


# --- Minutes -----------------------------------------------------------------------------------


class MinutesApi(generics.GenericAPIView[Any]):
    """Save the minutes: a new revision based on the one you started from."""

    serializer_class = MinutesStateSerializer

    @extend_schema(
        request=MinutesSaveSerializer,
        responses={
            200: MinutesStateSerializer,
            409: OpenApiResponse(
                MinutesConflictSerializer,
                description="Someone saved after base_revision: nothing is saved; merge and send again.",
            ),
        },
        description=(
            "Sections are keyed by the headings of the meeting type's template. You change only "
            "the parts the sharing policy shows you: text under a withheld heading, or withheld "
            "decisions, is refused (403). Approved minutes: a change makes a new version and needs change_note."
        ),
    )
    def put(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="edit")
        data = validated(MinutesSaveSerializer, request)
        try:
            services.minutes_save(actor=request.user, meeting=meeting, **data)
        except services.MinutesConflict as conflict:
            return _conflict(request.user, meeting, conflict, " ".join(conflict.messages))
        return Response(_minutes_state(meeting))


class MinutesApproveApi(generics.GenericAPIView[Any]):
    """Approve the minutes as read (base_revision); the meeting is then marked held."""

    serializer_class = MinutesStateSerializer

    @extend_schema(
        request=ApproveSerializer,
        responses={
            200: MinutesStateSerializer,
            409: OpenApiResponse(MinutesConflictSerializer, description="Someone saved after base_revision."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="approve")
        data = validated(ApproveSerializer, request)
        try:
            services.minutes_approve(actor=request.user, meeting=meeting, base_revision=data["base_revision"])
        except services.MinutesConflict as conflict:
            message = _("Someone saved the minutes after you opened them. Read them again before approving.")
            return _conflict(request.user, meeting, conflict, message)
        return Response(_minutes_state(meeting))


class MinutesVersionListApi(generics.GenericAPIView[MinutesRevision]):
    """Every saved revision, newest first: who saved it, when and what was changed (audited as
    minutes.history_viewed, as the versions page)."""

    serializer_class = RevisionSerializer
    pagination_class = None  # minutes have tens of revisions, not thousands

    @extend_schema(responses=RevisionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        history = selectors.minutes_history(user=request.user, meeting=meeting)
        return Response(RevisionSerializer(history, many=True).data)


class MinutesVersionDetailApi(generics.GenericAPIView[MinutesRevision]):
    """One revision's text as the caller may see it (the sharing policy, audited as the page)."""

    serializer_class = RevisionTextSerializer

    @extend_schema(responses=RevisionTextSerializer)
    def get(self, request: Request, pk: int, number: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        revision = selectors.minutes_revision_get(meeting=meeting, number=number)
        if revision is None:
            raise Http404
        view = selectors.meeting_view(user=request.user, meeting=meeting, revision=revision, channel="api")
        view.minutes.meeting = meeting
        return Response(RevisionTextSerializer({"revision": revision, "view": view}).data)


# --- Action items ------------------------------------------------------------------------------


class MeetingActionItemListApi(generics.GenericAPIView[ActionItem]):
    """Agree on an action item: one owner (a staff member invited to the meeting, or a name) and
    a due date."""

    serializer_class = ActionItemSerializer

    @extend_schema(request=ActionItemCreateSerializer, responses={201: ActionItemSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, action="edit")
        data = validated(ActionItemCreateSerializer, request)
        owner = None
        if data["owner"] is not None:
            owner = selectors.meeting_people_choices(meeting=meeting).filter(pk=data["owner"]).first()
            if owner is None:
                raise DjangoValidationError({"owner": _("Choose a staff member invited to the meeting.")})
        item = services.action_item_add(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            due_on=data["due_on"],
            owner=owner,
            owner_name=data["owner_name"],
        )
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ActionItemStatusApi(generics.GenericAPIView[ActionItem]):
    """Move an action item on: open, in progress, done (with a note of what was done) or
    cancelled. Its owner may, and those who may work its meeting and see its decisions."""

    serializer_class = ActionItemSerializer

    @extend_schema(request=ActionItemStatusSerializer, responses=ActionItemSerializer)
    def post(self, request: Request, pk: int) -> Response:
        item = access.get(request.user, ActionItem.objects.select_related("meeting", "owner"), pk=pk)
        data = validated(ActionItemStatusSerializer, request)
        item = services.action_item_set_status(actor=request.user, item=item, **data)
        return Response(ActionItemSerializer(item).data)
