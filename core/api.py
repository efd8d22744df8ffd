"""API plumbing shared by every app: authentication, one error format, pagination (the JSON
parser is core.parsers)."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import context


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def error_response(code: str, message: str, http_status: int, **more: Any) -> Response:
    """An answer in the error format from an API view that turns a service's result into an
    error (a 409 with the possible duplicates); `more` goes into the error object."""
    return _error(code, message, http_status, more=more)


def _error(
    code: str, message: str, http_status: int, fields: Any = None, more: dict[str, Any] | None = None
) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": message, **(more or {})}}
    if fields:
        body["error"]["fields"] = fields
    body["request_id"] = context.current().request_id
    return Response(body, status=http_status)


def exception_handler(exc: Exception, ctx: dict[str, Any]) -> Response | None:
    """Every API error has one shape: {"error": {"code", "message", "fields"?}, "request_id"}."""
    if isinstance(exc, DjangoValidationError):
        fields: Any = exc.message_dict if hasattr(exc, "error_dict") else None
        message = " ".join(exc.messages)
        return _error("invalid", message, status.HTTP_400_BAD_REQUEST, fields)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, ctx)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}  # same shape as DRF's
        return _error("invalid", _("The request has errors. See the fields."), response.status_code, fields)
    if isinstance(exc, exceptions.Throttled):
        seconds = math.ceil(getattr(exc, "wait", None) or 1)
        message = ngettext(
            "Too many requests. Try again in %(seconds)s second.",
            "Too many requests. Try again in %(seconds)s seconds.",
            seconds,
        )
        result = _error("throttled", message % {"seconds": seconds}, status.HTTP_429_TOO_MANY_REQUESTS)
        if "Retry-After" in response:
            result["Retry-After"] = response["Retry-After"]
        return result
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        result = _error(code, str(exc.detail), response.status_code)
        for header in ("WWW-Authenticate", "Retry-After", "Allow"):
            if header in response:
                result[header] = response[header]
        return result
    return response
