"""The API twin of the unit audit trail page (reports.views.unit_audit)."""

from __future__ import annotations

from typing import Any

from rest_framework import generics

from core.models import AuditEvent
from org.selectors import unit_get

from . import audit_trail
from .serializers import AuditEventSerializer


class UnitAuditApi(generics.ListAPIView[AuditEvent]):
    """The audit trail of a unit's staff: for the unit's leaders (403 for other members)."""

    serializer_class = AuditEventSerializer

    def get_queryset(self) -> Any:
        unit = unit_get(user=self.request.user, pk=self.kwargs["pk"], action="view_audit")
        return audit_trail.unit_audit_events(user=self.request.user, unit=unit, detail={"via": "api"})

    def paginate_queryset(self, queryset: Any) -> Any:
        """The page's entries with who and what in words, as the page shows them
        (teams.audit_trail.unit_audit_rows decides which names the caller may see)."""
        page = super().paginate_queryset(queryset)
        events = list(queryset) if page is None else page
        for row in audit_trail.unit_audit_rows(user=self.request.user, events=events):
            row.event.who = row.who  # type: ignore[attr-defined]
            row.event.what = row.what  # type: ignore[attr-defined]
        return page
