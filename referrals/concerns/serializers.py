"""Serializers of the concern-report API (/api/v1/concern-reports/…). Output only: a KS Fiks
document comes in as the schema's JSON and is validated by referrals.concerns.ksfiks, not here."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ActionsField
from referrals.concerns import deadlines
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport


class DeadlineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named label, as the deadline's
    due = serializers.DateField()
    warn_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=[deadlines.MET, deadlines.OPEN, deadlines.WARNING, deadlines.OVERDUE])
    met_on = serializers.DateField(allow_null=True)


class ConcernReportSerializer(serializers.ModelSerializer[ConcernReport]):
    """A report in a list: its way and clocks, the reporter, how many children it names (their
    names and details are on the report's page, through the sharing policy)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    caseworker_name = serializers.CharField(source="caseworker.full_name", read_only=True, default=None)
    children_count = serializers.IntegerField(read_only=True)
    guardians_may_be_told = serializers.BooleanField(read_only=True)
    deadlines = serializers.SerializerMethodField()
    actions = ActionsField(
        concern_services.available_actions,
        help_text=(
            "The steps the report's state opens now (referrals.models.CONCERN_TRANSITIONS): close, open, extend, "
            "conclude, conclude_measures, feedback_opening, handover, intake, guardians. Whether the caller may "
            "take them is the access rules' word."
        ),
    )

    class Meta:
        model = ConcernReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "received_at",
            "channel",
            "kind",
            "active_case",
            "state",
            "reporter_kind",
            "reporter_name",
            "reporter_organisation",
            "caseworker",
            "caseworker_name",
            "children_count",
            "guardians_may_be_told",
            "deadlines",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, report: ConcernReport) -> Any:
        return DeadlineSerializer(deadlines.deadlines_for(report), many=True).data


class ImportedSerializer(serializers.Serializer[Any]):
    """The answer to an import: the new report, and whether it came from a public or private reporter."""

    id = serializers.IntegerField()
    reporter_kind = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    children = serializers.IntegerField()
    registered_youths = serializers.IntegerField(help_text="Children matched to a registered youth by fnr.")
    guardians = serializers.IntegerField()
    unmapped = serializers.ListField(
        child=serializers.CharField(),
        help_text="Paths in the document whose content was not taken into the report (kept in the original).",
    )
    original = serializers.CharField(help_text="Where the document is kept exactly as received.")
