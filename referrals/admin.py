"""Admin registrations of referrals, for administrators (core.admin_site audits every change).

- Schools' fixed barnevern contacts (routine 1) are kept here: which caseworker a school calls,
  from when to when. A contact is never deleted: it is ended (`ends_on`), so the history stays.
- Concern reports are shown read-only and only by their workflow: state, dates, the service and
  the caseworker. What a report says and whom it is about is youth data, reached only through
  Laget's own pages (core.access, the consent policy, the audit trail); every step is taken there
  too, by the services that write the report's events. Intake candidates are not registered at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ConcernReport, SchoolContact

# What the admin shows of a concern report: its workflow, nothing about the child or the concern.
WORKFLOW_FIELDS: tuple[str, ...] = (
    "unit",
    "received_at",
    "channel",
    "kind",
    "reporter_kind",
    "state",
    "caseworker",
    "reviewed_at",
    "investigation_started_on",
    "investigation_extended",
    "investigation_concluded_on",
    "guardians_may_be_told_at",
    "receipt_sent_at",
    "opening_feedback_sent_at",
    "conclusion_feedback_sent_at",
    "contact_person",
    "measures_started_on",
    "created_at",
)


class ActiveFilter(admin.SimpleListFilter):
    title = _("in force or ended")
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In force")), ("no", _("No longer in force"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(ends_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ends_on__isnull=False)
        return queryset


@admin.register(SchoolContact)
class SchoolContactAdmin(admin.ModelAdmin[SchoolContact]):
    list_display = ["school", "contact", "barnevern_unit", "starts_on", "ends_on"]
    list_filter = [ActiveFilter, "barnevern_unit__district"]
    search_fields = ["school__name", "contact__full_name", "contact__email"]
    autocomplete_fields = ["school", "barnevern_unit", "contact"]
    ordering = ["school__name", "-starts_on"]
    list_select_related = ["school", "contact", "barnevern_unit"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # End a contact (ends_on) instead: the school's history of contacts is kept.
        return False


@admin.register(ConcernReport)
class ConcernReportAdmin(admin.ModelAdmin[ConcernReport]):
    """Read-only, the workflow only: no child, guardian, reporter or report text."""

    list_display = [
        "id",
        "received_at",
        "unit",
        "kind",
        "channel",
        "state",
        "caseworker",
        "investigation_started_on",
        "investigation_extended",
    ]
    list_filter = ["state", "kind", "channel", "unit__district"]
    date_hierarchy = "received_at"
    ordering = ["-received_at", "-id"]
    list_select_related = ["unit", "caseworker"]
    fields = WORKFLOW_FIELDS
    readonly_fields = WORKFLOW_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
