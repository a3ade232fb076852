"""Settings, read from the environment with a safe embedded default.

Embedded default (nothing set): SQLite file ``db.sqlite3``, Celery tasks run eagerly in-process; DEBUG
is off unless DEBUG=1 (the Makefile's development targets set it). Production: set DATABASE_URL
(PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless set: a deployment that forgets DEBUG must not run in debug mode with the development key.
# `make run`, `make worker`, `make beat` and `make bench` set DEBUG=1; the tests use pkk.settings_test.
DEBUG = env_bool("DEBUG", False)
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or "insecure" in SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be a random value of at least 50 characters with DEBUG off, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "bootstrap",
    "axes",
    "pkk",
    "dasawisma",
    "reporting",
    "kegiatan",
    "binaan",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "pkk.middleware.ScopeDeclaredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pkk.urls"

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
                "pkk.context_processors.navigation",
            ],
        },
    }
]

WSGI_APPLICATION = "pkk.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DB_JIT", False):
    # PostgreSQL's JIT compiles the big roll-up statements for ~1-3 s each; off, a full rebuild runs in
    # about half the time (BENCHMARKS.md, finding 2). DB_JIT=1 turns it back on.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: throttle failed logins per username + client IP (docs/security.md, "Lockout"): a stranger
# elsewhere cannot lock a kader out, and one address guessing a password stops after 5 tries for 15 min.
# The client IP is read through PKK_TRUSTED_PROXY_COUNT proxies (pkk.http.client_ip).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "pkk.http.client_ip"
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (docker-compose/deploy: 1).
PKK_TRUSTED_PROXY_COUNT = env_int("PKK_TRUSTED_PROXY_COUNT", 0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off: with it on, every id and year printed in a template ({{ obj.pk }}, {{ 2026 }}) comes out as
# "91.607" / "2.026" and breaks links, form values and titles. Counts use |intcomma or format_angka.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["pkk.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: no broker configured -> tasks run eagerly in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Task modules outside ``<app>/tasks.py`` that workers must load (export jobs: reporting.run_export_job).
CELERY_IMPORTS = ("reporting.exports",)
from celery.schedules import crontab  # noqa: E402

from reporting.schedule import BEAT_SCHEDULE as _REPORTING_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {**_REPORTING_BEAT_SCHEDULE}

# Reporting cycle: day of the next month by which a dasawisma report is due.
PKK_DEADLINE_DAY = env_int("PKK_DEADLINE_DAY", 5)
# Debounce of roll-up refreshes after an edit, in seconds.
PKK_REFRESH_DEBOUNCE_SECONDS = env_int("PKK_REFRESH_DEBOUNCE_SECONDS", 5 if CELERY_BROKER_URL else 0)
# How long finished export files are kept, in hours.
PKK_EXPORT_TTL_HOURS = env_int("PKK_EXPORT_TTL_HOURS", 24)

# Security: sensible defaults when DEBUG is off (check --deploy clean).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# One line per record with time, level and logger name (web, worker and beat alike; see CELERY_WORKER_*).
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
CELERY_WORKER_LOG_FORMAT = LOG_FORMAT
CELERY_WORKER_TASK_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(task_name)s(%(task_id)s)] %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Paper (issue 11, helper "paper"): the paper each lampiran prints on, overriding the layout's default.
# "A3" for every sheet, or per lampiran: "4.17c=A3,4.19c=F4". Papers: A4, F4 (folio 8.5 x 13 in), A3.
PKK_PAPER = env_str("PKK_PAPER", "")
# Reporting cycle tier by tier (helper 'cycle', issue 10): day of the month after the period by which the
# desa and the kecamatan submit their own report (the dasawisma: PKK_DEADLINE_DAY above), and the first
# month of reporting (YYYY-MM) used where a kabupaten has no AwalPelaporan row of its own.
PKK_DEADLINE_DAY_DESA = env_int("PKK_DEADLINE_DAY_DESA", 10)
PKK_DEADLINE_DAY_KECAMATAN = env_int("PKK_DEADLINE_DAY_KECAMATAN", 15)
PKK_REPORTING_START = os.environ.get("PKK_REPORTING_START", "2025-01")
# maint (issue 13 + issue 12 "a rebuild can deadlock itself"): bounds of every roll-up transaction on
# PostgreSQL (reporting.rollup.store.bound_waits, SET LOCAL): a lock wait (the chain lock behind another
# writer) fails after PKK_ROLLUP_LOCK_TIMEOUT_MS, any statement after PKK_ROLLUP_STATEMENT_TIMEOUT_MS; the
# task then retries. Full-scale statements take seconds; a whole-country rebuild stays far below 10 min.
PKK_ROLLUP_LOCK_TIMEOUT_MS = env_int("PKK_ROLLUP_LOCK_TIMEOUT_MS", 60_000)
PKK_ROLLUP_STATEMENT_TIMEOUT_MS = env_int("PKK_ROLLUP_STATEMENT_TIMEOUT_MS", 600_000)
# Development tools (the benchmark, which drops and creates databases; the demo, which writes synthetic
# people) only where asked for: DEBUG, or PKK_DEV_TOOLS=1. Production (DEBUG=0) has no `manage.py bench`
# and no `seed_demo*`.
DEV_TOOLS = ["bench", "demo"]
if env_bool("PKK_DEV_TOOLS", DEBUG):
    INSTALLED_APPS += DEV_TOOLS

# Uploaded photos and scans (pkk/photos.py; kegiatan, desa binaan). Private: never under a served URL.
# PKK_STORAGE_BACKEND=local keeps them in PKK_PRIVATE_MEDIA_ROOT; =s3 stores them in a private
# S3-compatible bucket through django-storages (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL,
# AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), under the prefix PKK_S3_LOCATION.
PKK_STORAGE_BACKEND = env_str("PKK_STORAGE_BACKEND", "local")
if PKK_STORAGE_BACKEND not in ("local", "s3"):
    raise ImproperlyConfigured(f"PKK_STORAGE_BACKEND must be 'local' or 's3', got {PKK_STORAGE_BACKEND!r}")
PKK_PRIVATE_MEDIA_ROOT = Path(env_str("PKK_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "media-private")))
PKK_S3_LOCATION = env_str("PKK_S3_LOCATION", "private")
if PKK_STORAGE_BACKEND == "s3":
    AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
PKK_PHOTO_MAX_MB = env_int("PKK_PHOTO_MAX_MB", 10)
PKK_PHOTO_MAX_COUNT = env_int("PKK_PHOTO_MAX_COUNT", 10)  # photos per submit
PKK_PHOTO_MAX_PIXELS = env_int("PKK_PHOTO_MAX_PIXELS", 60_000_000)  # decompression bombs are refused
PKK_PDF_MAX_MB = env_int("PKK_PDF_MAX_MB", 10)

# Desa binaan (binaan app): thresholds of the status rules (binaan/progress.py, docs/binaan.md).
PKK_BINAAN_DAYS_WITHOUT_VISIT = env_int("PKK_BINAAN_DAYS_WITHOUT_VISIT", 60)
PKK_BINAAN_OVERDUE_TERTINGGAL = env_int("PKK_BINAAN_OVERDUE_TERTINGGAL", 2)
PKK_BINAAN_MIN_COMPLETENESS = env_int("PKK_BINAAN_MIN_COMPLETENESS", 80)
PKK_BINAAN_LOW_COMPLETENESS = env_int("PKK_BINAAN_LOW_COMPLETENESS", 50)
PKK_BINAAN_MIN_TIMELINESS = env_int("PKK_BINAAN_MIN_TIMELINESS", 60)
PKK_BINAAN_MIN_COVERAGE = env_int("PKK_BINAAN_MIN_COVERAGE", 80)
PKK_BINAAN_MAX_WARNINGS = env_int("PKK_BINAAN_MAX_WARNINGS", 10)
PKK_BINAAN_MAX_BELUM = env_int("PKK_BINAAN_MAX_BELUM", 5)
# --- people (issue 10): a one-time password set by the desa/admin must be changed at the next login.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "pkk.middleware.ForcePasswordChangeMiddleware",
)
# --------------------------------------------------------------------------------------------------------
# Security (issue 12, helper "security"): docs/security.md explains each value.
# Bodies over this are refused with 413 from Content-Length, before anything is read (the proxy's own
# body limit, docs/deploy.md, should be the same or a little higher). Room for a 30 MB workbook.
PKK_MAX_BODY_BYTES = env_int("PKK_MAX_BODY_BYTES", 32 * 1024 * 1024)
# Form fields (not files) kept in memory; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
MIDDLEWARE.insert(1, "pkk.middleware.RequestGuardMiddleware")  # right after SecurityMiddleware

# Content-Security-Policy (django-csp): only our own scripts and styles, no inline ones (templates keep
# JavaScript in static/js and CSS in static/css); nobody may frame the site.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "pkk.middleware.CSPMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "pkk.middleware.SecurityHeadersMiddleware",
)
INSTALLED_APPS.append("csp")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap draws select arrows and checks as data: SVG
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
PKK_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Signed-in sessions end after PKK_SESSION_HOURS (a shared PC left signed in), and at browser close.
SESSION_COOKIE_AGE = env_int("PKK_SESSION_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_SAMESITE = "Lax"
# Drafts of data-entry forms kept in the browser (static/js/draft.js): per user, without NIK / No. KK,
# dropped after this many days and at logout.
PKK_DRAFT_DAYS = env_int("PKK_DRAFT_DAYS", 7)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("pkk.context_processors.drafts")
# Workbook import caps (helper jobs, issue 12): checked before and while parsing an uploaded workbook, so a
# zip bomb or a million junk rows cannot exhaust a worker. 50,000 warga are ~52 MB unpacked.
PKK_WORKBOOK_MAX_UNCOMPRESSED_MB = env_int("PKK_WORKBOOK_MAX_UNCOMPRESSED_MB", 150)
PKK_WORKBOOK_MAX_ROWS = env_int("PKK_WORKBOOK_MAX_ROWS", 100_000)  # per sheet, empty rows included
PKK_WORKBOOK_MAX_CELL_CHARS = env_int("PKK_WORKBOOK_MAX_CELL_CHARS", 1000)
PKK_WORKBOOK_MAX_ERRORS = env_int("PKK_WORKBOOK_MAX_ERRORS", 200)

# Background workbook jobs and job heartbeats (helper jobs, issue 12). Uploaded workbooks and generated
# files with personal data live in PKK_PRIVATE_MEDIA_ROOT (above), served only by scoped views.
PKK_JOB_HEARTBEAT_SECONDS = env_int("PKK_JOB_HEARTBEAT_SECONDS", 20)
# A running job whose last heartbeat is older than this is marked failed by reporting.sweep_stale_jobs.
PKK_JOB_STALE_SECONDS = env_int("PKK_JOB_STALE_SECONDS", 180)
CELERY_BEAT_SCHEDULE["pkk.sweep_stale_jobs"] = {
    "task": "pkk.sweep_stale_jobs",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# The idempotency tokens of create forms (pkk.idempotency) are kept this many days, then pruned nightly.
PKK_FORM_TOKEN_DAYS = env_int("PKK_FORM_TOKEN_DAYS", 90)
CELERY_BEAT_SCHEDULE["pkk.prune_form_tokens"] = {
    "task": "pkk.prune_form_tokens",
    "schedule": crontab(hour=2, minute=45),
    "options": {"expires": 3 * 3600},
}
CELERY_BEAT_SCHEDULE["dasawisma.cleanup_workbook_jobs"] = {
    "task": "dasawisma.cleanup_workbook_jobs",
    "schedule": 3600.0,
    "options": {"expires": 3000},
}
# Queue a process sends to by default (tests give their worker a dedicated queue) and the Redis transport's
# redelivery of unacknowledged tasks (acks_late): a task whose worker died is handed on after
# CELERY_VISIBILITY_TIMEOUT seconds. Keep it above the longest task time limit (rebuild_current: 3 h 5 min),
# or a running task would be handed to a second worker; stuck jobs are failed by pkk.sweep_stale_jobs
# and lost refreshes caught up by reporting.sweep_outbox long before that.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 4 * 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
