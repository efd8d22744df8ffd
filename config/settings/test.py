"""Settings for the test suite: real PostgreSQL and Redis, fast password hashing."""

from .base import *  # noqa: F403
from .base import CACHE_OPTIONS, INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # the demo data's tests (tests/demo/)

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105 (a fixed key is what tests need)
AUDIT_HMAC_KEY = "test-only-audit-key-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env.str("TEST_CACHE_URL", default="redis://127.0.0.1:6379/15"),
        "KEY_PREFIX": "laget-test",
        "OPTIONS": CACHE_OPTIONS,
    }
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
LAGET_SHOW_DEMO_OTP = False
ALLOWED_HOSTS = ["*"]
