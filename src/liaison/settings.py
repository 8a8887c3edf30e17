"""Liaison settings, read from the environment only.

Profiles (``LIAISON_PROFILE``):

* ``demo`` (default) — embedded SQLite under ``var/``, demo signing key, MFA may be
  switched off with ``LIAISON_REQUIRE_MFA=0`` (every page then says so).
* ``production`` — every secret must be given; missing ones stop the process at start.
* ``test`` — used by the test suite.

Any variable ``NAME`` may instead be given as ``NAME_FILE`` holding a path whose
content is the value (for container secrets).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("LIAISON_HOME", BASE_DIR.parent.parent)).resolve()


def env(name: str, default: str | None = None) -> str | None:
    """Return ``name`` from the environment, or the content of ``name_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


PROFILE = env("LIAISON_PROFILE", "demo") or "demo"
if PROFILE not in {"demo", "production", "test"}:
    raise ImproperlyConfigured(f"LIAISON_PROFILE must be demo, production or test, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"


def required(name: str, demo_default: str) -> str:
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set in production (or {name}_FILE).")
    return demo_default


SECRET_KEY = required("SECRET_KEY", "demo-only-secret-key-do-not-use-in-production-0123456789")
# Old keys still accepted for signed values while a new SECRET_KEY rolls out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The state this deployment serves: MN or WI. Decides demo data and rule packs.
# Each state's embedded deployment keeps its files in its own directory, var/MN or
# var/WI, the one `make demo` fills. Without LIAISON_STATE the demo profile serves the
# state of the latest `liaison demo` (written to var/demo-state), so every command finds
# the data the demo made without any variable; anything else defaults to MN.
VAR_ROOT = PROJECT_DIR / "var"
DEMO_STATE_FILE = VAR_ROOT / "demo-state"


def _default_state() -> str:
    if PROFILE == "demo":
        try:
            return DEMO_STATE_FILE.read_text(encoding="utf-8").strip() or "MN"
        except OSError:
            pass
    return "MN"


LIAISON_STATE = (env("LIAISON_STATE") or _default_state()).upper()
if LIAISON_STATE not in {"MN", "WI"}:
    raise ImproperlyConfigured("LIAISON_STATE must be MN or WI.")
VAR_DIR = Path(env("LIAISON_VAR") or VAR_ROOT / LIAISON_STATE).resolve()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs from static files, not a CDN
    "liaison.core",
    "liaison.ledger",
    "liaison.notifications",
    "liaison.directory",
    "liaison.accounts",
    "liaison.agreements",
    "liaison.policy",
    "liaison.training",
    "liaison.sharing",
    "liaison.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "liaison.core.middleware.SecurityHeadersMiddleware",
    "liaison.core.middleware.ApiErrorBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "liaison.core.ratelimit.RateLimitMiddleware",
    "liaison.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liaison.core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # <html lang> follows the language
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.core.context_processors.liaison",
                "liaison.notifications.context_processors.notifications",
            ],
            # Dates and times in one format on every page: {{ value|day }}, |when, |when_utc.
            "builtins": ["liaison.core.templatetags.when"],
        },
    }
]

DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'liaison.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server share the file; IMMEDIATE makes a write
    # transaction take its lock up front instead of failing half-way. Connections last
    # one request, so SQLite's own page cache starts empty each time: memory-mapping the
    # file (up to SQLITE_MMAP_MB) reads pages straight from the operating system's cache.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={int(env('SQLITE_MMAP_MB', '2048') or 0) * 1024 * 1024};"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database server that does not answer fails the connection instead of holding
    # a worker or a request; TCP keepalives notice a server that went away mid-query.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", int(env("DATABASE_CONNECT_TIMEOUT", "10") or 10))
    for _name, _value in (
        ("keepalives", 1),
        ("keepalives_idle", 30),
        ("keepalives_interval", 10),
        ("keepalives_count", 3),
    ):
        _pg_options.setdefault(_name, _value)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = ["liaison.accounts.backends.LockoutAwareBackend"]

# CJIS: salted key-derivation hash, at least 8 characters, banned-password list,
# no forced periodic expiry.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if PROFILE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# CJIS session rules: lock after 30 minutes idle, re-authenticate every 12 hours.
LIAISON_IDLE_TIMEOUT_SECONDS = int(env("LIAISON_IDLE_TIMEOUT_SECONDS", "1800") or 1800)
LIAISON_REAUTH_SECONDS = int(env("LIAISON_REAUTH_SECONDS", str(12 * 3600)) or 43200)
# Sign-in lockout (docs/accounts.md): 5 failed passwords or second-factor codes within
# 15 minutes lock the account for 30 minutes (or until an admin unlocks it); one source
# address with 20 failures within 15 minutes is refused for the same 30 minutes.
LIAISON_LOCKOUT_THRESHOLD = int(env("LIAISON_LOCKOUT_THRESHOLD", "5") or 5)
LIAISON_LOCKOUT_WINDOW_SECONDS = int(env("LIAISON_LOCKOUT_WINDOW_SECONDS", "900") or 900)
LIAISON_LOCKOUT_SECONDS = int(env("LIAISON_LOCKOUT_SECONDS", "1800") or 1800)
LIAISON_SOURCE_FAILURE_LIMIT = int(env("LIAISON_SOURCE_FAILURE_LIMIT", "20") or 20)
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (liaison.core.net).
LIAISON_TRUSTED_PROXIES = int(env("LIAISON_TRUSTED_PROXIES", "0") or 0)

# Rate limits per client address on the pages anyone can reach (liaison.core.ratelimit,
# docs/accounts.md): path patterns and a rate ("N/s|m|h|d"); an empty rate switches one
# off. Counted in the "ratelimit" cache: the database cache in production, so that
# several app servers share one count (its table is made by `migrate`), the process's
# memory in the demo. Off in the test profile unless a test switches it on.
LIAISON_RATE_LIMITS: dict[str, dict[str, Any]] = {
    "sign-in": {
        "paths": [r"/accounts/login/"],
        "rate": env("LIAISON_RATE_LIMIT_SIGN_IN", "30/m") or "",
    },
    "public": {
        "paths": [
            r"/ledger/(?!entries/|texts/)",
            r"/api/v1/ledger/(checkpoint|key|proof)",
        ],
        "rate": env("LIAISON_RATE_LIMIT_PUBLIC", "120/m") or "",
    },
}
RATELIMIT_ENABLE = env_bool("LIAISON_RATE_LIMITS_ON", PROFILE != "test")
RATELIMIT_USE_CACHE = "ratelimit"
_RATE_LIMIT_CACHE = env("LIAISON_RATE_LIMIT_CACHE", "database" if PRODUCTION else "memory")
if _RATE_LIMIT_CACHE not in {"database", "memory"}:
    raise ImproperlyConfigured("LIAISON_RATE_LIMIT_CACHE must be database or memory.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "liaison_ratelimit_cache",
        }
        if _RATE_LIMIT_CACHE == "database"
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "liaison-ratelimit",
        }
    ),
}
LIAISON_INACTIVE_DISABLE_DAYS = 90
LIAISON_REQUIRE_MFA = env_bool("LIAISON_REQUIRE_MFA", PRODUCTION)
if PRODUCTION and not LIAISON_REQUIRE_MFA:
    raise ImproperlyConfigured("MFA cannot be switched off in production.")
SESSION_COOKIE_AGE = LIAISON_REAUTH_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
OTP_TOTP_ISSUER = "Liaison"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("so", "Soomaali"), ("hmn", "Hmoob")]
TIME_ZONE = "America/Chicago"
USE_I18N = True
# One date and time format for the whole product (liaison/formats/en/formats.py).
FORMAT_MODULE_PATH = ["liaison.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/uswds", PROJECT_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # The embedded profile keeps everything under var/: the SQLite file, uploads, keys.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
# City outlines for deriving a location's city (docs/operations.md): a GeoJSON file of
# Census places (GEOID, NAME) the deployment installs; empty leaves cities underived.
LIAISON_PLACE_BOUNDARIES = env("LIAISON_PLACE_BOUNDARIES", "") or ""
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# Mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds the mail server may take to connect or answer each command before the send
# fails (and is retried later): a server that accepts and never answers must not hold
# a worker.
EMAIL_TIMEOUT = float(env("EMAIL_TIMEOUT", "10") or 10)
# An email claimed for sending longer ago than this is taken over by the next sweep:
# its sender died between claiming it and the server accepting it. Longer than any
# send can last (each of its SMTP commands is bounded by EMAIL_TIMEOUT).
LIAISON_EMAIL_CLAIM_SECONDS = int(env("LIAISON_EMAIL_CLAIM_SECONDS", "600") or 600)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "liaison@localhost") or "liaison@localhost"

# Background tasks (DEP 14 through the django-tasks backport, database backend).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Periodic jobs the worker enqueues: (dotted path of a django-tasks Task, interval in
# seconds). Slots are aligned on the Unix epoch (86400 = each UTC midnight) and each
# (job, slot) is enqueued once however many workers run; the task takes no arguments
# and must be idempotent. Add one line per job. See docs/worker.md.
LIAISON_PERIODIC_TASKS: list[tuple[str, int]] = [
    ("liaison.notifications.tasks.send_pending_emails", 300),
    ("liaison.notifications.tasks.prune_job_history", 86400),
    ("liaison.agreements.tasks.expire_agreements", 3600),
    ("liaison.agreements.tasks.send_expiry_reminders", 86400),
    ("liaison.agreements.tasks.send_reporting_reminders", 86400),
    ("liaison.training.tasks.send_expiry_reminders", 86400),
    ("liaison.sharing.tasks.flag_disclosure_reviews", 86400),
    ("liaison.operations.tasks.send_follow_up_reminders", 86400),
    ("liaison.accounts.tasks.disable_inactive_accounts", 3600),
    ("liaison.accounts.tasks.prune_login_attempts", 86400),
]
# A worker's claim on a task lasts this long unless the worker renews it (it does, every
# third of it, while the task runs); an expired claim means the worker died, and the
# task goes back to the queue, at most LIAISON_TASK_MAX_ATTEMPTS claims in all.
LIAISON_TASK_LEASE_SECONDS = int(env("LIAISON_TASK_LEASE_SECONDS", "60") or 60)
LIAISON_TASK_MAX_ATTEMPTS = int(env("LIAISON_TASK_MAX_ATTEMPTS", "3") or 3)
# Finished task results and claimed slots older than this are deleted by prune_job_history.
LIAISON_JOB_HISTORY_DAYS = int(env("LIAISON_JOB_HISTORY_DAYS", "30") or 30)
# Where users reach the app, for links in emails.
LIAISON_SITE_URL = env("LIAISON_SITE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"

# Deconfliction (docs/operations.md): two operations conflict in place and time when some
# location of one is within DECONFLICT_DISTANCE_M metres of some location of the other
# and their windows, each widened by DECONFLICT_BUFFER_MIN minutes on both sides, overlap.
DECONFLICT_DISTANCE_M = float(env("DECONFLICT_DISTANCE_M", "0") or 0)
DECONFLICT_BUFFER_MIN = int(env("DECONFLICT_BUFFER_MIN", "120") or 120)
if DECONFLICT_DISTANCE_M < 0 or DECONFLICT_BUFFER_MIN < 0:
    raise ImproperlyConfigured(
        "DECONFLICT_DISTANCE_M and DECONFLICT_BUFFER_MIN cannot be negative."
    )

# Ledger: name of the log and the Ed25519 signer key for checkpoints (C2SP signed note).
LIAISON_LEDGER_ORIGIN = env(
    "LIAISON_LEDGER_ORIGIN", f"liaison.{LIAISON_STATE.lower()}.example/ledger"
)
LIAISON_LEDGER_SIGNER_KEY = env("LIAISON_LEDGER_SIGNER_KEY")
if PRODUCTION and not LIAISON_LEDGER_SIGNER_KEY:
    raise ImproperlyConfigured("LIAISON_LEDGER_SIGNER_KEY must be set in production.")
LIAISON_LEDGER_SIGNER_KEY_PATH = VAR_DIR / "ledger-signer.key"
LIAISON_CHECKPOINT_INTERVAL_SECONDS = int(env("LIAISON_CHECKPOINT_INTERVAL_SECONDS", "300") or 300)
LIAISON_PERIODIC_TASKS.append(
    ("liaison.ledger.tasks.issue_checkpoint", LIAISON_CHECKPOINT_INTERVAL_SECONDS)
)
# Repeated security events from one source (failed sign-ins or codes, refusals) are
# written once per burst plus one summary entry with the count (docs/ledger.md): a burst
# ends after this many quiet seconds, or at the latest this long after it began.
LIAISON_SECURITY_BURST_SECONDS = int(env("LIAISON_SECURITY_BURST_SECONDS", "60") or 60)
LIAISON_SECURITY_BURST_MAX_SECONDS = int(env("LIAISON_SECURITY_BURST_MAX_SECONDS", "900") or 900)
LIAISON_PERIODIC_TASKS.append(("liaison.ledger.tasks.flush_security_bursts", 60))
# Keyed hashes of personal identifiers (matching without plaintext) and field encryption.
LIAISON_HASH_KEY = required("LIAISON_HASH_KEY", "demo-only-hash-key")
# Earlier keys, still able to open sealed values while a new LIAISON_HASH_KEY rolls out.
LIAISON_HASH_KEY_FALLBACKS = env_list("LIAISON_HASH_KEY_FALLBACKS")

# Security headers; production is HTTPS behind a proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "liaison.core.logging.UtcFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    # No request bodies are logged, and query strings are cut from every line.
    "filters": {"redact": {"()": "liaison.core.logging.RedactQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO") or "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # The development server's request lines go through the same filter.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
