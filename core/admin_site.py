"""The admin site: for verified administrators only, signed in through Laget's own sign-in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LagetAdminSite(admin.AdminSite):
    site_header = _("Laget administration")
    site_title = _("Laget administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and user.is_superuser and user.is_verified()  # type: ignore[attr-defined]
        )

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One sign-in for everyone: password and two-factor code, with lock-out.
        target = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('core:login')}?{urlencode({'next': target})}")
