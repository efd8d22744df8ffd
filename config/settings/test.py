"""Settings for the test suite: real PostgreSQL and Redis, fast password hashing."""

import os

from .base import *  # noqa: F403
from .base import CACHE_OPTIONS, INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # the demo data's tests (tests/demo/)

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105 (a fixed key is what tests need)
AUDIT_HMAC_KEY = "test-only-audit-key-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _cache_url() -> str:
    """Redis database 15 (or TEST_CACHE_URL's), one lower for each further pytest-xdist worker:
    tests clear the cache, so workers must not share a database (the test database is already
    one per worker, pytest-django's test_laget_gw0, _gw1...)."""
    url = env.str("TEST_CACHE_URL", default="redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number) - int(worker.removeprefix('gw'))}"


CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": _cache_url(),
        "KEY_PREFIX": "laget-test",
        "OPTIONS": CACHE_OPTIONS,
    }
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
LAGET_SHOW_DEMO_OTP = False
ALLOWED_HOSTS = ["*"]
