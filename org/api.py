from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import User
from org import selectors
from org.models import District, Unit
from org.serializers import DistrictSerializer, MeSerializer, UnitDetailSerializer, UnitSerializer


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
