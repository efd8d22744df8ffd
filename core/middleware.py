"""Cross-cutting request handling: request id and client address, idle timeout,
two-factor enforcement, and the Content-Security-Policy header."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import audit, context

Handler = Callable[[HttpRequest], HttpResponse]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket's, or the one the n-th trusted proxy saw."""
    proxies: int = settings.LAGET_TRUSTED_PROXIES
    if proxies:
        header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give every request an id (kept from X-Request-ID when well-formed) for logs and audit."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = context.activate(context.RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


_LAST_SEEN = "laget_last_seen"
_LAST_SEEN_RESOLUTION = timedelta(minutes=1)


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than LAGET_IDLE_TIMEOUT (default 30 minutes)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen and now - datetime.fromisoformat(last_seen) > settings.LAGET_IDLE_TIMEOUT:
                user = request.user
                logout(request)
                audit.record(actor=user, action="auth.idle_timeout", target=user)
                minutes = int(settings.LAGET_IDLE_TIMEOUT.total_seconds() // 60)
                text = _("You were signed out after %(minutes)d minutes without activity.") % {"minutes": minutes}
                if request.path.startswith("/api/"):
                    return JsonResponse({"error": {"code": "session_expired", "message": text}}, status=401)
                messages.info(request, text)
                if request.htmx:  # type: ignore[attr-defined]
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse("core:login")
                    return response
                return redirect(f"{reverse('core:login')}?next={request.get_full_path()}")
            # Sessions live in the database: note the activity at most once a minute, not on every
            # request (the timeout is counted in minutes).
            if not last_seen or now - datetime.fromisoformat(last_seen) >= _LAST_SEEN_RESOLUTION:
                request.session[_LAST_SEEN] = now.isoformat()
        return self.get_response(request)


# Pages a signed-in person may reach before the second factor: the factor itself, sign-out,
# the language switch, health checks and static files.
_OTP_EXEMPT = ("/logg-inn/", "/logg-ut/", "/i18n/", "/healthz", "/static/", "/api/")


class RequireTwoFactorMiddleware:
    """Everyone who signs in is staff, and staff must complete two-factor login (TOTP).

    Password-only sessions reach nothing but the code and enrolment pages. The API checks
    the same for session authentication (core.api.VerifiedSessionAuthentication).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(_OTP_EXEMPT):  # type: ignore[attr-defined]
            return redirect(f"{reverse('core:otp')}?next={request.get_full_path()}")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy from settings (LAGET_CSP) on every response."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.LAGET_CSP_API_DOCS if request.path.startswith("/api/v1/docs/") else settings.LAGET_CSP
        response.setdefault("Content-Security-Policy", policy)
        return response


class LanguageMiddleware:
    """Norwegian bokmål unless the person has chosen another language in Laget.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: many staff run
    English-language browsers, and a municipal service speaks Norwegian until asked otherwise.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and `Pragma: no-cache` for HTTP/1.0 caches) on every response
    Laget renders: pages, PDFs, exports, calendar feeds and the API carry youth data, which no
    browser cache, shared computer's back button or proxy may keep. Static files are served
    before this middleware (WhiteNoise) and keep their long cache lifetime; the sign-in and error
    pages are not worth caching either, so there is no exception to get wrong."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view that already forbids storing (never_cache, the calendar feed's "private") keeps
        # its own words; anything else, a lifetime included, is replaced.
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
