"""API plumbing shared by every app: authentication, one error format, pagination (the JSON
parser is core.parsers)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import context

S = TypeVar("S", bound="serializers.Serializer[Any]")


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def valid_serializer(serializer_class: type[S], request: Request, **kwargs: Any) -> S:
    """The request's body checked by an input serializer (a 400 in the error format when it is
    not valid); the request is in its context, for serializers that offer the caller's choices."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


def validated(serializer_class: type[serializers.Serializer[Any]], request: Request, **kwargs: Any) -> dict[str, Any]:
    """The request's body as the input serializer validated it (see valid_serializer)."""
    return dict(valid_serializer(serializer_class, request, **kwargs).validated_data)


def request_user(serializer: serializers.Serializer[Any]) -> Any:
    """The person whose request the serializer checks (given by valid_serializer)."""
    return serializer.context["request"].user


def limit_choices(serializer: serializers.Serializer[Any], name: str, queryset: QuerySet[Any]) -> None:
    """Limit a field's choices to what the person may choose (as the page's form does)."""
    field = serializer.fields[name]
    assert isinstance(field, serializers.PrimaryKeyRelatedField)
    field.queryset = queryset


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class ActionsField(serializers.Field[Any, Any, list[str], Any]):
    """The actions an object's state opens now, as its workflow's transition table says
    (`available`, for example cases.services.followup_available_actions); read-only."""

    def __init__(self, available: Callable[[Any], Iterable[str]], **kwargs: Any) -> None:
        self.available = available
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> list[str]:
        return list(self.available(value))


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
