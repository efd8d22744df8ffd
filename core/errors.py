"""The error pages (400, 403, 404, 500): Norwegian, in the Punkt look, with the request id that
support can find in the logs, and nothing else: no path, no exception, no user data.

They are rendered from templates/errors/ with a plain context (no request context processors),
so they need neither the database nor the session: the 500 page must render when those are what
failed. The language is whatever LocaleMiddleware chose for the request (Norwegian by default).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader

from . import context


def _render(template: str, status: int) -> HttpResponse:
    body = loader.get_template(template).render({"request_id": context.current().request_id})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None, **kwargs: Any) -> HttpResponse:
    return _render("400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None, **kwargs: Any) -> HttpResponse:
    return _render("403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None, **kwargs: Any) -> HttpResponse:
    return _render("404.html", 404)


def server_error(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return _render("500.html", 500)
