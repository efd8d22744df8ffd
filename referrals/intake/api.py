"""The intake API, mounted under /api/v1/intake/: what the pages under /inntak/ do.

- GET  intake/queue/?district=<id> — the intake queue of each district the caller works in (or
  of that one), as the queue page shows it: anonymous cases by alias, a named youth by name only
  when the sharing policy opens who the youth is to the caller's service (otherwise neither the
  name nor the youth's id); the read audited and the disclosures logged by the selector;
- POST intake/candidates/ — propose a named youth (with consent) or an anonymous case;
- GET  intake/meetings/<id>/candidates/ — an intake meeting's candidates and its decisions, as the
  shared screen shows them after the last candidate (selectors.intake_summary);
- GET  intake/meetings/<id>/candidates/<candidate_id>/ — one candidate as the shared screen shows
  it: only what every person present may see (selectors.intake_card, audited, each person's
  disclosures logged on the API channel);
- POST intake/meetings/<id>/candidates/<candidate_id>/decision/ — decide in an intake meeting;
- POST intake/meetings/<id>/minutes/draft/ — draft the meeting's minutes from its decisions
  (services.intake_minutes_draft, as the page /inntak/mote/<id>/referat/); the minutes are then
  read, saved and approved through /api/v1/meetings/<id>/ and …/minutes/ (teams.meetings.api);
- GET  intake/list-meetings/<id>/entries/ — a list meeting's list, as its page shows it;
- POST intake/list-meetings/<id>/entries/ — add a youth or an anonymous case to it.

Candidates and meetings only through referrals.intake.selectors (404 for anyone who may not see
them, 403 when they may see them but not do this); every write through
referrals.intake.services (400 in the project's error format when a rule is broken). No
permission is decided here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from consent.models import Disclosure
from core.api import valid_serializer
from referrals.intake import policy, selectors, services
from referrals.intake.serializers import (
    CandidateSerializer,
    CardSerializer,
    DecideSerializer,
    DecisionSerializer,
    ListEntryCreatedSerializer,
    ListEntryCreateSerializer,
    ListEntrySerializer,
    ProposeSerializer,
    QueueSerializer,
    SummaryRowSerializer,
)
from referrals.models import IntakeCandidate
from teams.meetings import selectors as meeting_selectors
from teams.meetings.serializers import MinutesStateSerializer
from teams.models import ListMeetingEntry, MeetingKind, Minutes


class IntakeQueueApi(generics.GenericAPIView[Any]):
    """The intake queue of each district the caller works in, by district number."""

    serializer_class = QueueSerializer
    pagination_class = None  # one queue per district the caller works in

    @extend_schema(
        parameters=[OpenApiParameter("district", OpenApiTypes.INT, description="One district's queue only.")],
        responses=QueueSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        districts = selectors.districts_for_queue(user=user, wanted=request.query_params.get("district"))
        queues = [
            selectors.intake_queue(user=user, district=district, channel=Disclosure.Channel.API)
            for district in districts
        ]
        return Response(QueueSerializer(queues, many=True).data)


class IntakeCandidateCreateApi(generics.GenericAPIView[IntakeCandidate]):
    """Propose a named youth (only with a consent in force that lets the district's one-to-one
    follow-up see who the youth is) or an anonymous case for a district's intake queue."""

    serializer_class = ProposeSerializer

    @extend_schema(request=ProposeSerializer, responses={201: CandidateSerializer})
    def post(self, request: Request) -> Response:
        user = request.user
        if not policy.may_propose(user):
            raise PermissionDenied
        serializer = valid_serializer(ProposeSerializer, request)
        candidate = services.intake_candidate_propose(actor=user, **serializer.service_data())
        return Response(CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class IntakeMeetingCandidatesApi(generics.GenericAPIView[IntakeCandidate]):
    """An intake meeting's candidates in the order the meeting takes them, each with the decision
    made in this meeting, named as the shared screen names them (for those who run the meeting)."""

    serializer_class = SummaryRowSerializer
    pagination_class = None  # the district's queue and this meeting's decisions, read whole as on the screen

    @extend_schema(responses=SummaryRowSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, kind=MeetingKind.INTAKE, action="run")
        rows = selectors.intake_summary(user=request.user, meeting=meeting, channel=Disclosure.Channel.API)
        return Response(SummaryRowSerializer(rows, many=True).data)


class IntakeCardApi(generics.GenericAPIView[IntakeCandidate]):
    """One candidate of an intake meeting as its shared screen shows it: only what every person
    present (or invited, before presence is marked) may see."""

    serializer_class = CardSerializer

    @extend_schema(responses=CardSerializer)
    def get(self, request: Request, pk: int, candidate_pk: int) -> Response:
        user = request.user
        meeting, candidate = selectors.meeting_candidate_get(user=user, pk=pk, candidate_pk=candidate_pk)
        audience = selectors.audience_for(meeting=meeting, user=user)
        card = selectors.intake_card(
            user=user, meeting=meeting, candidate=candidate, audience=audience, channel=Disclosure.Channel.API
        )
        return Response(CardSerializer(card).data)


class IntakeMinutesDraftApi(generics.GenericAPIView[Minutes]):
    """Draft the intake meeting's minutes from its decisions: a new revision on top of what was
    written before (its other matters kept). Where the minutes then stand is returned; read and
    approve them through the meeting's minutes (/api/v1/meetings/<id>/)."""

    serializer_class = MinutesStateSerializer

    @extend_schema(request=None, responses={201: MinutesStateSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, kind=MeetingKind.INTAKE, action="run")
        services.intake_minutes_draft(actor=request.user, meeting=meeting)
        minutes, _revision = meeting_selectors.minutes_current(meeting=meeting)
        minutes.meeting = meeting
        return Response(MinutesStateSerializer(minutes).data, status=status.HTTP_201_CREATED)


class IntakeDecisionApi(generics.GenericAPIView[IntakeCandidate]):
    """Decide about a candidate in an intake meeting of its district (coordinators and leaders
    of the district's one-to-one follow-up). Taken in opens the follow-up with the follower,
    under the capacity rule, and starts the youth's team."""

    serializer_class = DecideSerializer

    @extend_schema(request=DecideSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request, pk: int, candidate_pk: int) -> Response:
        user = request.user
        meeting, candidate = selectors.meeting_candidate_get(
            user=user, pk=pk, candidate_pk=candidate_pk, action="decide"
        )
        serializer = valid_serializer(DecideSerializer, request, meeting=meeting)
        decision = services.intake_decide(actor=user, candidate=candidate, meeting=meeting, **serializer.service_data())
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ListMeetingEntriesApi(generics.GenericAPIView[ListMeetingEntry]):
    """A list meeting's list (the police information only where the sharing policy opens it),
    and adding a youth or an anonymous case to it (those who run the meeting, and the police
    taking part)."""

    serializer_class = ListEntrySerializer
    pagination_class = None  # a meeting's list is short, and read whole as on its page

    @extend_schema(responses=ListEntrySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_get(user=request.user, pk=pk, kind=MeetingKind.LIST)
        rows = selectors.list_entries(user=request.user, meeting=meeting, channel=Disclosure.Channel.API)
        return Response(ListEntrySerializer(rows, many=True).data)

    @extend_schema(request=ListEntryCreateSerializer, responses={201: ListEntryCreatedSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = request.user
        meeting = selectors.meeting_get(user=user, pk=pk, kind=MeetingKind.LIST, action="record")
        serializer = valid_serializer(ListEntryCreateSerializer, request, meeting=meeting)
        entry = services.list_entry_add(actor=user, meeting=meeting, **serializer.service_data())
        return Response(ListEntryCreatedSerializer(entry).data, status=status.HTTP_201_CREATED)
