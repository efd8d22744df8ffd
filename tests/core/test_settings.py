"""Production settings refuse to start without their secrets, and are strict when they have them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-this-test-only",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/laget",
    "AUDIT_HMAC_KEY": "y" * 40,
    "ALLOWED_HOSTS": "laget.oslo.kommune.no",
}


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in GOOD and k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    return subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "AUDIT_HMAC_KEY"])
def test_production_refuses_to_start_without(missing: str) -> None:
    result = _start({k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key() -> None:
    result = _start({**GOOD, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_its_secrets_and_sends_hsts() -> None:
    result = _start(GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(60 * 60 * 24 * 365)


def test_production_refuses_a_short_audit_key() -> None:
    result = _start({**GOOD, "AUDIT_HMAC_KEY": "short"})
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY" in result.stderr
