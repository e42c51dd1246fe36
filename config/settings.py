"""Idhini settings: one module, read from the environment (see .env.example).

Development needs nothing set: SQLite under var/, tasks in-process, mail to the console.
Production (DJANGO_DEBUG unset or 0) refuses to start without DJANGO_SECRET_KEY.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import csp
from config.api import conf as api_conf
from config.database import database_config
from config.env import days_in_order, env_bool, env_int, env_json_object, env_list, env_str
from config.logs import logging_config
from config.storage import attachments_storage_config, storages_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("IDHINI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or env_bool("IDHINI_TESTING", False)
DEBUG = env_bool("DJANGO_DEBUG", False)

# Commands that only write files from the code (no request, no session, no signed value) need no
# secret: a developer or a hook may run them with production settings.
_OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
_OFFLINE = (
    len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") and sys.argv[1] in _OFFLINE_COMMANDS
)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING or _OFFLINE:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production-idhini-0000000000"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG or TESTING else [],
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("IDHINI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where a servant signs in to a new government mailbox (the web mail of the Government Mailing
# System), named in the "mailbox created" e-mail; empty: the e-mail names no address.
MAIL_LOGIN_URL = env_str("IDHINI_MAIL_LOGIN_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "forms_templates",
    "workflow",
    "approvals",
    "notifications",
    "similar",
    "portal",
]

MIDDLEWARE = [
    # First: every answer, a redirect too, carries its X-Request-ID (config/logs.py).
    "config.logs.RequestContextMiddleware",
    # Next: work deferred by a request (the seal, without a broker) runs after its answer.
    "config.after_response.AfterResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.RejectUnstorableTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SwahiliFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during the request into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The header's unread count: a callable, counted only where a page shows it.
                "portal.context_processors.unread_notifications",
                # The agency's name as configured (lazy: read only where a page shows it).
                "portal.context_processors.agency",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL: server-side binding and prepared statements (config/database.py); 0 for a pooler
# that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL"),
        VAR_DIR / "idhini.sqlite3",
        server_side_binding=env_bool("IDHINI_DB_SERVER_SIDE_BINDING", True),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# New passwords get Argon2id at OWASP's parameters (config/passwords.py says why); the others
# still verify (passwords set before) and are re-hashed with the first at the next sign-in or
# signature that checks them.
PASSWORD_HASHERS = [
    "config.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS
if TESTING:
    # Hashing cost is not what the tests measure (tests/workflow/test_password_hashing.py
    # checks the production list).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Password guessing (workflow/signin.py): django-axes refuses an account after this many wrong
# passwords (browser login, API token, password at signing), counted per username from every
# address, until this many minutes pass without another counted failure, or an administrator
# deletes the record (admin: Axes > Access attempts). Each failure is recorded per username,
# address and browser; the lockout sums the username's records. The second parameter (username
# + address) never decides (its sum is part of the username's) and costs a password check one
# statement; it stays because django-axes' own check (axes.W006) warns of a configuration
# without the address, and `check --deploy` must stay clean without silencing a security check.
AUTHENTICATION_BACKENDS = [
    "workflow.signin.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOCKOUT_FAILURES = env_int("IDHINI_LOCKOUT_FAILURES", 10, minimum=1)
LOCKOUT_MINUTES = env_int("IDHINI_LOCKOUT_MINUTES", 30, minimum=1)
AXES_FAILURE_LIMIT = LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused without being counted: the lockout ends on time, and
# someone hammering a locked account cannot keep its owner out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "workflow.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "workflow.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# API tokens (workflow/tokens.py): refused this many hours after they were issued.
TOKEN_TTL = timedelta(hours=env_int("IDHINI_TOKEN_TTL", 24, minimum=1))
# The second factor (workflow/second_factor.py): a TOTP app and recovery codes. Required of
# signatories and reviewers when on (default in production; off in development and the demo).
# django-otp's own exponential throttle is off: django-axes counts wrong codes with the wrong
# passwords, and locks the account the same way.
REQUIRE_2FA = env_bool("IDHINI_REQUIRE_2FA", not (DEBUG or TESTING))
OTP_TOTP_ISSUER = "Idhini"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A browser session lasts a working day; "this is a shared computer" at login ends it when the
# browser closes (config/auth_views.py).
SESSION_COOKIE_AGE = env_int("IDHINI_SESSION_HOURS", 8, minimum=1) * 3600
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- Language -------------------------------------------------------------------------------
LANGUAGE_CODE = "sw"
LANGUAGES = [("sw", _("Swahili")), ("en", _("English"))]
# locale/ is extracted from our code by `make messages`; locale_third_party/ holds Swahili for
# the messages of libraries that ship none (Django REST framework), kept by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_third_party"]
USE_I18N = True
TIME_ZONE = "Africa/Dar_es_Salaam"
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Sealed PDFs and previews go through the default storage: MEDIA_ROOT, or with IDHINI_STORAGE=s3
# an S3-compatible bucket that several web hosts share (config/storage.py, IDHINI_S3_*).
FILE_STORAGE = env_str("IDHINI_STORAGE", "filesystem")
S3_STORAGE = {
    "bucket_name": env_str("IDHINI_S3_BUCKET"),
    "endpoint_url": env_str("IDHINI_S3_ENDPOINT_URL"),  # unset: AWS
    "region_name": env_str("IDHINI_S3_REGION"),
    # Unset: boto3's own chain (AWS_ACCESS_KEY_ID..., an instance role).
    "access_key": env_str("IDHINI_S3_ACCESS_KEY_ID"),
    "secret_key": env_str("IDHINI_S3_SECRET_ACCESS_KEY"),
    "location": env_str("IDHINI_S3_PREFIX"),  # a folder in the bucket
    "addressing_style": env_str("IDHINI_S3_ADDRESSING_STYLE"),  # path, virtual or auto
}
STORAGES = {
    "default": storages_config(kind=FILE_STORAGE, s3=S3_STORAGE),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Annexes: their own storage (config/storage.py), beside the sealed PDFs unless named.
_attachment_backend = env_str("IDHINI_ATTACHMENT_STORAGE_BACKEND")
STORAGES["attachments"] = attachments_storage_config(
    backend=_attachment_backend,
    options=env_json_object("IDHINI_ATTACHMENT_STORAGE_OPTIONS", {}) if _attachment_backend else {},
    kind=FILE_STORAGE,
    s3=S3_STORAGE,
)

# Uploads: limited before parsing. Django refuses bodies larger than this outright.
UPLOAD_MAX_BYTES = env_int("IDHINI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
ATTACHMENT_MAX_BYTES = env_int("IDHINI_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
VERIFY_UPLOAD_MAX_BYTES = env_int("IDHINI_VERIFY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The edit form posts one field per table cell: 500 rows of a wide table must fit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Idhini <idhini@ega.go.tz>")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# No broker: tasks run in-process (after commit, where the caller asks for that).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The web request must never wait for a broker that is down: fail fast, the outbox keeps the work.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "visibility_timeout": 3600,
}
CELERY_TIMEZONE = TIME_ZONE
# A transaction's several tasks arrive as one message, which config.publish.start_tasks unpacks.
CELERY_IMPORTS = ("config.publish",)
# Celery's Django fixup otherwise closes every database connection before and after each task
# (a new PostgreSQL connection per e-mail). celery_app closes them the way Django does instead:
# when broken or older than CONN_MAX_AGE.
CELERY_DB_REUSE_MAX = 1_000_000

# --- Notifications: outbox delivery, reminders and escalation ------------------------------
# The sweep re-enqueues outbox rows still pending (e.g. the broker was down at commit); a row is
# swept only after this long, so a freshly enqueued one is not queued twice.
OUTBOX_SWEEP_SECONDS = env_int("IDHINI_OUTBOX_SWEEP_SECONDS", 60, minimum=1)
# A row claimed by a worker that died is given to another after this long. Longer than the
# task's hard time limit, so a slow but live send is never taken over.
OUTBOX_LEASE_SECONDS = env_int("IDHINI_OUTBOX_LEASE_SECONDS", 300, minimum=1)
# Days a step may wait on a person before a daily reminder, and before escalation. MAILBOX: an
# approved mailbox request not yet created (approvals.provisioning).
REMINDER_DAYS_SIGNATURE = env_int("IDHINI_REMINDER_DAYS_SIGNATURE", 3, minimum=1)
REMINDER_DAYS_QUEUE = env_int("IDHINI_REMINDER_DAYS_QUEUE", 2, minimum=1)
REMINDER_DAYS_REVIEW = env_int("IDHINI_REMINDER_DAYS_REVIEW", 5, minimum=1)
REMINDER_DAYS_MAILBOX = env_int("IDHINI_REMINDER_DAYS_MAILBOX", 2, minimum=1)
ESCALATION_DAYS_SIGNATURE = env_int("IDHINI_ESCALATION_DAYS_SIGNATURE", 7, minimum=1)
ESCALATION_DAYS_QUEUE = env_int("IDHINI_ESCALATION_DAYS_QUEUE", 5, minimum=1)
ESCALATION_DAYS_REVIEW = env_int("IDHINI_ESCALATION_DAYS_REVIEW", 10, minimum=1)
ESCALATION_DAYS_MAILBOX = env_int("IDHINI_ESCALATION_DAYS_MAILBOX", 5, minimum=1)
days_in_order(
    SIGNATURE=(REMINDER_DAYS_SIGNATURE, ESCALATION_DAYS_SIGNATURE),
    QUEUE=(REMINDER_DAYS_QUEUE, ESCALATION_DAYS_QUEUE),
    REVIEW=(REMINDER_DAYS_REVIEW, ESCALATION_DAYS_REVIEW),
    MAILBOX=(REMINDER_DAYS_MAILBOX, ESCALATION_DAYS_MAILBOX),
)
# The agency's target for a decision, in days from first submission (the dashboard's share
# "decided within the target").
DECISION_TARGET_DAYS = env_int("IDHINI_DECISION_TARGET_DAYS", 14, minimum=1)
# Local hour (TIME_ZONE) at which the daily reminders go out.
REMINDER_HOUR = env_int("IDHINI_REMINDER_HOUR", 8, minimum=0)
if REMINDER_HOUR > 23:
    raise ImproperlyConfigured(f"IDHINI_REMINDER_HOUR must be 0 to 23, not {REMINDER_HOUR}")
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
        # A sweep that waited longer than its interval (worker down) is pointless: drop it.
        "options": {"expires": float(OUTBOX_SWEEP_SECONDS)},
    },
    "notifications-send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=0),
    },
}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = api_conf.rest_framework(
    testing=TESTING,
    verify_rate=env_str("IDHINI_VERIFY_RATE", "60/min"),
    auth_rate=env_str("IDHINI_AUTH_RATE", "30/min"),
    num_proxies=env_int("IDHINI_NUM_PROXIES", 0, minimum=0),  # proxies before us (rate limits)
)
SPECTACULAR_SETTINGS = api_conf.SPECTACULAR_SETTINGS

# How many processes serve the web (gunicorn --workers; every web host's together). Above one,
# `check --deploy` asks for a shared cache (IDHINI_CACHE_URL): rate limits live in the cache.
WEB_PROCESSES = env_int("IDHINI_WEB_PROCESSES", 1, minimum=1)
_cache_url = env_str("IDHINI_CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "idhini"}
}

# --- Idhini ---------------------------------------------------------------------------------
SEAL_KEY_PATH = env_str("SEAL_KEY_PATH")
SEAL_CERT_PATH = env_str("SEAL_CERT_PATH")
SEAL_TSA_URL = env_str("SEAL_TSA_URL")
# PDFs render in a forked child: killed after this many seconds, or past this many MiB beyond
# the size of the process it was forked from.
PDF_RENDER_TIMEOUT = env_int("IDHINI_PDF_RENDER_TIMEOUT", 60, minimum=1)
PDF_RENDER_MEMORY_MB = env_int("IDHINI_PDF_RENDER_MEMORY_MB", 1024, minimum=64)
# Without a broker, an approval's seal runs after the response (config/after_response.py): in a
# thread of its own ("thread"), or in the server's thread once the answer is sent ("inline",
# what the tests' client needs).
AFTER_RESPONSE = env_str("IDHINI_AFTER_RESPONSE", "inline" if TESTING else "thread")
if AFTER_RESPONSE not in ("thread", "inline"):
    raise ImproperlyConfigured(
        f"IDHINI_AFTER_RESPONSE must be “thread” or “inline”, not {AFTER_RESPONSE!r}"
    )
# Approved documents still lacking their sealed PDF are re-enqueued this often (broker outage).
SEAL_SWEEP_SECONDS = env_int("IDHINI_SEAL_SWEEP_SECONDS", 600, minimum=10)
CELERY_BEAT_SCHEDULE["approvals-seal-pending"] = {
    "task": "approvals.tasks.seal_pending",
    "schedule": float(SEAL_SWEEP_SECONDS),
    "options": {"expires": float(SEAL_SWEEP_SECONDS)},
}

# --- Security (production) ------------------------------------------------------------------
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer's or monitor's probe speaks plain HTTP to gunicorn: answer it, not 301.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Django's defaults, stated: no address of ours in another site's Referer, and no window that
# another site opened (or that opens it) can reach into ours.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (config/csp.py, sent by config/middleware.py).
CSP_PAGES = csp.PAGES
CSP_API_HTML = csp.API_HTML
CSP_DATA = csp.DATA
SESSION_COOKIE_HTTPONLY = True

# --- Logs (config/logs.py) ------------------------------------------------------------------
# One JSON object a line in production (IDHINI_LOG_FORMAT=json|text), with the request id, the
# user and the document; to stderr, or to IDHINI_LOG_FILE (reopened after logrotate moves it).
LOG_FORMAT = env_str("IDHINI_LOG_FORMAT", "text" if DEBUG or TESTING else "json").strip().lower()
LOG_LEVEL = env_str("IDHINI_LOG_LEVEL", "INFO").strip().upper()
LOG_FILE = env_str("IDHINI_LOG_FILE").strip()
LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL, file=LOG_FILE)
# Celery's worker replaces the root logger's handlers with its own text lines unless told not to.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
