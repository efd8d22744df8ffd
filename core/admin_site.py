"""The admin site: for verified administrators only, signed in through Laget's own sign-in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import audit


class AuditedAdminMixin:
    """Writes every change made in the admin to the audit trail."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        audit.record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            target=obj,
            detail={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(actor=request.user, action="admin.delete", target=obj, detail={"label": str(obj)})
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit.record(actor=request.user, action="admin.delete", target=obj, detail={"label": str(obj)})
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class LagetAdminSite(admin.AdminSite):
    site_header = _("Laget administration")
    site_title = _("Laget administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and user.is_superuser and user.is_verified()  # type: ignore[attr-defined]
        )

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Every registration, ours and third-party apps' (tokens, devices), is audited."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(f"Audited{admin_class.__name__}", (AuditedAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One sign-in for everyone: password and two-factor code, with lock-out.
        target = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('core:login')}?{urlencode({'next': target})}")
