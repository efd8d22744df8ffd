"""Settings for a developer's machine and `make demo`. Never used in production."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# The demo data (`manage.py seed_demo`, `make demo`, `make bench`): here and in the tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

DEBUG = env.bool("DEBUG", default=True)
# `make demo` runs with DEBUG off (users see Laget's error pages, core.errors); WhiteNoise then
# serves the static files from the finders, so no collectstatic is needed, and picks up edits.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = env.str("SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production")
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="local-only-audit-key-do-not-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# The demo: demo users are enrolled in two-factor login with known secrets (see seed_demo), and
# here, and only here, the code screen shows their current code with a warning banner.
LAGET_SHOW_DEMO_OTP = env.bool("SHOW_DEMO_OTP", default=True)
