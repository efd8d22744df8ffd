"""The JSON parser of the API (REST_FRAMEWORK DEFAULT_PARSER_CLASSES): DRF's, with bounds.

A module of its own, importing nothing of rest_framework.views: DRF reads DEFAULT_PARSER_CLASSES
while it defines APIView, so this module must import completely before that.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

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
