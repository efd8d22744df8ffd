"""The plan API ("Min plan", issue 13, point 8): what a person does on the plan pages, for
another system.

- GET   youths/<id>/plan/                          the plan as the caller may see it (masked, withheld counted)
- POST  youths/<id>/plan/goals/                    add a goal (the plan is made when first needed)
- PATCH youths/<id>/plan/goals/<goal>/             change a goal (words, why, status, area)
- POST  youths/<id>/plan/goals/<goal>/steps/       add a step (with a helper and a date: an action item)
- PATCH youths/<id>/plan/steps/<step>/             change a step (what, helper, date)
- POST  youths/<id>/plan/steps/<step>/status/      move a step on (done with a note)
- PUT   youths/<id>/plan/review/                   set the next review date
- GET   youths/<id>/plan/versions/                 the versions, newest first
- GET   youths/<id>/plan/versions/compare/?old=&new=  what changed between two versions
- POST  youths/<id>/plan/acknowledgements/         the youth or a guardian acknowledges the current
                                                   version: on screen in a meeting (JSON), or on
                                                   signed paper (multipart/form-data, `document`)

The same selectors, services and policy as the pages (STYLE.md): the youth through
teams.plans.selectors.plan_youth_get (404 for anyone who may not see the youth), the plan
through plan_shown(channel="api") (masked by the sharing policy, audited, disclosures logged),
versions through plan_versions and plan_versions_compared, and every write through
teams.plans.services after teams.policy.may_change_plan (403 for anyone else, as the page),
whose ValidationError is the project's 400 with field keys. A goal or step is looked up within
the youth's plan and the life areas the sharing policy opens to the caller (404 otherwise, as
the page), a life area among those open to the caller, a helper within the youth's team, a
meeting among the youth's meetings and a guardian among the youth's guardians: anything else is
not a choice (400). No rule is decided here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Guardian, Youth
from core.api import validated
from core.parsers import SafeJSONParser
from teams.meetings.selectors import meetings_visible
from teams.models import Meeting, PlanAcknowledgement, PlanArea, PlanGoal, PlanStep, PlanVersion, TeamMember
from teams.policy import may_change_plan

from . import selectors, services
from .serializers import (
    AcknowledgementSerializer,
    PlanAcknowledgeSerializer,
    PlanDiffSerializer,
    PlanGoalChangeSerializer,
    PlanGoalCreateSerializer,
    PlanGoalOutSerializer,
    PlanReviewSerializer,
    PlanReviewSetSerializer,
    PlanSerializer,
    PlanStepChangeSerializer,
    PlanStepCreateSerializer,
    PlanStepOutSerializer,
    PlanStepStatusSerializer,
    PlanVersionSerializer,
)

MAX_VERSION = 2**31 - 1


def _youth(request: Request, pk: int, *, change: bool = False) -> Youth:
    """The youth through core.access (404 to whoever may not see them); to change the plan,
    teams.policy.may_change_plan (403 otherwise, as the page)."""
    youth = selectors.plan_youth_get(user=request.user, pk=pk)
    if change and not may_change_plan(request.user, youth):
        raise PermissionDenied
    return youth


def _visible(request: Request, youth: Youth) -> set[str]:
    """The codes of the life areas whose goals the caller may see (consent.policy)."""
    return selectors.plan_visible_areas(user=request.user, youth=youth)


def _goal(request: Request, youth: Youth, pk: int) -> PlanGoal:
    """A goal of the youth's plan the caller may see (teams.plans.selectors.plan_goal_get): 404
    for one in a life area withheld from them, as for one that does not exist (as the page)."""
    goal = selectors.plan_goal_get(youth=youth, pk=pk)
    if goal.area.code not in _visible(request, youth):
        raise Http404
    return goal


def _step(request: Request, youth: Youth, pk: int) -> PlanStep:
    step = selectors.plan_step_get(youth=youth, pk=pk)
    if step.goal.area.code not in _visible(request, youth):
        raise Http404
    return step


def _area(request: Request, youth: Youth, code: str) -> PlanArea | None:
    """A life area in use, open to the caller, by its code (the page offers only these); None
    lets the service say "choose a life area"."""
    if code not in _visible(request, youth):
        return None
    return PlanArea.objects.filter(code=code, active=True).first()


def _meeting(request: Request, youth: Youth, pk: int | None) -> Meeting | None:
    """A meeting about the youth that the caller sees (the page offers these); the service
    checks the rest (not cancelled)."""
    if pk is None:
        return None
    meeting = meetings_visible(user=request.user).filter(pk=pk, youth=youth).first()
    if meeting is None:
        raise DjangoValidationError({"meeting": _("Choose a meeting about this youth.")})
    return meeting


def _helper(youth: Youth, pk: int | None) -> TeamMember | None:
    if pk is None:
        return None
    helper = TeamMember.objects.select_related("user", "guardian", "youth").filter(pk=pk, youth=youth).first()
    if helper is None:
        raise DjangoValidationError({"helper": _("Choose someone in the youth's team.")})
    return helper


def _plan_data(request: Request, youth: Youth) -> dict[str, Any]:
    # The checklist has its own endpoint (teams.transition.api): not asked here, so not logged.
    shown = selectors.plan_shown(user=request.user, youth=youth, channel="api", checklist=False)
    return dict(PlanSerializer(shown, context={"may_change": may_change_plan(request.user, youth)}).data)


class PlanApi(generics.GenericAPIView[Any]):
    """The youth's plan as the caller may see it: the goals in the life areas the sharing
    policy opens to the caller's service (the others counted in `withheld`), each with its
    steps, the lead and the team, the next review and whether the current version is awaiting
    acknowledgement. `plan` is null while the youth has no plan yet. Audited, disclosures logged."""

    serializer_class = PlanSerializer
    pagination_class = None

    @extend_schema(responses=PlanSerializer)
    def get(self, request: Request, pk: int) -> Response:
        youth = _youth(request, pk)
        return Response(_plan_data(request, youth))


class PlanGoalListApi(generics.GenericAPIView[Any]):
    """Add a goal in the youth's own words (a new version). The plan is made the first time."""

    serializer_class = PlanGoalOutSerializer

    @extend_schema(request=PlanGoalCreateSerializer, responses={201: PlanGoalOutSerializer})
    def post(self, request: Request, pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        data = validated(PlanGoalCreateSerializer, request)
        meeting = _meeting(request, youth, data["meeting"])
        with transaction.atomic():  # a refused goal leaves no empty plan behind
            plan = services.plan_get_or_create(actor=request.user, youth=youth)
            goal = services.plan_goal_add(
                actor=request.user,
                plan=plan,
                area=_area(request, youth, data["area"]),
                in_own_words=data["in_own_words"],
                why_it_matters=data["why_it_matters"],
                meeting=meeting,
                summary=data["summary"],
            )
        return Response(PlanGoalOutSerializer(goal).data, status=status.HTTP_201_CREATED)


class PlanGoalDetailApi(generics.GenericAPIView[Any]):
    """Change a goal: its words, why it matters, its status (reached, dropped) or its area.
    Only the fields sent are changed; a change that changes nothing makes no version."""

    serializer_class = PlanGoalOutSerializer

    @extend_schema(request=PlanGoalChangeSerializer, responses=PlanGoalOutSerializer)
    def patch(self, request: Request, pk: int, goal_pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        goal = _goal(request, youth, goal_pk)
        data = validated(PlanGoalChangeSerializer, request)
        meeting = _meeting(request, youth, data["meeting"])
        goal = services.plan_goal_change(
            actor=request.user,
            goal=goal,
            in_own_words=data.get("in_own_words", goal.in_own_words),
            why_it_matters=data.get("why_it_matters", goal.why_it_matters),
            status=data.get("status", goal.status),
            area=_area(request, youth, data["area"]) if "area" in data else goal.area,
            meeting=meeting,
            summary=data["summary"],
        )
        goal.plan.refresh_from_db(fields=["version"])
        return Response(PlanGoalOutSerializer(goal).data)


class PlanStepListApi(generics.GenericAPIView[Any]):
    """Add a step toward a goal (a new version). With a helper (a member of the youth's team)
    and a date it is an action item as well: on the helper's home page, calendar and
    reminders, and on the next team meeting's agenda until done."""

    serializer_class = PlanStepOutSerializer

    @extend_schema(request=PlanStepCreateSerializer, responses={201: PlanStepOutSerializer})
    def post(self, request: Request, pk: int, goal_pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        goal = _goal(request, youth, goal_pk)
        data = validated(PlanStepCreateSerializer, request)
        step = services.plan_step_add(
            actor=request.user,
            goal=goal,
            what=data["what"],
            helper=_helper(youth, data["helper"]),
            due_on=data["due_on"],
            meeting=_meeting(request, youth, data["meeting"]),
            summary=data["summary"],
        )
        step.goal.plan.refresh_from_db(fields=["version"])
        return Response(PlanStepOutSerializer(step).data, status=status.HTTP_201_CREATED)


class PlanStepDetailApi(generics.GenericAPIView[Any]):
    """Change what a step says, who helps and by when. Only the fields sent are changed (null
    takes a helper or a date away). A step that is an action item keeps a helper and a date:
    cancel it instead (POST …/status/)."""

    serializer_class = PlanStepOutSerializer

    @extend_schema(request=PlanStepChangeSerializer, responses=PlanStepOutSerializer)
    def patch(self, request: Request, pk: int, step_pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        step = _step(request, youth, step_pk)
        data = validated(PlanStepChangeSerializer, request)
        helper = _helper(youth, data["helper"]) if "helper" in data else step.helper
        step = services.plan_step_change(
            actor=request.user,
            step=step,
            what=data.get("what", step.what),
            helper=helper,
            due_on=data.get("due_on", step.due_on),
            meeting=_meeting(request, youth, data["meeting"]),
            summary=data["summary"],
        )
        step.goal.plan.refresh_from_db(fields=["version"])
        return Response(PlanStepOutSerializer(step).data)


class PlanStepStatusApi(generics.GenericAPIView[Any]):
    """Move a step on: open, in progress, done (with a note of what was done, when the step is
    an action item) or cancelled. A step that is an action item is moved on as that item, the
    same change as on the meeting page."""

    serializer_class = PlanStepOutSerializer

    @extend_schema(request=PlanStepStatusSerializer, responses=PlanStepOutSerializer)
    def post(self, request: Request, pk: int, step_pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        step = _step(request, youth, step_pk)
        data = validated(PlanStepStatusSerializer, request)
        step = services.plan_step_set_status(
            actor=request.user,
            step=step,
            status=data["status"],
            done_note=data["done_note"],
            meeting=_meeting(request, youth, data["meeting"]),
        )
        step.goal.plan.refresh_from_db(fields=["version"])
        return Response(PlanStepOutSerializer(step).data)


class PlanReviewApi(generics.GenericAPIView[Any]):
    """Set when the plan is reviewed next (empty: the default number of months from today);
    not in the past. Scheduling makes no new version."""

    serializer_class = PlanReviewSerializer

    @extend_schema(request=PlanReviewSetSerializer, responses=PlanReviewSerializer)
    def put(self, request: Request, pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        data = validated(PlanReviewSetSerializer, request)
        meeting = _meeting(request, youth, data["meeting"])
        with transaction.atomic():  # a refused date leaves no empty plan behind
            plan = services.plan_get_or_create(actor=request.user, youth=youth)
            plan = services.plan_review_set(
                actor=request.user, plan=plan, next_review_on=data["next_review_on"], meeting=meeting
            )
        return Response(PlanReviewSerializer(plan).data)


class PlanVersionListApi(generics.GenericAPIView[PlanVersion]):
    """The plan's versions, newest first: when, by whom, in which meeting, what was changed and
    who has acknowledged each (audited as plan.versions_viewed). What a version holds is read
    through compare/, masked as the plan is."""

    serializer_class = PlanVersionSerializer
    pagination_class = None  # a plan has tens of versions, not thousands

    @extend_schema(responses=PlanVersionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        youth = _youth(request, pk)
        versions = selectors.plan_versions(user=request.user, youth=youth)
        return Response(PlanVersionSerializer(versions, many=True).data)


def _number(request: Request, name: str, *, minimum: int) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw.isdigit() or not minimum <= int(raw) <= MAX_VERSION:
        raise DjangoValidationError({name: _("Choose a version.")})
    return int(raw)


class PlanVersionCompareApi(generics.GenericAPIView[Any]):
    """What changed from version `old` (0: the empty plan) to version `new`: goals and steps
    added, removed and changed, with the texts before and after, leaving out the life areas
    withheld from the caller (counted in `withheld`). 404 for a version that does not exist."""

    serializer_class = PlanDiffSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("old", OpenApiTypes.INT, required=True, description="The older version (0: empty)."),
            OpenApiParameter("new", OpenApiTypes.INT, required=True, description="The newer version."),
        ],
        responses=PlanDiffSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        youth = _youth(request, pk)
        old, new = _number(request, "old", minimum=0), _number(request, "new", minimum=1)
        diff = selectors.plan_versions_compared(user=request.user, youth=youth, old=old, new=new, channel="api")
        return Response(PlanDiffSerializer(diff).data)


class PlanAcknowledgementApi(generics.GenericAPIView[PlanAcknowledgement]):
    """Record that the youth or a guardian has seen and agreed to the current version: on
    screen in a meeting about the youth (`how`: meeting, with `meeting`), or on signed paper
    (`how`: paper, the signed plan in `document` as multipart/form-data; PDF, PNG or JPEG,
    checked by content). Who must acknowledge follows the consent age rules: under 15 the
    guardians, 15 to 17 the youth and the guardians, from 18 the youth alone."""

    serializer_class = AcknowledgementSerializer
    parser_classes = [SafeJSONParser, MultiPartParser]

    @extend_schema(
        request={"application/json": PlanAcknowledgeSerializer, "multipart/form-data": PlanAcknowledgeSerializer},
        responses={201: AcknowledgementSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        youth = _youth(request, pk, change=True)
        data = validated(PlanAcknowledgeSerializer, request)
        version = (
            PlanVersion.objects.select_related("plan__youth").filter(plan__youth=youth, number=data["version"]).first()
        )
        if version is None:
            raise DjangoValidationError({"version": _("Choose the plan's current version.")})
        guardian = None
        if data["guardian"] is not None:
            # Only the youth's own guardians are looked up: an id is no way to learn a stranger's name.
            guardian = Guardian.objects.filter(pk=data["guardian"], guardianships__youth=youth).first()
            if guardian is None:
                raise DjangoValidationError({"guardian": _("Choose one of the youth's guardians.")})
        ack = services.plan_acknowledge(
            actor=request.user,
            version=version,
            party=data["party"],
            how=data["how"],
            guardian=guardian,
            meeting=_meeting(request, youth, data["meeting"]),
            document=data["document"],
            note=data["note"],
        )
        return Response(AcknowledgementSerializer(ack).data, status=status.HTTP_201_CREATED)
