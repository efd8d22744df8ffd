"""Serializers of the intake API (referrals.intake.api).

They read and tidy what was sent, as referrals.intake.forms do for the pages: the choices a
person may make (the youths and anonymous cases they may propose or list, the services they
propose for, the district's followers) come from the same policy and selectors, and every rule
lives in referrals.intake.services. What the queue shows of a named youth is decided by
referrals.intake.selectors (the sharing policy): a row whose name is withheld carries neither
the name nor the youth's id.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.models import Youth
from consent.models import DiscussionCase
from core.api import limit_choices, request_user
from core.models import User
from core.validators import NOTE_MAX, REASON_MAX, TEXT_MAX
from org.models import District, Unit
from referrals.intake import policy, selectors
from referrals.intake.forms import OUTCOME_KEYS, propose_data
from referrals.models import IntakeCandidate, IntakeDecision, Outcome, Urgency
from teams.models import ListMeetingEntry, Meeting


class IntakeRefSerializer(serializers.Serializer[Any]):
    """A district or a service: its id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


# --- Reads -------------------------------------------------------------------------------------


class QueueRowSerializer(serializers.Serializer[Any]):
    """A candidate as the queue page shows it: an anonymous case by its alias, a named youth by
    name only when the sharing policy lets the caller's service see who the youth is."""

    id = serializers.IntegerField(source="candidate.pk")
    title = serializers.CharField(help_text="The alias, the youth's name, or «A named youth».")
    anonymous = serializers.SerializerMethodField()
    name_withheld = serializers.BooleanField(source="withheld", help_text="A named youth whose name is not shared.")
    youth = serializers.SerializerMethodField(help_text="The youth's id, only when the name is shown.")
    discussion = serializers.IntegerField(source="candidate.discussion_id", allow_null=True)
    urgency = serializers.ChoiceField(source="candidate.urgency", choices=Urgency.choices)
    reason = serializers.CharField(source="candidate.reason")
    proposed_by_unit = IntakeRefSerializer(source="candidate.proposed_by_unit")
    proposed_at = serializers.DateTimeField(source="candidate.created_at")
    outcome = serializers.CharField(source="candidate.outcome", help_text="Empty while not decided.")
    waiting_since = serializers.DateTimeField(source="candidate.waiting_since", allow_null=True)
    position = serializers.IntegerField(allow_null=True, help_text="The place on the waiting list (1 is next).")

    def get_anonymous(self, row: selectors.QueueRow) -> bool:
        return row.candidate.youth_id is None

    def get_youth(self, row: selectors.QueueRow) -> int | None:
        return row.candidate.youth_id if row.named else None


class QueueMeetingSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = ("id", "kind", "starts_at")


class QueueSerializer(serializers.Serializer[Any]):
    district = IntakeRefSerializer()
    may_decide = serializers.BooleanField()
    new = QueueRowSerializer(many=True)
    waiting = QueueRowSerializer(many=True, help_text="The waiting list, next first.")
    awaiting_consent = QueueRowSerializer(many=True)
    meetings = QueueMeetingSerializer(many=True, help_text="The district's intake and list meetings from a week ago.")


class CandidateSerializer(serializers.ModelSerializer[IntakeCandidate]):
    """A candidate as its proposer sent it."""

    class Meta:
        model = IntakeCandidate
        fields = ("id", "district", "youth", "discussion", "proposed_by_unit", "reason", "urgency", "outcome")


class DecisionSerializer(serializers.ModelSerializer[IntakeDecision]):
    class Meta:
        model = IntakeDecision
        fields = ("id", "candidate", "meeting", "outcome", "follower", "referred_to", "note", "decided_at")


class ListEntrySerializer(serializers.Serializer[Any]):
    """A youth or an anonymous case on a list meeting's list, as the list page shows it: the name
    and the police information only when the sharing policy opens them to the caller's service."""

    id = serializers.IntegerField(source="entry.pk")
    title = serializers.CharField()
    anonymous = serializers.BooleanField()
    name_withheld = serializers.BooleanField()
    youth = serializers.SerializerMethodField(help_text="The youth's id, only when the name is shown.")
    discussion = serializers.IntegerField(source="entry.discussion_id", allow_null=True)
    police_information = serializers.CharField(help_text="Empty when withheld (see police_withheld).")
    police_withheld = serializers.BooleanField()
    decision = serializers.CharField(source="entry.decision")
    recorded_at = serializers.DateTimeField(source="entry.recorded_at")

    def get_youth(self, row: selectors.EntryRow) -> int | None:
        return None if row.name_withheld else row.entry.youth_id


class ListEntryCreatedSerializer(serializers.ModelSerializer[ListMeetingEntry]):
    class Meta:
        model = ListMeetingEntry
        fields = ("id", "meeting", "youth", "discussion", "police_information", "decision", "recorded_at")


class CardSerializer(serializers.Serializer[Any]):
    """One candidate as the intake meeting's shared screen shows it (referrals.intake.selectors.
    intake_card): only what every person present may see. A named youth's name, exact age and
    id only when everyone present may see who the youth is; the school and the repeated-crime
    flag by their categories; `withheld` names in words what is not shown."""

    id = serializers.IntegerField(source="candidate.pk")
    title = serializers.CharField(help_text="The alias, the youth's name, or «A named youth».")
    anonymous = serializers.BooleanField()
    named = serializers.BooleanField(help_text="A named youth shown by name.")
    youth = serializers.SerializerMethodField(help_text="The youth's id, only when the name is shown.")
    discussion = serializers.IntegerField(source="candidate.discussion_id", allow_null=True)
    age = serializers.CharField(help_text="The exact age when the name is shown, otherwise the age band.")
    district = IntakeRefSerializer(source="candidate.district")
    proposed_by_unit = IntakeRefSerializer(source="candidate.proposed_by_unit")
    urgency = serializers.ChoiceField(source="candidate.urgency", choices=Urgency.choices)
    reason = serializers.CharField(source="candidate.reason")
    outcome = serializers.CharField(source="candidate.outcome", help_text="Empty while not decided.")
    position = serializers.IntegerField(allow_null=True, help_text="The place on the waiting list (1 is next).")
    summary = serializers.CharField(help_text="An anonymous case's concern.")
    school = serializers.CharField(help_text="Empty when withheld or unknown.")
    police_shown = serializers.BooleanField(help_text="Whether the repeated-crime flag is shown.")
    repeated_crime_years = serializers.ListField(child=serializers.IntegerField())
    withheld = serializers.ListField(child=serializers.CharField(), help_text="The categories not shown, in words.")
    decision = DecisionSerializer(allow_null=True, help_text="The decision made in this meeting, if any.")

    def get_youth(self, card: selectors.Card) -> int | None:
        return card.candidate.youth_id if card.named else None


class SummaryRowSerializer(serializers.Serializer[Any]):
    """A candidate of an intake meeting and the decision made in it, as the screen after the last
    candidate shows it (referrals.intake.selectors.meeting_summary): by name only when every
    person present may see who the youth is."""

    id = serializers.IntegerField(source="candidate.pk")
    title = serializers.CharField()
    anonymous = serializers.SerializerMethodField()
    decision = DecisionSerializer(allow_null=True)

    def get_anonymous(self, row: selectors.SummaryRow) -> bool:
        return row.candidate.youth_id is None


# --- Writes ------------------------------------------------------------------------------------


class ProposeSerializer(serializers.Serializer[Any]):
    """A named youth (with consent) or an anonymous case, for one district's intake queue."""

    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    youth = serializers.PrimaryKeyRelatedField(
        queryset=Youth.objects.none(), required=False, allow_null=True, help_text="A youth you work with."
    )
    discussion = serializers.PrimaryKeyRelatedField(
        queryset=DiscussionCase.objects.none(),
        required=False,
        allow_null=True,
        help_text="Or an open anonymous case you take part in.",
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), help_text="A service you work in.")
    reason = serializers.CharField(max_length=NOTE_MAX)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            user = request_user(self)
            limit_choices(self, "youth", selectors.propose_youth_choices(user=user))
            limit_choices(self, "discussion", selectors.propose_discussion_choices(user=user))
            limit_choices(self, "unit", policy.proposing_units(user))

    def service_data(self) -> dict[str, Any]:
        return propose_data(self.validated_data)


class DecideSerializer(serializers.Serializer[Any]):
    """One decision in an intake meeting. `follower` (when taken in): a follower of the district's
    one-to-one follow-up; `override_reason`: a leader lets them follow one more than the limit."""

    outcome = serializers.ChoiceField(choices=[(value, Outcome(value).label) for value in OUTCOME_KEYS])
    follower = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True)
    override_reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")
    referred_to = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            followers = selectors.followers_available(district=meeting.district_id)
            limit_choices(self, "follower", User.objects.filter(pk__in=[f.user.pk for f in followers]))

    def service_data(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "outcome": data["outcome"],
            "follower": data.get("follower"),
            "override_reason": data["override_reason"],
            "referred_to": data["referred_to"],
            "note": data["note"],
        }


class ListEntryCreateSerializer(serializers.Serializer[Any]):
    """A youth or an anonymous case discussed in a list meeting, with the police information and
    the decision (at least one of them)."""

    youth = serializers.PrimaryKeyRelatedField(queryset=Youth.objects.none(), required=False, allow_null=True)
    discussion = serializers.PrimaryKeyRelatedField(
        queryset=DiscussionCase.objects.none(), required=False, allow_null=True
    )
    police_information = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    decision = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None and "request" in self.context:
            user = request_user(self)
            limit_choices(self, "youth", selectors.list_youth_choices(user=user, meeting=meeting))
            limit_choices(self, "discussion", selectors.list_discussion_choices(user=user, meeting=meeting))

    def service_data(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "youth": data.get("youth"),
            "discussion": data.get("discussion"),
            "police_information": data["police_information"],
            "decision": data["decision"],
        }
