"""Each person's calendar (/kalender/): their coming meetings and open action items, and the
secret address of their iCalendar feed (made, shown once, revoked, made anew).

The page shows the signed-in person's own meetings and items only (teams.calendar.feed);
people without a role in force get 403. The feed (/kalender/feed/<token>.ics) is for calendar
programs: no session and no cookies, a wrong or revoked token is a plain 404, and what it
serves names the meeting type only, never the youth (teams.calendar.feed).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core import access
from teams.calendar import feed as calendar
from teams.calendar import services as calendar_services


def _page(request: HttpRequest, *, new_address: str = "", status: int = 200, error: str = "") -> HttpResponse:
    user = access.signed_in(request.user)
    context = {
        "page": calendar.calendar_page(user=user),
        "feed": calendar_services.calendar_feed_active(user=user),
        "new_address": new_address,
        "new_webcal": new_address.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "error": error,
        "due_days": settings.LAGET_ACTION_ITEM_DUE_DAYS,
    }
    return render(request, "teams/calendar_page.html", context, status=status)


@never_cache  # the page is personal, and a new secret address is shown on it once
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST action=create makes a new secret address (revoking the one in force)
    and shows it once, on this response; action=revoke revokes it."""
    if not calendar_services.calendar_feed_allowed(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _page(request)
    action = request.POST.get("action", "")
    if action == "create":
        _feed, token = calendar_services.calendar_feed_create(actor=request.user)
        address = f"{settings.LAGET_BASE_URL}{reverse('calendar:feed', args=[token])}"
        # Shown on this response only: the token is not stored, and not put in the session.
        return _page(request, new_address=address)
    if action == "revoke":
        if calendar_services.calendar_feed_revoke(actor=request.user) is None:
            messages.info(request, _("You had no calendar address to revoke."))
        else:
            messages.success(request, _("The calendar address is revoked: it shows nothing any more."))
        return redirect("calendar:calendar")
    return _page(request, status=400, error=_("Choose whether to make a new address or revoke the one you have."))


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's feed for calendar programs. The token is the only key: the session (if any)
    is not looked at, nothing is set on the response, and a wrong or revoked token gets the same
    bare 404 (no page that could set a cookie)."""
    feed = calendar_services.calendar_feed_open(token=token)
    if feed is None:
        return HttpResponseNotFound(b"Not found\n", content_type="text/plain; charset=utf-8")
    with translation.override(settings.LANGUAGE_CODE):
        body = calendar.feed_calendar(user=feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="laget.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
