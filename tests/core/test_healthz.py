from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_postgresql_and_redis_answer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"postgresql": "ok", "redis": "ok"},
        "email": {"waiting": 0, "oldest_seconds": 0, "failed": 0},
    }


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_answers_503_and_names_redis_when_redis_is_unreachable(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["postgresql"] == "ok"
    assert body["checks"]["redis"].startswith("error")


def test_healthz_needs_no_sign_in_and_sets_no_cookie(client: Client) -> None:
    response = client.get("/healthz")
    assert not response.cookies
