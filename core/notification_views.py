"""The person's notifications (reminders and alerts): unread first, marked as read one by one
or all at once, with htmx or without."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .models import User
from .notifications import notification_mark_read, notifications_page, notifications_unread, notifications_unread_count

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if request.method == "POST":
        if request.POST.get("all"):
            for notification in notifications_unread(user=user, limit=PAGE_SIZE * 10):
                notification_mark_read(user=user, notification_id=notification.pk)
        else:
            raw = request.POST.get("id", "")
            if not raw.isdigit() or len(raw) > 18:
                return HttpResponse(status=400)
            notification_mark_read(user=user, notification_id=int(raw))
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect("core:notifications")
    shown = notifications_page(user=user, page=request.GET.get("side"), per_page=PAGE_SIZE)
    unread = notifications_unread_count(user=user)
    return render(
        request,
        "core/notification_list.html",
        {"notifications": shown.notifications, "page": shown.page, "unread": unread},
    )
