"""The demo app is installed by the local and test settings only, never by production's."""

from __future__ import annotations

import importlib
import os

import pytest

from config.settings import base, local


def test_the_demo_is_installed_locally_and_not_in_the_base_settings() -> None:
    assert "demo" in local.INSTALLED_APPS
    assert "demo" not in base.INSTALLED_APPS


def test_production_does_not_install_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "SECRET_KEY": "test-only-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "AUDIT_HMAC_KEY": "test-only-audit-key-0123456789abcdef",
        "ALLOWED_HOSTS": "laget.oslo.kommune.no",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/laget"),
    }.items():
        monkeypatch.setenv(name, value)
    production = importlib.import_module("config.settings.production")

    assert "demo" not in production.INSTALLED_APPS
