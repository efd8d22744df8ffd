"""The team API: the team around a youth (laget rundt ungdommen), adding members, ending a
membership, passing lead responsibility, and starting the team with the follower.

The same selectors, services and policy as the team page (teams.views): the youth through
cases.selectors.youth_get (404 for anyone who may not see it, the read audited as
youth.team_viewed), what is shown of the guardians and the youth through consent.policy (the
disclosure logged), and every write through teams.services, after teams.policy.may_manage_team
(403 for anyone else, as on the page). A broken rule is a 400 in the project's error format; a
change that collided with another is a 400 asking to look again, as the page says it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Guardian
from core.api import validated
from core.models import User

from . import selectors, services
from .models import TeamMember
from .policy import may_manage_team
from .serializers import (
    TeamHistorySerializer,
    TeamMemberAddSerializer,
    TeamMemberEndSerializer,
    TeamMemberSerializer,
    TeamSerializer,
)

Kind = TeamMember.Kind


def _changed(write: Callable[[], TeamMember]) -> TeamMember:
    """The service's write; two changes to one team at once end as the page says it."""
    try:
        return write()
    except IntegrityError:
        raise DjangoValidationError(services.team_conflict()) from None


class TeamApi(generics.GenericAPIView[TeamMember]):
    """The team around a youth now (the one with lead responsibility first) and its history."""

    serializer_class = TeamSerializer
    pagination_class = None  # a team and its history are short (teams.selectors)

    @extend_schema(responses=TeamSerializer)
    def get(self, request: Request, pk: int) -> Response:
        youth = selectors.team_youth_get(user=request.user, pk=pk)
        shown = selectors.team_shown(user=request.user, youth=youth, channel="api")
        family = shown.family
        members = selectors.team_for_youth(youth=youth)
        history = selectors.team_history(youth=youth)
        if not family:
            history = history.exclude(kind=Kind.GUARDIAN)
        listed = [m for m in members if family or m.kind != Kind.GUARDIAN]
        lead = selectors.team_lead(members=members)
        data = {
            "youth": youth.pk,
            "lead": lead.pk if lead else None,
            "may_manage": may_manage_team(request.user, youth),
            "guardians_withheld": not family and any(m.kind == Kind.GUARDIAN for m in members),
            "guardians_stopped": shown.guardians_stopped or None,
            "members": TeamMemberSerializer(listed, many=True, context={"youth_phone": shown.youth_phone}).data,
            "history": TeamHistorySerializer(history, many=True).data,
        }
        return Response(data)


class TeamMemberAddApi(generics.GenericAPIView[TeamMember]):
    """Add a staff member, an external person, a guardian or the youth to the team."""

    serializer_class = TeamMemberSerializer

    @extend_schema(request=TeamMemberAddSerializer, responses={201: TeamMemberSerializer})
    def post(self, request: Request, pk: int) -> Response:
        youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
        data = validated(TeamMemberAddSerializer, request)
        kind = data.pop("kind")
        fields: dict[str, Any] = {"note": data.get("note", ""), "is_lead": data.get("is_lead", False)}
        if kind == Kind.STAFF:
            fields |= {"role": data.get("role", ""), "unit": None, "user": None}
            if "unit" in data:
                fields["unit"] = selectors.team_units().filter(pk=data["unit"]).first()
                if fields["unit"] is None:
                    raise DjangoValidationError({"unit": _("Choose a service with staff in Laget.")})
            if "user" in data:
                fields["user"] = User.objects.filter(pk=data["user"], is_active=True).first()
                if fields["user"] is None:
                    raise DjangoValidationError({"user": _("Choose a person with a role in the service.")})
        elif kind == Kind.EXTERNAL:
            fields |= {
                name: data.get(name, "")
                for name in ("role", "external_name", "external_organisation", "external_phone", "external_email")
            }
        elif kind == Kind.GUARDIAN:
            fields["guardian"] = None
            if "guardian" in data:
                # Only the youth's own guardians are looked up: an id is no way to learn a stranger's name.
                fields["guardian"] = Guardian.objects.filter(pk=data["guardian"], guardianships__youth=youth).first()
                if fields["guardian"] is None:
                    raise DjangoValidationError({"guardian": _("Choose one of the youth's guardians.")})
        member = _changed(lambda: services.team_member_add(actor=request.user, youth=youth, kind=kind, **fields))
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class TeamMemberEndApi(generics.GenericAPIView[TeamMember]):
    """End a membership with a reason (kept). The one with lead responsibility leaves only after
    passing it on, or as the last one in the team."""

    serializer_class = TeamMemberSerializer

    @extend_schema(request=TeamMemberEndSerializer, responses=TeamMemberSerializer)
    def post(self, request: Request, pk: int, member_pk: int) -> Response:
        youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
        member = selectors.team_member_get(user=request.user, youth=youth, pk=member_pk)
        data = validated(TeamMemberEndSerializer, request)
        member = _changed(lambda: services.team_member_end(actor=request.user, member=member, reason=data["reason"]))
        return Response(TeamMemberSerializer(member).data)


class TeamLeadTransferApi(generics.GenericAPIView[TeamMember]):
    """Pass lead responsibility to this staff member in the team. Both stay in the team; returns
    the new lead's membership (a new row from today: the history shows who held it when)."""

    serializer_class = TeamMemberSerializer

    @extend_schema(request=None, responses=TeamMemberSerializer)
    def post(self, request: Request, pk: int, member_pk: int) -> Response:
        youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
        member = selectors.team_member_get(user=request.user, youth=youth, pk=member_pk)
        new_lead = _changed(lambda: services.team_lead_transfer(actor=request.user, member=member))
        return Response(TeamMemberSerializer(new_lead).data)


class TeamStartApi(generics.GenericAPIView[TeamMember]):
    """Start the team with the follower of the open follow-up holding lead responsibility. When
    the team has members already, nothing changes and its lead is returned."""

    serializer_class = TeamMemberSerializer

    @extend_schema(request=None, responses=TeamMemberSerializer)
    def post(self, request: Request, pk: int) -> Response:
        youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
        lead = _changed(lambda: services.team_start(actor=request.user, youth=youth))
        return Response(TeamMemberSerializer(lead).data)
