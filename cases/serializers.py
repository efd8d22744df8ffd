"""Serializers of the cases API. Input serializers only read and tidy what was sent (types,
lengths, choices); the rules live in cases.services and come back as the API's 400 format.
A youth is output from the record the sharing policy masked (consent.policy.Viewer.show_fields,
through cases.selectors), never from the model instance."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consent.models import Category
from core.api import ActionsField
from core.validators import BORN, HAPPENED, NOTE_MAX, PLANNED, REASON_MAX, TEXT_MAX, normalise_national_id
from org.models import District, Unit

from .models import (
    Contact,
    ContactKind,
    ContactVersion,
    FollowUp,
    FollowUpAssignment,
    Gender,
    LifeArea,
    Offence,
    Participant,
    Youth,
)
from .selectors import TimelineItem
from .services import followup_available_actions

# The largest id PostgreSQL's bigint holds: larger numbers are unknown ids, not server errors.
MAX_ID = 2**63 - 1


# --- Output ------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer[FollowUpAssignment]):
    user_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = FollowUpAssignment
        fields = ["id", "user", "user_name", "role", "starts_on", "ends_on", "override_reason"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True, source="current_assignments")
    actions = ActionsField(
        followup_available_actions,
        help_text="The actions the follow-up's state opens now (start, pause, resume, close).",
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "state",
            "actions",
            "unit",
            "unit_name",
            "started_on",
            "ended_on",
            "closing_reason",
            "closing_summary",
            "assignments",
        ]
        read_only_fields = fields


class WithheldSerializer(serializers.Serializer[Any]):
    """A category of information withheld by the consent policy, and how many things of it."""

    category = serializers.ChoiceField(choices=Category.choices)
    count = serializers.IntegerField()


class WithheldMixin(serializers.Serializer[Any]):
    withheld = serializers.SerializerMethodField(
        help_text="Categories of information withheld from the caller's service (no consent or legal basis)."
    )

    @extend_schema_field(WithheldSerializer(many=True))
    def get_withheld(self, obj: Any) -> list[dict[str, Any]]:
        return []  # filled in by the API view from consent.policy


class YouthListSerializer(WithheldMixin, serializers.ModelSerializer[Any]):  # of a policy-masked record
    """A youth in a list: no address or national identity number. Fields whose category the
    consent policy withholds are null; `withheld` names the categories."""

    display_name = serializers.CharField(read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    last_contact_at = serializers.DateTimeField(read_only=True, allow_null=True)
    offences_this_year = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Youth
        fields = [
            "id",
            "display_name",
            "first_name",
            "last_name",
            "preferred_name",
            "birth_date",
            "gender",
            "district",
            "district_name",
            "school",
            "last_contact_at",
            "offences_this_year",
            "withheld",
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"allow_null": True} for name in ("birth_date", "gender", "school")}


class GuardianSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    relation = serializers.CharField()
    parental_responsibility = serializers.BooleanField()
    phone = serializers.CharField()


class YouthDetailSerializer(WithheldMixin, serializers.ModelSerializer[Any]):  # of a policy-masked record
    """One youth, serialized from the record consent.policy masked (cases.selectors.YouthView
    `record`, with the view in the context), never from the youth itself. national_id, address
    and postal_code are masked for those without the right to see them (barnevern's stricter
    confidentiality); `restricted_visible` says which. Fields whose category the consent policy
    withholds are null; `withheld` names the categories."""

    display_name = serializers.CharField(read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True, allow_null=True, default=None)
    national_id = serializers.CharField(read_only=True, allow_null=True)
    address = serializers.CharField(read_only=True, allow_null=True)
    postal_code = serializers.CharField(read_only=True, allow_null=True)
    restricted_visible = serializers.SerializerMethodField()
    followup = serializers.SerializerMethodField()
    guardians = serializers.SerializerMethodField(help_text="Null when family information is withheld.")
    repeated_crime_years = serializers.SerializerMethodField()

    def _view(self) -> Any:
        return self.context["view"]

    def get_restricted_visible(self, record: Any) -> bool:
        return bool(self._view().restricted.visible)

    @extend_schema_field(FollowUpSerializer(allow_null=True))
    def get_followup(self, record: Any) -> dict[str, Any] | None:
        followup = self._view().followup
        return None if followup is None else dict(FollowUpSerializer(followup).data)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_repeated_crime_years(self, record: Any) -> list[int]:
        return list(self._view().flags.repeated_crime_years)

    @extend_schema_field(GuardianSerializer(many=True, allow_null=True))
    def get_guardians(self, record: Any) -> list[dict[str, Any]] | None:
        """The guardians the youth view shows, None when family information is withheld."""
        view = self._view()
        if not view.family:
            return None
        return [
            {
                "name": str(g.guardian),
                "relation": g.relation,
                "parental_responsibility": g.parental_responsibility,
                "phone": g.guardian.phone,
            }
            for g in view.guardianships
        ]

    class Meta:
        model = Youth
        fields = [
            "id",
            "display_name",
            "first_name",
            "last_name",
            "preferred_name",
            "birth_date",
            "gender",
            "district",
            "district_name",
            "school",
            "school_name",
            "school_class",
            "phone",
            "language",
            "needs_interpreter",
            "safety_notes",
            "national_id",
            "address",
            "postal_code",
            "restricted_visible",
            "followup",
            "guardians",
            "repeated_crime_years",
            "withheld",
        ]
        read_only_fields = fields
        extra_kwargs = {
            name: {"allow_null": True}
            for name in (
                "birth_date",
                "gender",
                "school",
                "school_class",
                "phone",
                "language",
                "needs_interpreter",
                "safety_notes",
            )
        }


class ContactSerializer(serializers.ModelSerializer[Contact]):
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "youth",
            "followup",
            "author",
            "author_name",
            "occurred_at",
            "duration_minutes",
            "kind",
            "place",
            "participants",
            "life_areas",
            "text",
            "task",
            "task_due_on",
            "task_done_at",
            "evening_or_weekend",
            "group_id",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContactVersionSerializer(serializers.ModelSerializer[ContactVersion]):
    """One earlier version. The caller judged it by its own categories
    (consent.selectors.contact_versions_seen): a withheld version keeps who changed what and
    when, but not what it said."""

    changed_by_name = serializers.CharField(source="changed_by.full_name", read_only=True)
    # Not called `data`: that name is the serializer's own output.
    before = serializers.SerializerMethodField(
        help_text="The contact's fields before the change; null when the consent policy withholds them."
    )
    withheld = serializers.SerializerMethodField(
        help_text="Categories of this version withheld from the caller's service (no consent or legal basis)."
    )

    class Meta:
        model = ContactVersion
        fields = ["version", "changed_by", "changed_by_name", "changed_at", "changed_fields", "before", "withheld"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_before(self, obj: ContactVersion) -> dict[str, Any] | None:
        if getattr(obj, "withheld", None) is None or obj.withheld:  # type: ignore[attr-defined]
            return None  # not judged, or withheld: never shown by default
        return dict(obj.data)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Category.choices)))
    def get_withheld(self, obj: ContactVersion) -> list[str]:
        return list(getattr(obj, "withheld", None) or [])


class OffenceSerializer(serializers.ModelSerializer[Offence]):
    class Meta:
        model = Offence
        fields = ["id", "youth", "kind", "committed_on", "police_reference", "description", "created_at"]
        read_only_fields = fields


class TimelineItemSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=["contact", "offence", "outcome", "justice", "assignment", "started", "closed"]
    )
    object_id = serializers.IntegerField(source="obj.pk")
    summary = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    def get_summary(self, item: TimelineItem) -> str:
        return str(item.obj)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_detail(self, item: TimelineItem) -> dict[str, Any]:
        obj = item.obj
        if item.kind == "contact":
            return {
                "kind": obj.kind,
                "duration_minutes": obj.duration_minutes,
                "place": obj.place,
                "author": obj.author.full_name,
                "text": obj.text,
                "evening_or_weekend": obj.evening_or_weekend,
            }
        if item.kind == "offence":
            return {"kind": obj.kind, "committed_on": obj.committed_on, "police_reference": obj.police_reference}
        if item.kind == "outcome":
            return {
                "phase": obj.phase,
                "school_attendance": obj.school_attendance,
                "offences_last_period": obj.offences_last_period,
                "substance_use": obj.substance_use,
                "organised_activity": obj.organised_activity,
                "occupation": obj.occupation,
            }
        if item.kind == "justice":
            return {"kind": obj.kind, "starts_on": obj.starts_on, "ends_on": obj.ends_on}
        if item.kind == "assignment":
            return {"user": obj.user.full_name, "role": obj.role, "starts_on": obj.starts_on, "ends_on": obj.ends_on}
        return {"state": obj.state, "closing_reason": obj.closing_reason}


class TimelineSerializer(serializers.Serializer[Any]):
    """The timeline as the caller may see it, and what the consent policy withheld."""

    items = TimelineItemSerializer(many=True)
    withheld = WithheldSerializer(many=True)


# --- Input -------------------------------------------------------------------------------


class YouthWriteSerializer(serializers.Serializer[Any]):
    """A youth's details, as sent. Only the fields sent are changed (PATCH)."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    national_id = serializers.CharField(
        max_length=14, required=False, allow_blank=True, help_text="11 digits; spaces and a dash are allowed."
    )
    birth_date = serializers.DateField(validators=[BORN])
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False)
    school = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(kind=Unit.Kind.SCHOOL), required=False, allow_null=True
    )
    school_class = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.RegexField(r"^\d{4}$", required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    language = serializers.CharField(max_length=60, required=False, allow_blank=True)
    needs_interpreter = serializers.BooleanField(required=False)
    safety_notes = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)

    def validate_national_id(self, value: str) -> str:
        return normalise_national_id(value)


class YouthRegisterSerializer(YouthWriteSerializer):
    unit = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The follow-up team where the follow-up starts in intake."
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Register although a youth with the same name and date of birth is registered (answered "
            "409 without it). The same national identity number is never registered twice."
        ),
    )


class DuplicateYouthSerializer(serializers.Serializer[Any]):
    """A youth already registered, named only to those who may see them."""

    id = serializers.IntegerField()
    display_name = serializers.CharField()
    birth_date = serializers.DateField()


class PossibleDuplicateSerializer(serializers.Serializer[Any]):
    youth = DuplicateYouthSerializer(
        allow_null=True, help_text="null when you may not see the youth: ask the coordinator who follows them."
    )
    same_national_id = serializers.BooleanField()


class _DuplicateErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text='"possible_duplicate"')
    message = serializers.CharField()
    candidates = PossibleDuplicateSerializer(many=True)


class DuplicateConflictSerializer(serializers.Serializer[Any]):
    """The 409 answer to registering a possible duplicate (the error format, with candidates)."""

    error = _DuplicateErrorSerializer()
    request_id = serializers.CharField()


class ContactWriteSerializer(serializers.Serializer[Any]):
    occurred_at = serializers.DateTimeField(validators=[HAPPENED])
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participants = serializers.ListField(
        child=serializers.ChoiceField(choices=Participant.choices), required=False, max_length=len(Participant)
    )
    life_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeArea.choices), required=False, max_length=len(LifeArea)
    )
    text = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    task = serializers.CharField(max_length=300, required=False, allow_blank=True)
    task_due_on = serializers.DateField(required=False, allow_null=True, validators=[PLANNED])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("participants", "life_areas"):
            if name in attrs:
                attrs[name] = list(dict.fromkeys(attrs[name]))
        # A due date needs a task (a database constraint): checked against what the contact
        # already holds when only one of the two is sent.
        instance = self.instance if isinstance(self.instance, Contact) else None
        task = attrs.get("task", instance.task if instance else "")
        due = attrs.get("task_due_on", instance.task_due_on if instance else None)
        if due is not None and not (task or "").strip():
            raise serializers.ValidationError({"task": [_("Write the task that is due.")]})
        return attrs


class ContactCreateSerializer(ContactWriteSerializer):
    draft_key = serializers.UUIDField(required=False, help_text="The draft this contact was typed in; it is discarded.")


class ContactDeleteSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why the contact is deleted (kept).")


class OffenceWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Offence.Kind.choices)
    committed_on = serializers.DateField(validators=[HAPPENED])
    police_reference = serializers.CharField(max_length=40, required=False, allow_blank=True)
    description = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class AssignSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The person to assign.")
    role = serializers.ChoiceField(choices=FollowUpAssignment.Role.choices, default=FollowUpAssignment.Role.LEAD)
    override_reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=FollowUp.ClosingReason.choices)
    summary = serializers.CharField(max_length=TEXT_MAX)
