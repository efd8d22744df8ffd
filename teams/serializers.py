"""Serializers of the team API (laget rundt ungdommen). Input serializers only read and tidy what
was sent (types, lengths, choices); the rules (who may be in the team, one lead, the lead leaves
last) live in teams.services and come back as the API's 400 format. What a member's contact
details show of the youth and the guardians follows consent.policy, decided by the API view
(teams.api) exactly as the team page decides it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.validators import REASON_MAX

from .models import TeamMember

# The largest id PostgreSQL's bigint holds: larger numbers are unknown ids, not server errors.
MAX_ID = 2**63 - 1

Kind = TeamMember.Kind
Role = TeamMember.Role

# The roles a staff member or an external person can have (the youth and the guardians have their
# own), as on the team page (teams.forms.ADULT_ROLES).
ADULT_ROLES = [(value, label) for value, label in Role.choices if value not in (Role.YOUTH, Role.GUARDIAN)]


# --- Output ------------------------------------------------------------------------------


# Who a member is, in the team now and in its history.
WHO = ["id", "kind", "role", "name", "service", "is_lead"]


class TeamMemberSerializer(serializers.ModelSerializer[TeamMember]):
    """A member of the team now. `phone` is the guardian's or the youth's phone (shown only when
    the consent policy opens family, or identity and contact, information to the caller's
    service; null otherwise); staff have their e-mail, external people their own details."""

    name = serializers.CharField(read_only=True)
    service = serializers.CharField(read_only=True, help_text="The unit, the organisation, or empty.")
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = TeamMember
        fields = [
            *WHO,
            "user",
            "unit",
            "guardian",
            "external_organisation",
            "email",
            "phone",
            "note",
            "starts_on",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_email(self, member: TeamMember) -> str | None:
        if member.kind == Kind.STAFF and member.user is not None:
            return str(member.user.email)
        if member.kind == Kind.EXTERNAL:
            return member.external_email or None
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, member: TeamMember) -> str | None:
        if member.kind == Kind.EXTERNAL:
            return member.external_phone or None
        if member.kind == Kind.GUARDIAN and member.guardian is not None:
            return member.guardian.phone or None
        if member.kind == Kind.YOUTH:  # the youth's phone as the sharing policy masked it (team_shown)
            return self.context.get("youth_phone")
        return None


class TeamHistorySerializer(serializers.ModelSerializer[TeamMember]):
    """One membership the team has had: who, from when to when, added and ended by whom, and why."""

    name = serializers.CharField(read_only=True)
    service = serializers.CharField(read_only=True)
    added_by_name = serializers.CharField(source="added_by.full_name", read_only=True, allow_null=True, default=None)
    ended_by_name = serializers.CharField(source="ended_by.full_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = TeamMember
        fields = [
            *WHO,
            "starts_on",
            "ends_on",
            "added_by_name",
            "ended_by_name",
            "end_reason",
        ]
        read_only_fields = fields


class TeamSerializer(serializers.Serializer[Any]):
    """The team around a youth as the team page shows it: the members now (lead first) and every
    membership it has had (latest first). Guardians are left out of both when the consent
    policy does not open family information to the caller's service (`guardians_withheld`)."""

    youth = serializers.IntegerField()
    lead = serializers.IntegerField(allow_null=True, help_text="The member who holds lead responsibility.")
    may_manage = serializers.BooleanField(help_text="May the caller add members, end them and pass the lead on?")
    guardians_withheld = serializers.BooleanField()
    guardians_stopped = serializers.CharField(
        allow_null=True,
        help_text="Why the guardians in the team are told nothing now (the youth is 18 and has not consented "
        "to involving them); null while they are told.",
    )
    members = TeamMemberSerializer(many=True)
    history = TeamHistorySerializer(many=True)


# --- Input -------------------------------------------------------------------------------


class TeamMemberAddSerializer(serializers.Serializer[Any]):
    """Someone to add: a staff member (`user` acting for `unit`, with a `role`), an external person
    (`external_name`, `role`, optional organisation and contact), a guardian (`guardian`, one of
    the youth's) or the youth. The first member is a staff member and takes lead responsibility;
    a later staff member takes it over with `is_lead`."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    role = serializers.ChoiceField(
        choices=ADULT_ROLES, required=False, allow_blank=True, help_text="For staff and external people."
    )
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Staff: the person.")
    unit = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Staff: the service the person takes part for."
    )
    guardian = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Guardian: one of the youth's guardians."
    )
    external_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    external_email = serializers.EmailField(required=False, allow_blank=True)
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="What they do in the team."
    )
    is_lead = serializers.BooleanField(required=False, default=False)


class TeamMemberEndSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why the membership ends (kept in the history).")
