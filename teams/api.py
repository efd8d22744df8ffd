from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import audit
from core.models import AuditEvent, User

from . import selectors
from .models import District, Unit
from .serializers import (
    AuditEventSerializer,
    DistrictSerializer,
    MeSerializer,
    UnitDetailSerializer,
    UnitSerializer,
)


class MeApi(APIView):
    """The signed-in person and their roles in force."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        user.active_roles = selectors.roles_for_user(user=user)  # type: ignore[attr-defined]
        return Response(MeSerializer(user).data)


class DistrictListApi(generics.ListAPIView[District]):
    """Oslo's districts (not personal data: open to every signed-in person)."""

    serializer_class = DistrictSerializer

    def get_queryset(self) -> Any:
        return selectors.districts_list()


class UnitListApi(generics.ListAPIView[Unit]):
    """The units the caller holds a role in (through the access module)."""

    serializer_class = UnitSerializer

    def get_queryset(self) -> Any:
        return selectors.units_for_user(user=self.request.user)


class UnitDetailApi(APIView):
    """One unit and its staff. 404 for anyone without a role in it."""

    @extend_schema(responses=UnitDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        unit = selectors.unit_get(user=request.user, pk=pk)
        unit.active_roles = selectors.unit_staff(unit=unit)  # type: ignore[attr-defined]
        return Response(UnitDetailSerializer(unit).data)


class UnitAuditApi(generics.ListAPIView[AuditEvent]):
    """The audit trail of a unit's staff: for the unit's leaders (403 for other members)."""

    serializer_class = AuditEventSerializer

    def get_queryset(self) -> Any:
        unit = selectors.unit_get(user=self.request.user, pk=self.kwargs["pk"], action="view_audit")
        audit.record(actor=self.request.user, action="audit.viewed", target=unit, detail={"via": "api"})
        return selectors.unit_audit_events(unit=unit)

    def paginate_queryset(self, queryset: Any) -> Any:
        """The page's entries with who and what in words, as the page shows them
        (teams.selectors.unit_audit_rows decides which names the caller may see)."""
        page = super().paginate_queryset(queryset)
        events = list(queryset) if page is None else page
        for row in selectors.unit_audit_rows(user=self.request.user, events=events):
            row.event.who = row.who  # type: ignore[attr-defined]
            row.event.what = row.what  # type: ignore[attr-defined]
        return page
