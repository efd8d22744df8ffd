"""Serializers of the meetings API. Input serializers only read and tidy what was sent (types,
lengths, choices, as the page's forms); the rules live in teams.meetings.services and come back
as the API's 400 format. What of a meeting one person is shown (the minutes section by section,
the decisions and action items) is decided by teams.meetings.selectors.meeting_view through the
sharing policy, and these serializers only write it out."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ActionsField
from core.validators import MINUTES_MAX, NOTE_MAX, PLANNED, REASON_MAX, TEXT_MAX, TITLE_MAX
from teams.models import ActionItem, Meeting, MeetingKind, MeetingParticipant, Minutes, MinutesRevision

from .selectors import MeetingView
from .services import meeting_available_actions, minutes_available_actions

# The largest id PostgreSQL's bigint holds: larger numbers are unknown ids, not server errors.
MAX_ID = 2**63 - 1


def _id() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID)


# --- Output ------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    """A meeting as in the list of meetings: when, where, who organises it and whom it is about.
    `actions` are what the meeting's state opens now (change, cancel, hold, record); whether the
    caller may take them is in the detail's `may_edit` and `may_approve`."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True, allow_null=True, default=None)
    youth_name = serializers.CharField(source="youth.display_name", read_only=True, allow_null=True, default=None)
    invited = serializers.BooleanField(read_only=True, default=False, help_text="The caller is invited.")
    actions = ActionsField(meeting_available_actions)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "about_turning_18",
            "title",
            "state",
            "actions",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "unit",
            "unit_name",
            "district",
            "district_name",
            "youth",
            "youth_name",
            "series",
            "invited",
        ]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer[MeetingParticipant]):
    """Someone invited: as on the meeting page (name, service or organisation, present, rating)."""

    display_name = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)
    stopped = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="A guardian's invitation to a meeting on or after the youth's 18th birthday, without the "
        "youth's consent to involving the guardians: kept, not in force.",
    )

    class Meta:
        model = MeetingParticipant
        fields = [
            "id",
            "kind",
            "display_name",
            "stopped",
            "user",
            "unit",
            "unit_name",
            "organisation",
            "present",
            "rating",
            "rating_comment",
            "rated_at",
        ]
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    owner_display = serializers.SerializerMethodField(help_text="The owner in Laget, or the name written.")
    meeting_starts_at = serializers.DateTimeField(source="meeting.starts_at", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "meeting_starts_at",
            "title",
            "owner",
            "owner_name",
            "owner_display",
            "due_on",
            "status",
            "done_note",
            "done_at",
        ]
        read_only_fields = fields

    def get_owner_display(self, item: ActionItem) -> str:
        return str(item.owner.full_name or item.owner.email) if item.owner is not None else item.owner_name


class HeadingSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField(source="label", help_text="The heading as the page shows it.")
    category = serializers.CharField(help_text="The category of information written under the heading.")


class SectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(source="heading.key")
    title = serializers.CharField(source="heading.label")
    category = serializers.CharField(source="heading.category")
    text = serializers.CharField()


class MinutesStateSerializer(serializers.ModelSerializer[Minutes]):
    """Where the minutes stand: the current revision (send it as base_revision), the version,
    draft or approved, and the steps their state opens now (approve, revise)."""

    approved_by_name = serializers.CharField(
        source="approved_by.full_name", read_only=True, allow_null=True, default=None
    )
    actions = ActionsField(lambda minutes: minutes_available_actions(meeting=minutes.meeting, minutes=minutes))

    class Meta:
        model = Minutes
        fields = ["revision", "version", "state", "actions", "approved_at", "approved_by", "approved_by_name"]
        read_only_fields = fields


class MinutesSerializer(serializers.Serializer[Any]):
    """The minutes as the caller may see them (consent.policy, heading by heading): `sections`
    the headings shown with their text, `withheld` the headings written but withheld, and
    `decisions` null when the decisions are withheld."""

    state = MinutesStateSerializer(source="minutes")
    saved_at = serializers.DateTimeField(source="revision.saved_at", allow_null=True, default=None)
    saved_by_name = serializers.CharField(source="revision.saved_by.full_name", allow_null=True, default=None)
    sections = SectionSerializer(many=True)
    withheld = HeadingSerializer(many=True)
    decisions = serializers.SerializerMethodField()
    decisions_withheld = serializers.BooleanField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decisions(self, view: MeetingView) -> str | None:
        return None if view.decisions_withheld else view.decisions


class MeetingDetailSerializer(serializers.Serializer[Any]):
    """One meeting as the caller may see it: the meeting and its agenda, the participants, the
    minutes (through the sharing policy), the action items agreed and those carried from earlier
    meetings (empty when the decisions are withheld), and what the caller may do."""

    meeting = MeetingSerializer()
    agenda = serializers.CharField(source="meeting.agenda")
    may_edit = serializers.BooleanField(help_text="Write the minutes, presence, ratings and action items.")
    may_approve = serializers.BooleanField(help_text="Approve the minutes; change or cancel the meeting.")
    participants = ParticipantSerializer(many=True)
    minutes = MinutesSerializer(source="view")
    action_items = ActionItemSerializer(many=True)
    carried = ActionItemSerializer(many=True, help_text="Open action items from earlier meetings of the team.")


class RevisionSerializer(serializers.ModelSerializer[MinutesRevision]):
    """One saved revision in the history: who saved it, when, and what was changed."""

    saved_by_name = serializers.CharField(source="saved_by.full_name", read_only=True)

    class Meta:
        model = MinutesRevision
        fields = ["number", "version", "saved_at", "saved_by", "saved_by_name", "change_note"]
        read_only_fields = fields


class RevisionTextSerializer(serializers.Serializer[Any]):
    """One revision's text as the caller may see it (the same rules as the current minutes)."""

    number = serializers.IntegerField(source="revision.number")
    version = serializers.IntegerField(source="revision.version")
    minutes = MinutesSerializer(source="view")


class _TheirsSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField()
    saved_by_name = serializers.CharField(allow_null=True)
    sections = serializers.DictField(child=serializers.CharField(), help_text="Only the headings you see.")
    decisions = serializers.CharField(allow_null=True)


class _ConflictErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text='"conflict"')
    message = serializers.CharField()
    theirs = _TheirsSerializer(allow_null=True)


class MinutesConflictSerializer(serializers.Serializer[Any]):
    """The 409 answer when someone saved the minutes after the revision you started from: their
    text (the parts you see), so you can merge and send again with their revision as base."""

    error = _ConflictErrorSerializer()
    request_id = serializers.CharField()


# --- Input -------------------------------------------------------------------------------


class TimeAndPlaceSerializer(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Goes into calendar invitations, which leave Laget: never the youth's name or address.",
    )
    video_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True, default="")
    agenda = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class MeetingPlanSerializer(TimeAndPlaceSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    unit = _id()
    youth = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="For a meeting about one youth."
    )
    district = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="For intake and list meetings (default: the district of the organising service).",
    )
    repeat_weeks = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=12, help_text="Repeat every … weeks."
    )
    until = serializers.DateField(required=False, allow_null=True, validators=[PLANNED], help_text="Repeat until.")
    invite = serializers.ListField(
        child=_id(),
        required=False,
        default=list,
        max_length=200,
        help_text=(
            "Colleagues to invite (you are invited yourself). "
            "Left out, a meeting about a youth invites the youth's team."
        ),
    )


class MeetingChangeSerializer(TimeAndPlaceSerializer):
    """Only the fields sent are changed."""

    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    agenda = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PresenceSerializer(serializers.Serializer[Any]):
    present = serializers.ListField(
        child=_id(), max_length=500, help_text="The participants who took part; the others are marked absent."
    )


class ExternalParticipantSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class RatingSerializer(serializers.Serializer[Any]):
    participant = _id()
    rating = serializers.IntegerField(help_text="1 (not useful) to 5 (very useful).")
    comment = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class MinutesSaveSerializer(serializers.Serializer[Any]):
    base_revision = serializers.IntegerField(
        min_value=0, max_value=MAX_ID, help_text="The revision you started from (0 for empty minutes)."
    )
    sections = serializers.DictField(
        child=serializers.CharField(max_length=MINUTES_MAX, allow_blank=True),
        required=False,
        default=dict,
        help_text="Heading key → text. A heading left out keeps its text.",
    )
    decisions = serializers.CharField(
        max_length=MINUTES_MAX,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="Left out or null: the decisions keep their text.",
    )
    change_note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="What was changed: needed when the minutes are approved (the change becomes a new version).",
    )


class ApproveSerializer(serializers.Serializer[Any]):
    base_revision = serializers.IntegerField(
        min_value=0, max_value=MAX_ID, help_text="The revision you read and approve."
    )


class ActionItemCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    owner = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="A staff member invited to the meeting; or leave out and write owner_name.",
    )
    owner_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The youth, a guardian or an external person, when they own the action item.",
    )
    due_on = serializers.DateField(validators=[PLANNED])


class ActionItemStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    done_note = serializers.CharField(
        max_length=NOTE_MAX, required=False, allow_blank=True, default="", help_text="Needed when the item is done."
    )
