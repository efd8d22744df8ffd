"""API plumbing shared by every app: authentication, one error format, pagination, and the
JSON parser that refuses what it cannot safely read."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.utils import json
from rest_framework.views import exception_handler as drf_exception_handler

from . import context

# No request body of ours nests deeper than a few levels; 32 leaves room and stays far below the
# interpreter's recursion limit, which a deeper document would otherwise hit (a 500).
MAX_JSON_DEPTH = 32
# A string (skipped whole, escapes included) or one bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def _json_depth(text: str) -> int:
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        part = match.group()
        if part in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif part in ("]", "}"):
            depth -= 1
    return deepest


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with bounds: a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413,
    and a body that is not UTF-8, nests deeper than MAX_JSON_DEPTH or is malformed in any other
    way is a 400 in the one error format (a deep document used to escape as a RecursionError)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        size = -1 if limit is None else limit + 1
        raw = b"" if stream is None else stream.read(size)
        if limit is not None and len(raw) > limit:
            raise BodyTooLarge(_("The request body is larger than %(limit)d bytes.") % {"limit": limit})
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from exc
        if _json_depth(text) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("The request body nests deeper than %(depth)d levels.") % {"depth": MAX_JSON_DEPTH}
            )
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from exc


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _error(code: str, message: str, http_status: int, fields: Any = None) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
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
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        result = _error(code, str(exc.detail), response.status_code)
        for header in ("WWW-Authenticate", "Retry-After", "Allow"):
            if header in response:
                result[header] = response[header]
        return result
    return response
