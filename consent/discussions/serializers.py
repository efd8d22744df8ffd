"""Serializers of the anonymous-discussion API (consent.discussions.api).

They read and tidy what was sent, as consent.discussions.forms do for the pages: the choices a
person may make (the units they bring a case for, the youths they may name it as) come from the
same policy and selectors, and every rule lives in consent.services and
consent.discussions.checks. What a case shows of itself is decided by consent.selectors
(`discussion_content_shown`); the API view blanks what is not shown.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.models import Youth
from consent import selectors
from consent.discussions import policy as discussion_policy
from consent.discussions.forms import MAX_WARNINGS, case_create_data
from consent.models import DiscussionCase, DiscussionNote
from core.api import limit_choices, request_user
from core.validators import NOTE_MAX
from org.models import District, Unit


class DiscussionRefSerializer(serializers.Serializer[Any]):
    """A district or a service: its id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class DiscussionCaseListSerializer(serializers.ModelSerializer[DiscussionCase]):
    """A row of the list: alias, age band, district and service, never the summary (read on the
    case itself, where the read is audited). `youth` is the named youth's id once converted."""

    district = DiscussionRefSerializer()
    unit = DiscussionRefSerializer(help_text="The service that brought the case.")
    note_count = serializers.IntegerField()
    youth = serializers.IntegerField(
        source="youth_id", allow_null=True, help_text="The named youth's id, once converted."
    )

    class Meta:
        model = DiscussionCase
        fields = ("id", "alias", "age_band", "district", "unit", "state", "created_at", "note_count", "youth")


class FindingSerializer(serializers.Serializer[Any]):
    """A warning that the details may identify the youth (consent.discussions.checks.Finding)."""

    key = serializers.CharField(help_text="Send it back in `warnings` with confirm_warnings to confirm it.")
    kind = serializers.CharField()
    message = serializers.CharField()


class DiscussionNoteSerializer(serializers.ModelSerializer[DiscussionNote]):
    author = serializers.SerializerMethodField()

    class Meta:
        model = DiscussionNote
        fields = ("id", "at", "author", "text")

    def get_author(self, note: DiscussionNote) -> str:
        return str(note.author.full_name or note.author.email)


class DiscussionCaseSerializer(serializers.Serializer[Any]):
    """One case. `content_shown` false: the case is now a named youth's, and the person's service
    may not see who the youth is, so the summary, the notes and the confirmed warnings are null.
    `actions` are what the person may do now (add_note, convert, close)."""

    id = serializers.IntegerField()
    alias = serializers.CharField()
    age_band = serializers.ChoiceField(choices=DiscussionCase.AgeBand.choices)
    district = DiscussionRefSerializer()
    unit = DiscussionRefSerializer(help_text="The service that brought the case.")
    state = serializers.ChoiceField(choices=DiscussionCase.State.choices)
    created_at = serializers.DateTimeField()
    youth = serializers.IntegerField(allow_null=True, help_text="The named youth's id, once converted.")
    converted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    closing_reason = serializers.CharField(help_text="Why it was closed (empty while not closed).")
    content_shown = serializers.BooleanField()
    summary = serializers.CharField(allow_null=True)
    notes = DiscussionNoteSerializer(many=True, allow_null=True)
    confirmed_warnings = FindingSerializer(many=True, allow_null=True)
    actions = serializers.ListField(child=serializers.CharField())


class _Warnings(serializers.Serializer[Any]):
    confirm_warnings = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: the warnings listed in `warnings` are checked, the details do not identify the youth.",
    )
    warnings = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=MAX_WARNINGS,
        help_text="The keys of the warnings the 409 answer listed. A warning not listed here is not confirmed.",
    )

    def confirmed_warnings(self) -> list[str]:
        data = self.validated_data
        return list(data.get("warnings") or []) if data.get("confirm_warnings") else []


class DiscussionCaseCreateSerializer(_Warnings):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), help_text="A service you work in.")
    alias = serializers.CharField(max_length=60)
    age_band = serializers.ChoiceField(choices=DiscussionCase.AgeBand.choices)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    summary = serializers.CharField(max_length=NOTE_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            limit_choices(self, "unit", discussion_policy.proposing_units(request_user(self)))

    def service_data(self) -> dict[str, Any]:
        return case_create_data(self.validated_data, self.confirmed_warnings())


class DiscussionNoteCreateSerializer(_Warnings):
    text = serializers.CharField(max_length=NOTE_MAX)

    def service_data(self) -> dict[str, Any]:
        return {"text": self.validated_data["text"], "confirmed_warnings": self.confirmed_warnings()}


class DiscussionConvertSerializer(serializers.Serializer[Any]):
    youth = serializers.PrimaryKeyRelatedField(
        queryset=Youth.objects.none(), help_text="A youth you work with, with a consent in force."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            limit_choices(self, "youth", selectors.youths_for_discussion(user=request_user(self)))


class DiscussionCloseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=DiscussionCase.ClosingReason.choices)


class _UnconfirmedErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text='"unconfirmed_warnings"')
    message = serializers.CharField()
    warnings = FindingSerializer(many=True)


class UnconfirmedWarningsSerializer(serializers.Serializer[Any]):
    """The 409 answer when the details may identify the youth (the error format, with the warnings)."""

    error = _UnconfirmedErrorSerializer()
    request_id = serializers.CharField()
