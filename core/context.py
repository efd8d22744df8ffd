"""What the current request is: who, from where, under which request id.

Set by core.middleware.RequestContextMiddleware, read by core.audit and by logging.
Celery tasks and management commands run with an empty context (system actor).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


# The default is a frozen (immutable) dataclass, so sharing it between contexts is safe.
_current: ContextVar[RequestContext] = ContextVar("laget_request", default=RequestContext())  # noqa: B039


def current() -> RequestContext:
    return _current.get()


def activate(ctx: RequestContext) -> object:
    return _current.set(ctx)


def deactivate(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get().request_id or "-"
        return True
