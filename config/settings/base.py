"""Settings shared by every environment. Everything that differs between machines is read
from the environment (12-factor), with safe defaults only where a default cannot hurt."""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelAdmin, ModelForm, ModelChoiceField, QuerySet...) take their type
# parameters at runtime too, so a subclass can name its model: `class UnitAdmin(ModelAdmin[Unit])`.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.apps.LagetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "core",
    "org",
    "teams",
    "cases",
    "consent",
    "referrals",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their cache lifetime), before everything that answers.
    "core.middleware.NoStoreMiddleware",
    "core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "core.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must be last: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.laget",
                "reports.menu.main_menu",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/laget"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# The cache is an optimisation only: when Redis is away, django-redis answers as a miss (and a
# write as done) after a short timeout, and the request goes on (IGNORE_EXCEPTIONS, logged).
CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "laget",
        "OPTIONS": CACHE_OPTIONS,
    }
}

# Sessions live in PostgreSQL alone, so signing in, every page and every save work while Redis is
# down, and a Redis restart logs nobody out (a cache in front of them could serve a session that
# was ended while Redis was unreachable).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "laget_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle timeout (security requirement): a session unused this long is logged out.
LAGET_IDLE_TIMEOUT = timedelta(minutes=env.int("IDLE_TIMEOUT_MINUTES", default=30))
# The cookie itself never outlives a working day, even for an active user.
SESSION_COOKIE_AGE = 12 * 60 * 60

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "core:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor login (django-otp, TOTP). Every signed-in person is staff and must verify.
OTP_TOTP_ISSUER = "Laget (Oslo kommune)"
OTP_TOTP_THROTTLE_FACTOR = 1
# Only local settings may show demo users their current code on screen; see local.py.
LAGET_SHOW_DEMO_OTP = False

# Lock-out after repeated failures (django-axes): per account and per address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Per account: in the municipality many people share one outgoing address, so locking by
# address would lock out a whole office after one person's typing errors.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that rotating user agents or cookies could dodge a lock-out keyed on them;
# ours is keyed on the account alone, which neither rotation changes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# One account, one count: every spelling of the e-mail is normalised first (core.lockout).
AXES_USERNAME_CALLABLE = "core.lockout.axes_username"
# Failures are cleared when the second factor succeeds (core.lockout.clear), not by the password
# step alone, so a known password cannot reset the count of wrong codes.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "core/login_locked.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# django-guardian: no anonymous user row; anonymous visitors have no object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "laget_language"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json, installed by make) and are collected as static files.
# node_modules exists where static files are collected (make, the image's build), not at run time.
_NPM = BASE_DIR / "node_modules"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
STATICFILES_DIRS += [
    (prefix, path)
    for prefix, path in [
        ("punkt", _NPM / "@oslokommune" / "punkt-css" / "dist"),
        ("punkt", _NPM / "@oslokommune" / "punkt-assets" / "dist"),
        ("htmx", _NPM / "htmx.org" / "dist"),
    ]
    if path.is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (signed consent forms) have no URL of their own: no MEDIA_URL, and nothing in
# config/urls.py or the web server serves MEDIA_ROOT. They are reached only through views that
# check access and audit (consent.views.consent_document).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that hangs must not outlive a sender's lease (LAGET_EMAIL_LEASE).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Laget <laget@oslo.kommune.no>")

# Content-Security-Policy: no inline scripts or styles, nothing from other origins.
LAGET_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
# The API documentation page (Redoc) needs inline styles and a blob: worker; nothing else does.
LAGET_CSP_API_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Number of trusted reverse proxies in front of the app; the client address is read from
# X-Forwarded-For only through them (0: use the socket address).
LAGET_TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token scheme first: its WWW-Authenticate header makes a failed call a 401.
        "core.authentication.BearerTokenAuthentication",
        "core.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON with bounds: size (DATA_UPLOAD_MAX_MEMORY_SIZE) and nesting depth, each a structured 4xx.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": "core.metadata.Metadata",
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Rate limits (core.throttling; they fail open while Redis is down). Per person: 1000 calls an
    # hour lets an integrating system page through a district's youths and write its changes
    # (a page is 50 to 200 rows) while stopping a runaway loop or a copied key that harvests
    # records. Per address before sign-in: 60 an hour, since anonymous callers reach only the
    # schema and the 401. Sign-in: failed passwords and codes per address (see SignInThrottle).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ApiUserThrottle", "core.throttling.ApiAnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_USER", default="1000/hour"),
        "anon": env.str("API_RATE_ANON", default="60/hour"),
        "signin": env.str("SIGNIN_FAILURES_PER_ADDRESS", default="50/hour"),
    },
}
# API keys (core.api_tokens): issued by their owner after two-factor sign-in, for a purpose, stored
# as a SHA-256 digest, valid for LAGET_API_TOKEN_DAYS unless the owner chooses fewer days (at most
# LAGET_API_TOKEN_MAX_DAYS), revocable by the owner and by administrators.
LAGET_API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
LAGET_API_TOKEN_MAX_DAYS = 365
SPECTACULAR_SETTINGS = {
    "TITLE": "Laget API",
    "DESCRIPTION": (
        "Case coordination for the services around young people at risk of crime in Oslo. "
        "Every endpoint goes through the access and consent policy and is audited."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a `role` or `kind` field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "StaffRoleEnum": "org.models.StaffRole.Role",
        "AssignmentRoleEnum": "cases.models.FollowUpAssignment.Role",
        "UnitKindEnum": "org.models.Unit.Kind",
        "TeamMemberRoleEnum": "teams.models.TeamMember.Role",
        "ConsentAnswerEnum": "consent.models.ConsentAnswer.Answer",
        "ConsentPartyEnum": "consent.models.ConsentVersion.Party",
        "DiscussionStateEnum": "consent.models.DiscussionCase.State",
        "ContactKindEnum": "cases.models.ContactKind",
        "OffenceKindEnum": "cases.models.Offence.Kind",
        "JusticeStepKindEnum": "cases.models.JusticeStep.Kind",
        "ClosingReasonEnum": "cases.models.FollowUp.ClosingReason",
        "FollowUpStateEnum": "cases.models.FollowUp.State",
        "CategoryEnum": "consent.models.Category",
        "MeetingKindEnum": "teams.models.MeetingKind",
        "MeetingStateEnum": "teams.models.Meeting.State",
        "ParticipantKindEnum": "teams.models.MeetingParticipant.Kind",
        "MinutesStateEnum": "teams.models.Minutes.State",
        "ActionItemStatusEnum": "teams.models.ActionItem.Status",
        "PlanGoalStatusEnum": "teams.models.PlanGoal.Status",
        "PlanAcknowledgementPartyEnum": "teams.models.PlanAcknowledgement.Party",
        "ConcernReportKindEnum": "referrals.models.ConcernReport.Kind",
        "ConcernFeedbackEnum": "referrals.concerns.serializers.FEEDBACK_KINDS",
        "ConcernOutcomeEnum": "referrals.concerns.serializers.CONCLUDE_OUTCOMES",
        "OutcomeEnum": "referrals.models.Outcome",  # the intake decision's, named as before the concern API
    },
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# The broker is only a doorbell (the outbox rows in PostgreSQL are the work): a request that queues
# a task after commit tries the broker briefly and goes on when it is away.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The e-mail outbox (core.notifications): what the doorbell task missed is sent within a minute.
    "notifications-deliver-due": {"task": "core.tasks.notifications_deliver_due", "schedule": timedelta(minutes=1)},
    "audit-seal": {"task": "core.tasks.audit_seal", "schedule": timedelta(minutes=1)},
    "audit-verify-nightly": {"task": "core.tasks.audit_verify", "schedule": crontab(hour=3, minute=15)},
    # Reminders (cases/reminders.py) are computed from the data and the clock and stored once per
    # key, so the morning ones repeat hourly until 16:00 to catch up after a worker or beat outage.
    "cases-reporting-reminders": {"task": "cases.tasks.reporting_reminders", "schedule": timedelta(minutes=15)},
    "cases-no-contact": {"task": "cases.tasks.no_contact_check", "schedule": crontab(hour="7-16", minute=0)},
    "cases-outcome-reminders": {"task": "cases.tasks.outcome_reminders", "schedule": crontab(hour="7-16", minute=5)},
    "cases-drafts-expire": {"task": "cases.tasks.drafts_expire", "schedule": crontab(hour=3, minute=30)},
    "consent-lapsed-at-18": {
        "task": "consent.tasks.consents_lapsed_at_18",
        "schedule": crontab(hour="7-16", minute=10),
    },
    "consent-expiring": {"task": "consent.tasks.consents_expiring", "schedule": crontab(hour="7-16", minute=15)},
    # Meetings and action items (teams/reminders.py): the same pattern, computed from the data and
    # the clock, stored once per key. The weekly digest is tried each working hour of every day, so
    # a Monday missed in an outage goes out on the next run (its key is the ISO week).
    "teams-meeting-reminders": {"task": "teams.tasks.meeting_reminders", "schedule": timedelta(minutes=15)},
    "teams-meeting-changes": {"task": "teams.tasks.meeting_changes", "schedule": timedelta(minutes=15)},
    "teams-action-item-reminders": {"task": "teams.tasks.action_item_reminders", "schedule": timedelta(minutes=15)},
    "teams-overdue-digest": {"task": "teams.tasks.overdue_digest", "schedule": crontab(hour="7-16", minute=20)},
    "teams-plan-review-reminders": {
        "task": "teams.tasks.plan_review_reminders",
        "schedule": crontab(hour="7-16", minute=35),
    },
    # Turning 18 (teams/transition/alerts.py): the step in force is alerted once per key, tried each
    # working hour so a run missed in an outage catches up.
    "teams-turning-18-alerts": {
        "task": "teams.tasks.turning_18_alerts",
        "schedule": crontab(hour="7-16", minute=40),
    },
    # Concern reports (referrals/concern_reminders.py): deadlines by the Oslo calendar day, tried
    # each working hour so a missed morning catches up; stored once per key.
    "referrals-concern-deadlines": {
        "task": "referrals.tasks.concern_deadline_reminders",
        "schedule": crontab(hour="7-16", minute=25),
    },
    "referrals-handover-gaps": {
        "task": "referrals.tasks.concern_handover_gaps",
        "schedule": crontab(hour="7-16", minute=30),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.context.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Axes logs every sign-in at INFO; the audit trail already records them.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

# Laget's own rules and numbers (DOMAIN.md), each a setting.
LAGET_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
LAGET_NO_CONTACT_DAYS = env.int("NO_CONTACT_DAYS", default=14)
LAGET_DRAFT_TTL = timedelta(days=env.int("DRAFT_TTL_DAYS", default=7))
LAGET_OUTCOME_INTERVAL_MONTHS = 3
# A youth's plan is reviewed this many months after it is made or last reviewed (issue 13); the
# lead is reminded this many days before a review is due, and once when it is overdue.
LAGET_PLAN_REVIEW_MONTHS = env.int("PLAN_REVIEW_MONTHS", default=3)
LAGET_PLAN_REVIEW_REMINDER_DAYS = env.int("PLAN_REVIEW_REMINDER_DAYS", default=14)
# The plan is written for the youth: its writer is warned gently when its readability index
# (LIX, teams.plans.readability) is above this (40: the border between easy and medium text).
LAGET_PLAN_LIX_WARNING = env.int("PLAN_LIX_WARNING", default=40)
# Turning 18 (issue 14): the lead follower, the coordinator and the unit's leader are alerted this
# many months before a youth in follow-up turns 18 (teams.transition.alerts), and how long each
# service may follow a youth (teams.transition.policy.age_limit): the one-to-one follow-up (the
# service holding the youth's follow-up) to 18, SaLTo to 24, barnevern's aftercare to 25.
LAGET_TURNING_18_ALERT_MONTHS = tuple(env.list("TURNING_18_ALERT_MONTHS", cast=int, default=[12, 6, 3, 1]))
LAGET_SERVICE_AGE_LIMITS = {"one_to_one": 18, "salto": 24, "barnevern": 25}
LAGET_REPORTING_REMINDER_HOURS = env.int("REPORTING_REMINDER_HOURS", default=24)
# Meeting reminders go to the staff participants this many hours before the start; action items
# are reminded to their owner this many days before they fall due (and once when overdue).
LAGET_MEETING_REMINDER_HOURS = env.int("MEETING_REMINDER_HOURS", default=24)
LAGET_ACTION_ITEM_DUE_DAYS = env.int("ACTION_ITEM_DUE_DAYS", default=2)
LAGET_REPEATED_CRIME_THRESHOLD = 4
# The duplicate check when registering a youth (cases.services): different national identity
# numbers or names one person may check in an hour, so it cannot be used to find who is followed.
LAGET_DUPLICATE_CHECKS_PER_HOUR = env.int("DUPLICATE_CHECKS_PER_HOUR", default=40)

# The audit trail's key (core.audit): entries and the chain are HMAC-SHA-256 with it, so whoever can
# write the tables but does not hold the key cannot rewrite them unnoticed. It lives outside the
# database (the environment); production refuses to start without it, local and test settings set
# their own. Each seal is also appended to LAGET_AUDIT_CHECKPOINT_FILE, when set (docs/deployment.md).
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
LAGET_AUDIT_CHECKPOINT_FILE = env.str("AUDIT_CHECKPOINT_FILE", default="")
# The database role the application runs as (web, worker, beat): it owns nothing, may not update
# or delete audit rows and cannot disable triggers; migrations run as the owner and grant it.
LAGET_DB_APP_ROLE = env.str("DB_APP_ROLE", default="laget_app")
# The e-mail outbox: a sender holds a row this long before another may try it (a sender that died
# mid-send); a failing e-mail is retried with growing pauses and given up after this many attempts
# (about a day), shown on /healthz and the leaders' home page.
LAGET_EMAIL_LEASE = timedelta(minutes=env.int("EMAIL_LEASE_MINUTES", default=10))
LAGET_EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=12)
