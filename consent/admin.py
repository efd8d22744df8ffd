"""The legal-basis catalogue, for administrators. Consents, their versions and disclosures are
youth data: reached only through Laget's own pages and core.access, never through the admin.
Every change made here is audited by the admin site (core.admin_site)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin[LegalBasis]):
    list_display = ["title", "law_reference", "code", "active"]
    list_filter = ["active"]
    search_fields = ["title", "law_reference", "code"]

    def has_delete_permission(self, request: HttpRequest, obj: LegalBasis | None = None) -> bool:
        # Uses refer to the basis; retire it by making it inactive.
        return False
