"""Settings for the PST library service: one file, every value from the environment.

See ``.env.example`` for the variables and README.md for what each does.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import envbool, envchoice, envint, envlist, envpath, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY", "insecure-development-key" if DEBUG else None)
if not DEBUG and (SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random value of at least 50 characters when DEBUG is off"
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "core",
    "history",
    "accounts",
    "offices",
    "catalog",
    "delivery",
    "complaints",
    "visits",
    "privacy",
    "feedback",
    "softcopies",
    "channels",
    "ops",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.RequestContextMiddleware",
    "history.context.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "ops.middleware.StorageUnavailableMiddleware",
]
# Request counts and latencies for /metrics wrap everything else.
MIDDLEWARE.insert(0, "ops.middleware.MetricsMiddleware")

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "offices.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR = envpath("VAR_DIR", BASE_DIR / "var")
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("DB_CONN_MAX_AGE", 0, minimum=0),
            # With persistent connections, check each one at the start of a request so a
            # restarted PostgreSQL (or a dropped idle connection) costs no failed request.
            conn_health_checks=envbool("DB_CONN_HEALTH_CHECKS", True),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for the writer lock instead of failing at once; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # Tests use a file too: the in-memory database's shared cache answers "table is locked"
    # to concurrent threads instead of waiting, so concurrency tests could not run on it.
    # One file per test run, so two runs side by side do not share (and wipe) a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
else:
    # A statement that waits this long for a lock is a bug, not a busy day.
    _timeout_ms = envint("DB_STATEMENT_TIMEOUT_MS", 30000, minimum=0)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={_timeout_ms}"
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = 5
    # DB_POOL=N: a psycopg connection pool of up to N connections per process instead of
    # persistent connections (DB_CONN_MAX_AGE is then ignored). See docs/deploy.md.
    _pool = envint("DB_POOL", 0, minimum=0)
    if _pool:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": _pool,
            "timeout": 10,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "offices:home"

# django-allauth: e-mail is the login and must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PST BPS] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = (
    {}
    if envbool("DISABLE_RATE_LIMITS", False)
    else {
        # Per-account lockout is django-axes' job (AXES_FAILURE_LIMIT); this only slows floods.
        "login_failed": "30/m/ip",
        "signup": "20/m/ip",
    }
)

# django-axes: throttle password guessing per account and address.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_LOCKOUT_CALLABLE = "accounts.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_IPWARE_PROXY_COUNT = envint("PROXY_COUNT", 0, minimum=0) or None

# Internationalisation: Indonesian first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Files: static assets are public; everything uploaded is private (never under a URL).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = envpath("STATIC_ROOT", VAR_DIR / "static")
PRIVATE_STORAGE_ROOT = envpath("PRIVATE_STORAGE_ROOT", VAR_DIR / "private")
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
# STORAGE_BACKEND=s3 keeps every uploaded file in a private S3-compatible bucket
# (MinIO, Ceph, AWS...): written with the private ACL, never given a URL, read by ranges.
STORAGE_BACKEND = envchoice("STORAGE_BACKEND", "local", ["local", "s3"])
if STORAGE_BACKEND == "s3":
    from botocore.config import Config as _BotoConfig

    _default_storage = {
        "BACKEND": "core.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": envstr("S3_BUCKET"),
            "endpoint_url": envstr("S3_ENDPOINT_URL", "") or None,
            "region_name": envstr("S3_REGION", "") or None,
            "access_key": envstr("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": envstr("S3_SECRET_ACCESS_KEY", "") or None,
            "location": envstr("S3_PREFIX", ""),
            "addressing_style": envchoice("S3_ADDRESSING_STYLE", "path", ["path", "virtual"]),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            # Whole-object reads (covers, PDF processing) spool to disk beyond 2 MB.
            "max_memory_size": 2 * 1024 * 1024,
            "client_config": _BotoConfig(
                connect_timeout=envint("S3_CONNECT_TIMEOUT", 5, minimum=1),
                read_timeout=envint("S3_READ_TIMEOUT", 30, minimum=1),
                retries={"max_attempts": 3, "mode": "standard"},
                signature_version="s3v4",
            ),
        },
    }
else:
    _default_storage = {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Where `manage.py backup` writes its archives by default.
BACKUP_DIR = envpath("BACKUP_DIR", VAR_DIR / "backups")

# E-mail.
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (tests, staging).
EMAIL_FILE_PATH = envpath("EMAIL_FILE_PATH", VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "PST BPS <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs: django-tasks with its database backend, so any number of
# workers (`manage.py db_worker`) can share one PostgreSQL. TASKS_BACKEND=immediate
# runs each job at once inside the request (for a single-process development run).
TASKS_MODE = envchoice("TASKS_BACKEND", "database", ["database", "immediate"])
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_MODE == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
# /healthz reports the worker as down when a job has waited longer than this.
WORKER_STALE_SECONDS = envint("WORKER_STALE_SECONDS", 300, minimum=10)

# Requeue a job whose worker died: RUNNING longer than this is taken as abandoned
# (`manage.py requeue_stale_tasks`, run by the worker unit before it starts and by a timer);
# a job is tried at most TASK_MAX_ATTEMPTS times.
TASK_STALE_RUNNING_SECONDS = envint("TASK_STALE_RUNNING_SECONDS", 900, minimum=60)
TASK_MAX_ATTEMPTS = envint("TASK_MAX_ATTEMPTS", 3, minimum=1)

# Cache: local memory by default (one process); CACHE_URL=redis://host:6379/0 shares it,
# the sessions and the rate-limit counters between all servers. ops.cache.FailSoftRedisCache
# turns a Redis outage into cache misses (rate limits fail open) instead of errors.
CACHE_URL = envstr("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "ops.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "pst"),
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://, rediss:// or empty, got {CACHE_URL!r}")
# Sessions live in the database (any server can read them); with Redis they are also
# cached there, and a Redis outage logs nobody out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)

# Prometheus metrics at /metrics for `Authorization: Bearer $METRICS_TOKEN` (empty: off).
METRICS_TOKEN = envstr("METRICS_TOKEN", "")

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER via PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp 4): no inline scripts or styles, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Field-level encryption of contact details (core.fields): comma-separated Fernet keys,
# newest first. Development derives one from SECRET_KEY; production must set them.
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (see .env.example)"
        )
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    ]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        if len(base64.urlsafe_b64decode(_key.encode())) != 32:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64 bytes each)"
        ) from None

# The office the public site opens on when a page does not name one.
DEFAULT_OFFICE_CODE = envstr("DEFAULT_OFFICE_CODE", "3324")
# Demo data (seed_demo) password for the demo accounts.
DEMO_PASSWORD = envstr("DEMO_PASSWORD", "demo-pass-2026")
_no_limits = envbool("DISABLE_RATE_LIMITS", False)
# API tokens: the default lifetime and the longest a person may choose (days).
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365, minimum=1)
API_TOKEN_DAYS = envint(
    "API_TOKEN_DAYS", min(90, API_TOKEN_MAX_DAYS), minimum=1, maximum=API_TOKEN_MAX_DAYS
)
# POST /api/v1/auth/token: attempts per client address and per account (e-mail) in 15 minutes,
# besides django-axes' lockout after AXES_FAILURE_LIMIT failures (0 = off).
API_TOKEN_ATTEMPTS_PER_ADDRESS = envint(
    "API_TOKEN_ATTEMPTS_PER_ADDRESS", 0 if _no_limits else 20, minimum=0
)
API_TOKEN_ATTEMPTS_PER_ACCOUNT = envint(
    "API_TOKEN_ATTEMPTS_PER_ACCOUNT", 0 if _no_limits else 10, minimum=0
)

NINJA_PAGINATION_PER_PAGE = 20

# Catalogue: the largest PDF an officer may upload (checked by content, not by name).
CATALOG_MAX_UPLOAD_MB = envint("CATALOG_MAX_UPLOAD_MB", 200, minimum=1)
# Text recognition (OCR) of scanned pages (catalog.ocr): Tesseract languages, and the
# pages OCRmyPDF recognises at once (each takes a CPU core while it runs).
CATALOG_OCR_LANGUAGES = envstr("CATALOG_OCR_LANGUAGES", "ind+eng")
CATALOG_OCR_JOBS = envint("CATALOG_OCR_JOBS", 1, minimum=1, maximum=16)
# Complaints: attachment size limit and spam limits per client address.
COMPLAINT_MAX_ATTACHMENT_MB = envint("COMPLAINT_MAX_ATTACHMENT_MB", 10, minimum=1, maximum=100)
COMPLAINT_SUBMISSIONS_PER_HOUR = envint(
    "COMPLAINT_SUBMISSIONS_PER_HOUR", 0 if _no_limits else 10, minimum=0
)
COMPLAINT_LOOKUPS_PER_MINUTE = envint(
    "COMPLAINT_LOOKUPS_PER_MINUTE", 0 if _no_limits else 30, minimum=0
)
COMPLAINT_FORM_MIN_SECONDS = envint("COMPLAINT_FORM_MIN_SECONDS", 3, minimum=0)

# Channels (channels app): the office mailbox, the WhatsApp Business Platform (Cloud API)
# and Instagram messaging. Secrets come from the environment only (NAME or NAME_FILE):
# META_APP_SECRET signs the webhooks, META_VERIFY_TOKEN answers Meta's handshake,
# WHATSAPP_ACCESS_TOKEN[_<office code>] and INSTAGRAM_ACCESS_TOKEN[_<office code>] send,
# MAILBOX_PASSWORD_<office code> opens the office mailbox (see docs/deploy.md).
# WHATSAPP_SENDER=log writes WhatsApp messages to the log only (development).
WHATSAPP_SENDER = envchoice("WHATSAPP_SENDER", "log" if DEBUG else "cloud", ["cloud", "log"])
META_APP_SECRET = envstr("META_APP_SECRET", "")
INSTAGRAM_APP_SECRET = envstr("INSTAGRAM_APP_SECRET", "")
META_VERIFY_TOKEN = envstr("META_VERIFY_TOKEN", "")
WHATSAPP_API_URL = envstr("WHATSAPP_API_URL", "https://graph.facebook.com/v23.0").rstrip("/")
INSTAGRAM_API_URL = envstr("INSTAGRAM_API_URL", "https://graph.instagram.com/v23.0").rstrip("/")
CHANNELS_HTTP_TIMEOUT = envint("CHANNELS_HTTP_TIMEOUT", 10, minimum=1, maximum=120)
CHANNELS_MAILBOX_TIMEOUT = envint("CHANNELS_MAILBOX_TIMEOUT", 30, minimum=1, maximum=600)
# The largest e-mail taken in (bigger ones stay in the mailbox, shown to officers as refused).
CHANNELS_MAX_MAIL_MB = envint("CHANNELS_MAX_MAIL_MB", 25, minimum=1, maximum=200)
# Messages read per mailbox and poll.
CHANNELS_POLL_BATCH = envint("CHANNELS_POLL_BATCH", 50, minimum=1, maximum=1000)
# Softcopy requests: the largest scan upload (all files together), and the days after which
# a delivered request the user never downloaded is closed (close_softcopy_requests).
SOFTCOPY_MAX_UPLOAD_MB = envint("SOFTCOPY_MAX_UPLOAD_MB", 50, minimum=1, maximum=500)
SOFTCOPY_CLOSE_AFTER_DAYS = envint("SOFTCOPY_CLOSE_AFTER_DAYS", 14, minimum=1)

LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.middleware.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s user=%(user)s office=%(office)s "
            "%(message)s"
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_context"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Satisfaction survey (IKM): days a survey link stays valid unless the office sets its own,
# and minutes without a download before a download session's survey is e-mailed.
FEEDBACK_LINK_DAYS = envint("FEEDBACK_LINK_DAYS", 7, minimum=1, maximum=365)
FEEDBACK_SESSION_QUIET_MINUTES = envint("FEEDBACK_SESSION_QUIET_MINUTES", 60, minimum=1)
