"""Serializers of the plan API ("Min plan", issue 13). The output serializers render what
teams.plans.selectors decided a person may see (PlanShown, PlanDiff): they mask nothing and
decide nothing themselves. The input serializers only read and tidy what was sent (types,
lengths, choices); the rules (the youth's words, a helper in the team, a date in bounds, who
acknowledges by the age rules) live in teams.plans.services and come back as the API's 400
format."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.validators import NOTE_MAX, REASON_MAX
from teams.models import (
    GOAL_TEXT_MAX,
    STEP_TEXT_MAX,
    SUMMARY_MAX,
    WHY_MAX,
    ActionItem,
    PlanAcknowledgement,
    PlanGoal,
    PlanVersion,
    TeamMember,
)
from teams.serializers import MAX_ID

# --- Output ------------------------------------------------------------------------------


class PlanMemberSerializer(serializers.Serializer[Any]):
    """A member of the youth's team in force, as the plan names them (the lead first)."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=TeamMember.Kind.choices)
    role = serializers.CharField()
    name = serializers.CharField()
    is_lead = serializers.BooleanField()


class PlanAreaSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class PlanStepSerializer(serializers.Serializer[Any]):
    """A step as the person may see it (StepShown): its status is its action item's when it is
    one; a guardian who helps is named only to those who may see family information."""

    id = serializers.IntegerField(source="step.pk")
    what = serializers.CharField(source="step.what")
    helper = serializers.SerializerMethodField(help_text="The helper's team membership (null when none or withheld).")
    helper_name = serializers.CharField()
    helper_withheld = serializers.BooleanField()
    due_on = serializers.DateField(source="step.due_on", allow_null=True)
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    done_note = serializers.SerializerMethodField(help_text="What was done (a step that is an action item).")
    action_item = serializers.IntegerField(
        source="step.action_item_id",
        allow_null=True,
        help_text="The action item the step is, with a helper and a date.",
    )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_helper(self, shown: Any) -> int | None:
        return None if shown.helper_withheld else shown.step.helper_id

    def get_done_note(self, shown: Any) -> str:
        item = shown.step.action_item
        return str(item.done_note) if item is not None else ""


class PlanGoalSerializer(serializers.Serializer[Any]):
    """A goal in the youth's own words, shown because its life area is open to the person."""

    id = serializers.IntegerField(source="goal.pk")
    area = PlanAreaSerializer()
    in_own_words = serializers.CharField(source="goal.in_own_words")
    why_it_matters = serializers.CharField(source="goal.why_it_matters")
    status = serializers.ChoiceField(source="goal.status", choices=PlanGoal.Status.choices)
    steps = PlanStepSerializer(many=True)


class PlanWithheldSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(help_text="The category of information, as the page names it.")
    count = serializers.IntegerField(help_text="How many things of it are withheld from the caller.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        label, count = instance
        return {"category": str(label), "count": int(count)}


class AcknowledgementSerializer(serializers.ModelSerializer[PlanAcknowledgement]):
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = PlanAcknowledgement
        fields = ["id", "party", "guardian", "how", "meeting", "has_document", "recorded_by_name", "recorded_at"]
        read_only_fields = fields

    def get_has_document(self, ack: PlanAcknowledgement) -> bool:
        return bool(ack.document)


class AcknowledgementStatusSerializer(serializers.Serializer[Any]):
    """Who must acknowledge the current version by the consent age rules, and who has (the
    guardians counted, not named: the team's guardians are named where family information is
    open, on the team)."""

    rule = serializers.CharField(help_text="under_15, from_15 or adult (consent.services.consent_age_rule).")
    youth_required = serializers.BooleanField()
    asks_guardians = serializers.BooleanField()
    missing_youth = serializers.BooleanField()
    missing_guardians = serializers.SerializerMethodField()
    no_guardians = serializers.BooleanField(help_text="Under 18 with no guardian with parental responsibility.")
    guardians_stopped = serializers.BooleanField(
        help_text="The youth is 18 and has not consented to involving the guardians: they are not asked."
    )
    complete = serializers.BooleanField()
    acknowledgements = AcknowledgementSerializer(many=True)

    def get_missing_guardians(self, status: Any) -> int:
        return len(status.missing_guardians)


class PlanSerializer(serializers.Serializer[Any]):
    """The youth's plan as the caller may see it (teams.plans.selectors.plan_shown): goals in the
    life areas the sharing policy opens, the others counted in `withheld`; the lead and the
    team; the current version and whether it is awaiting acknowledgement."""

    youth = serializers.IntegerField(source="youth.pk")
    plan = serializers.IntegerField(source="plan.pk", allow_null=True, default=None)
    version = serializers.IntegerField(source="plan.version", allow_null=True, default=None)
    next_review_on = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()
    unacknowledged = serializers.BooleanField(help_text="The current version is not acknowledged by all it must be.")
    may_change = serializers.SerializerMethodField(help_text="May the caller change the plan?")
    lead = PlanMemberSerializer(allow_null=True)
    team = PlanMemberSerializer(many=True)
    goals = PlanGoalSerializer(many=True)
    withheld = PlanWithheldSerializer(many=True)
    acknowledgement = AcknowledgementStatusSerializer(allow_null=True)

    def get_may_change(self, shown: Any) -> bool:
        return bool(self.context.get("may_change", False))


class PlanVersionSerializer(serializers.ModelSerializer[PlanVersion]):
    """One saved version: when, by whom, in which meeting, what was changed."""

    created_by_name = serializers.CharField(source="created_by.full_name", read_only=True)
    acknowledgements = AcknowledgementSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "summary", "meeting", "created_by_name", "created_at", "acknowledgements"]
        read_only_fields = fields


class ChangeSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[("goal", "goal"), ("step", "step")])
    change = serializers.ChoiceField(choices=[("added", "added"), ("removed", "removed"), ("changed", "changed")])
    id = serializers.IntegerField()
    area = serializers.CharField(help_text="The life area's code.")
    area_name = serializers.CharField()
    text = serializers.CharField(source="label", help_text="The goal's or the step's text.")
    before = serializers.DictField(child=serializers.JSONField(allow_null=True))
    after = serializers.DictField(child=serializers.JSONField(allow_null=True))


class PlanDiffSerializer(serializers.Serializer[Any]):
    """What changed between two versions, as the caller may see it (0 is the empty plan)."""

    old = serializers.IntegerField()
    new = serializers.IntegerField()
    changes = ChangeSerializer(many=True)
    withheld = serializers.IntegerField(help_text="Changes left out: their life area is withheld from the caller.")


class PlanGoalOutSerializer(serializers.ModelSerializer[PlanGoal]):
    """A goal as just saved (the caller wrote it, so it is open to them)."""

    area = serializers.CharField(source="area.code", read_only=True)
    version = serializers.IntegerField(source="plan.version", read_only=True)

    class Meta:
        model = PlanGoal
        fields = ["id", "area", "in_own_words", "why_it_matters", "status", "version"]
        read_only_fields = fields


class PlanStepOutSerializer(serializers.Serializer[Any]):
    """A step as just saved."""

    id = serializers.IntegerField(source="pk")
    goal = serializers.IntegerField(source="goal_id")
    what = serializers.CharField()
    helper = serializers.IntegerField(source="helper_id", allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(source="current_status", choices=ActionItem.Status.choices)
    action_item = serializers.IntegerField(source="action_item_id", allow_null=True)
    version = serializers.IntegerField(source="goal.plan.version")


class PlanReviewSerializer(serializers.Serializer[Any]):
    plan = serializers.IntegerField(source="pk")
    next_review_on = serializers.DateField()
    version = serializers.IntegerField()


# --- Input -------------------------------------------------------------------------------

MEETING_HELP = "Made in this team meeting about the youth (its id)."


def _meeting_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None, help_text=MEETING_HELP
    )


class PlanGoalCreateSerializer(serializers.Serializer[Any]):
    """A goal in the youth's own words, in a life area in use (its code)."""

    area = serializers.SlugField(max_length=40, help_text="The life area's code (school, leisure, health…).")
    in_own_words = serializers.CharField(max_length=GOAL_TEXT_MAX, allow_blank=True)
    why_it_matters = serializers.CharField(max_length=WHY_MAX, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True, default="")
    meeting = _meeting_field()


class PlanGoalChangeSerializer(serializers.Serializer[Any]):
    """Only the fields sent are changed."""

    area = serializers.SlugField(max_length=40, required=False)
    in_own_words = serializers.CharField(max_length=GOAL_TEXT_MAX, required=False, allow_blank=True)
    why_it_matters = serializers.CharField(max_length=WHY_MAX, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=PlanGoal.Status.choices, required=False)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True, default="")
    meeting = _meeting_field()


class PlanStepCreateSerializer(serializers.Serializer[Any]):
    """A step toward a goal; with a helper (a member of the youth's team) and a date it is an
    action item too."""

    what = serializers.CharField(max_length=STEP_TEXT_MAX, allow_blank=True)
    helper = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None, help_text="A team membership id."
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True, default="")
    meeting = _meeting_field()


class PlanStepChangeSerializer(serializers.Serializer[Any]):
    """Only the fields sent are changed (send null to take away a helper or a date)."""

    what = serializers.CharField(max_length=STEP_TEXT_MAX, required=False, allow_blank=True)
    helper = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True, default="")
    meeting = _meeting_field()


class PlanStepStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    done_note = serializers.CharField(
        max_length=NOTE_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="What was done: needed when a step that is an action item is done.",
    )
    meeting = _meeting_field()


class PlanReviewSetSerializer(serializers.Serializer[Any]):
    next_review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty: the default number of months from today."
    )
    meeting = _meeting_field()


class PlanAcknowledgeSerializer(serializers.Serializer[Any]):
    """The youth or a guardian acknowledges the current version: on screen in a meeting
    (`meeting`), or on signed paper (`document`, as multipart/form-data)."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The current version's number.")
    party = serializers.ChoiceField(choices=PlanAcknowledgement.Party.choices)
    how = serializers.ChoiceField(choices=PlanAcknowledgement.How.choices)
    guardian = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the youth's guardians.",
    )
    meeting = _meeting_field()
    document = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="The signed plan: PDF, PNG or JPEG, at most 10 MB."
    )
    note = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")
