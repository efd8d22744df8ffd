"""Schemathesis drives every operation of the OpenAPI schema against a live test server,
with generated (and malformed) input, signed in and not: no response may be a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from ..conftest import People
from ..factories import api_key

api_schema = schemathesis.pytest.from_fixture("live_api_schema")


@pytest.fixture
def live_api_schema(live_server: Any, people: People) -> Any:
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")


@pytest.fixture
def auth_headers(people: People) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key(people.leader)}"}


@api_schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db(transaction=True)
def test_no_operation_answers_with_a_server_error(case: Any, live_server: Any, auth_headers: dict[str, str]) -> None:
    case.call_and_validate(base_url=live_server.url, headers=auth_headers, checks=[not_a_server_error])
    case.call_and_validate(base_url=live_server.url, checks=[not_a_server_error])
