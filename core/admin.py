"""Admin registrations of core. Every change made in the admin is audited by the site itself
(core.admin_site). Youth data is deliberately not registered: it is reached only through
core.access."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .api_tokens import api_token_revoke
from .models import ApiToken, AuditEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[Any]):  # typed for AbstractUser; Laget's User is an AbstractBaseUser
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the trail is append-only in the database too."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "youth_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_id", "request_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Administrators see who holds which key and may revoke it; nobody issues a key for someone
    else, and the secret is not stored, so it cannot be shown (core.api_tokens)."""

    list_display = ["user", "purpose", "prefix", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name", "purpose", "prefix"]
    fields = ("user", "purpose", "prefix", "created_at", "last_used_at", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        api_token_revoke(actor=cast(User, request.user), token_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for token_id in queryset.values_list("pk", flat=True):
            api_token_revoke(actor=cast(User, request.user), token_id=token_id)
