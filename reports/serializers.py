from __future__ import annotations

from rest_framework import serializers

from core.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    who = serializers.CharField(read_only=True, help_text="The actor's name.")
    what = serializers.CharField(
        read_only=True, help_text="The object in words; a youth is named only where the caller may see the name."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "who",
            "what",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "youth_id",
            "request_id",
            "ip",
            "detail",
        ]
