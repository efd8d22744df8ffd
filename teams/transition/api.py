"""The transition checklist's API (issue 14, "Etter 18" in Min plan): what a person does on the
checklist's forms under the plan page, for another system.

- GET  youths/<id>/transition/                          the checklist as the caller may see it
- POST youths/<id>/transition/<point>/settle/           settle a point (or change how it was settled)
- POST youths/<id>/transition/<point>/not-applicable/   mark a point as not applying, with the reason
- POST youths/<id>/transition/<point>/reopen/           open a settled point again

The same selectors, services and policy as the pages (STYLE.md): the youth through
teams.transition.selectors.transition_youth_get (404 for anyone who may not see the youth), the checklist
through teams.transition.selectors.transition_checklist_shown(channel="api") (each point shown
only when the sharing policy opens its category, audited, disclosures logged), and every write
through teams.transition.services after teams.policy.may_change_plan (403 for anyone else, as
the page; the service also refuses, 403, a point whose category the caller's service may not
see), whose ValidationError is the project's 400 with field keys. A service and a person are
chosen among org.selectors.units_serving_district and staff_by_unit, as the page offers them:
anything else is not a choice (400). A point that is not one of the checklist's is not found (404), as on
the page. No rule is decided here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Youth
from consent import policy as consent_policy
from core.api import validated
from core.models import User
from org.models import Unit
from org.selectors import staff_by_unit, units_serving_district
from teams.models import TransitionPoint
from teams.policy import may_change_plan

from . import selectors, services
from .serializers import (
    TransitionChecklistSerializer,
    TransitionNotApplicableSerializer,
    TransitionPointSerializer,
    TransitionSettleSerializer,
)

POINT_PARAMETER = OpenApiParameter(
    "point",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(TransitionPoint.values),
    description="The point of the checklist.",
)


def _youth_to_change(request: Request, pk: int, point: str) -> Youth:
    """The youth and the point to change, refused in the page's order before anything sent is
    read: 404 to whoever may not see the youth (core.access) and for a point that is not one of
    the checklist's; 403 to whoever may not change the plan (teams.policy.may_change_plan) and
    for a point whose category the sharing policy withholds from the caller (the service says
    the same when it is asked)."""
    youth = selectors.transition_youth_get(user=request.user, pk=pk)
    if point not in TransitionPoint.values:
        raise Http404
    if not may_change_plan(request.user, youth):
        raise PermissionDenied
    viewer = consent_policy.viewer(request.user, youth)
    if next(p for p in selectors.transition_checklist_for(viewer, youth).points if p.point == point).withheld:
        raise PermissionDenied(_("You may not change this point: no consent or legal basis lets your service see it."))
    return youth


def _lead_until(youth: Youth, points: list[selectors.Point]) -> datetime.date | None:
    """Until when the lead's service after 18 may follow the youth (shown with the lead point)."""
    lead = next((p for p in points if p.point == TransitionPoint.LEAD), None)
    if lead is None or lead.withheld or not lead.settled or lead.item is None:
        return None
    found = selectors.lead_followed_until(youth, lead.item)
    return found if isinstance(found, datetime.date) else None


def _context(request: Request, youth: Youth, points: list[selectors.Point]) -> dict[str, Any]:
    return {"may_change": may_change_plan(request.user, youth), "lead_until": _lead_until(youth, points)}


def _point_data(request: Request, youth: Youth, point: str) -> dict[str, Any]:
    """The point as the caller sees it after a write (the service has just checked that its
    category is open to them)."""
    viewer = consent_policy.viewer(request.user, youth)
    checklist = selectors.transition_checklist_for(viewer, youth)
    shown = next(p for p in checklist.points if p.point == point)
    return dict(TransitionPointSerializer(shown, context=_context(request, youth, [shown])).data)


def _unit(units: list[Unit], pk: int | None) -> Unit | None:
    if pk is None:
        return None
    unit = next((u for u in units if u.pk == pk), None)
    if unit is None:
        raise DjangoValidationError({"unit": _("Choose a service in the youth's district, or a city-wide one.")})
    return unit


def _lead_user(units: list[Unit], pk: int | None) -> User | None:
    if pk is None:
        return None
    person = next((u for _unit, staff in staff_by_unit(units=units) for u in staff if u.pk == pk), None)
    if person is None:
        # Only staff the page offers are looked up: an id is no way to learn a stranger's name.
        raise DjangoValidationError({"lead_user": _("Choose a person with a role in the service.")})
    return person


def _choices(youth: Youth, point: str, data: dict[str, Any]) -> tuple[Unit | None, User | None]:
    """The service and the person sent, among those the page offers for the point (a service for
    NAV, health and the lead point; a person for the lead point); the point's other fields are
    not the page's either, and the service leaves them out."""
    if point not in (TransitionPoint.NAV, TransitionPoint.HEALTH, TransitionPoint.LEAD):
        return None, None
    units = units_serving_district(district_id=youth.district_id)
    unit = _unit(units, data["unit"])
    return unit, _lead_user(units, data["lead_user"]) if point == TransitionPoint.LEAD else None


class TransitionChecklistApi(generics.GenericAPIView[Any]):
    """The youth's transition checklist as the caller may see it: the progress over every point
    (settled of those that apply, overdue), the 18th birthday and the next alert, and each point
    the sharing policy opens to the caller's service with its state, how and by whom it was
    settled, and what the point records (the youth's answer about aftercare, the named contact,
    the service and the lead after 18 and until when, the youth's own consent). A withheld point
    is named and marked as withheld, with nothing of its content. Audited, disclosures logged."""

    serializer_class = TransitionChecklistSerializer
    pagination_class = None

    @extend_schema(responses=TransitionChecklistSerializer)
    def get(self, request: Request, pk: int) -> Response:
        checklist = selectors.transition_checklist_shown(user=request.user, youth=pk, channel="api")
        context = _context(request, checklist.youth, checklist.points)
        return Response(TransitionChecklistSerializer(checklist, context=context).data)


class TransitionPointSettleApi(generics.GenericAPIView[Any]):
    """Settle a point, or change how it was settled; who and when are the caller, now. Each point
    asks what it needs (how, always; the youth's answer for aftercare; the named contact for NAV
    and health; what happens at 18, the service and the person for the lead point, within the
    services' age limits). The consent point is settled by a consent from the youth alone, not
    here (400)."""

    serializer_class = TransitionPointSerializer

    @extend_schema(
        parameters=[POINT_PARAMETER], request=TransitionSettleSerializer, responses=TransitionPointSerializer
    )
    def post(self, request: Request, pk: int, point: str) -> Response:
        youth = _youth_to_change(request, pk, point)
        data = validated(TransitionSettleSerializer, request)
        unit, lead_user = _choices(youth, point, data)
        services.transition_point_settle(
            actor=request.user,
            youth=youth,
            point=point,
            how=data["how"],
            aftercare_answer=data["aftercare_answer"],
            contact_name=data["contact_name"],
            unit=unit,
            lead_outcome=data["lead_outcome"],
            lead_user=lead_user,
        )
        return Response(_point_data(request, youth, point))


class TransitionPointNotApplicableApi(generics.GenericAPIView[Any]):
    """Mark a point as not applying to this youth, with the reason (for example: barnevern has no
    measures, so there is no aftercare to discuss)."""

    serializer_class = TransitionPointSerializer

    @extend_schema(
        parameters=[POINT_PARAMETER], request=TransitionNotApplicableSerializer, responses=TransitionPointSerializer
    )
    def post(self, request: Request, pk: int, point: str) -> Response:
        youth = _youth_to_change(request, pk, point)
        data = validated(TransitionNotApplicableSerializer, request)
        try:
            services.transition_point_not_applicable(
                actor=request.user, youth=youth, point=point, reason=data["reason"]
            )
        except DjangoValidationError as error:
            # The service keeps the reason where the row keeps it (`how`); here the field is `reason`.
            raise DjangoValidationError(
                {("reason" if name == "how" else name): messages for name, messages in error.message_dict.items()}
            ) from error
        return Response(_point_data(request, youth, point))


class TransitionPointReopenApi(generics.GenericAPIView[Any]):
    """Open a settled point (or one marked as not applying) again: what was agreed no longer
    holds. The audit trail keeps that it was settled. A point that is open stays open."""

    serializer_class = TransitionPointSerializer

    @extend_schema(parameters=[POINT_PARAMETER], request=None, responses=TransitionPointSerializer)
    def post(self, request: Request, pk: int, point: str) -> Response:
        youth = _youth_to_change(request, pk, point)
        services.transition_point_reopen(actor=request.user, youth=youth, point=point)
        return Response(_point_data(request, youth, point))
