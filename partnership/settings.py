"""One settings module for every environment, read from environment variables.

With no variable set, the application runs embedded: SQLite under ``var/``, Celery tasks run
eagerly in the web process, e-mails go to the console, files are written to ``var/media``.
Production is the same code with ``DEBUG=0`` and the variables listed in the README; it refuses
to start without them.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .devserver import runserver_site_url
from .env import env_bool, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-embedded-development-key-never-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required when DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# In development without SITE_URL, the address ``runserver`` serves (``make run PORT=8105``): e-mailed links
# follow it (``partnership.devserver``).
SITE_URL = (env_str("SITE_URL") or (runserver_site_url(sys.argv) if DEBUG else None) or "http://127.0.0.1:8000").rstrip(
    "/"
)

INSTALLED_APPS = [
    "partnership.admin_site.PartnershipAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "rest_framework",
    "rest_framework.authtoken",  # per-user tokens of the detailed API (stats.api)
    "drf_spectacular",
    # htmx (static/django_htmx/, served like Bootstrap, no CDN) and ``request.htmx``: « Mes exports ».
    "django_htmx",
    "partnership",
    "agreements",
    "trainings",
    "events",
    "stats",
    "notifications",
    # « À faire »: composes the blocks every app above declares (``<app>/todo.py``).
    "workspace",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "partnership.middleware.ContentSecurityPolicyMiddleware",
    "partnership.middleware.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "partnership.urls"
WSGI_APPLICATION = "partnership.wsgi.application"

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
                "partnership.context_processors.navigation",
                "workspace.context_processors.todo_badge",
            ],
            # French typography filters (``date_fr``, ``plural_fr``) in every template without a load.
            "builtins": ["partnership.templatetags.french"],
        },
    },
]

# Database: SQLite embedded, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
elif DEBUG:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
else:
    raise ImproperlyConfigured("The environment variable DATABASE_URL is required when DEBUG is off.")
DATABASE_IS_POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not DEBUG and not DATABASE_IS_POSTGRESQL:
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL when DEBUG is off.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnership.User"
AUTHENTICATION_BACKENDS = ["partnership.auth.AccountBackend", "partnership.proconnect.backend.ProConnectBackend"]
# The demo accounts' password is published: they log in only in development (DEBUG on).
DEMO_ACCOUNTS_CAN_LOG_IN = DEBUG
LOGIN_URL = "login"
# Each role lands on its own « À faire » page.
LOGIN_REDIRECT_URL = "todo"
LOGOUT_REDIRECT_URL = "home"

# Password reset links (Django's views) and account invitations expire.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600, minimum=60)
ACCOUNT_INVITATION_VALIDITY_DAYS = env_int("ACCOUNT_INVITATION_VALIDITY_DAYS", 7, minimum=1)
# Password reset requests, per e-mail address and per IP address within an hour.
PASSWORD_RESET_MAX_PER_EMAIL = env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3, minimum=1)
PASSWORD_RESET_MAX_PER_IP = env_int("PASSWORD_RESET_MAX_PER_IP", 20, minimum=1)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Redis: Celery broker and the shared cache (login throttling, rate limits) of several processes.
REDIS_URL = env_str("REDIS_URL")
if not DEBUG and not REDIS_URL:
    raise ImproperlyConfigured("The environment variable REDIS_URL is required when DEBUG is off.")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "partnership.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task whose worker died is delivered again once this delay has passed.
# Workers look for such abandoned tasks every interval × throttle seconds (kombu's Redis transport).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10, minimum=1),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10, minimum=1),
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "partnership.tasks.flush_outbox", "schedule": 60.0},
    "contracts-update-periods": {"task": "agreements.tasks.contracts_update_periods", "schedule": 3600.0},
    "signatures-expire": {"task": "agreements.signing.tasks.signatures_expire", "schedule": 3600.0},
    "contracts-finalize-missing": {"task": "agreements.signing.tasks.contracts_finalize_missing", "schedule": 900.0},
    # Sealed contracts whose last document timestamp nears its TSA certificate's expiry get a new one.
    "seals-renew-timestamps": {"task": "agreements.signing.tasks.seals_renew_timestamps", "schedule": 86400.0},
    # Every scheduled e-mail: the same job as ``manage.py send_reminders`` (idempotent, so hourly is safe).
    "reminders": {
        "task": "notifications.tasks.reminders_run",
        "schedule": float(env_int("REMINDERS_SCHEDULE_SECONDS", 3600, minimum=1)),
    },
    "personal-data-retention": {"task": "partnership.tasks.personal_data_apply_retention", "schedule": 86400.0},
}

# E-mail: console unless an SMTP host is given.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    # Development: e-mails printed by the process that sends them (``runserver``, or the Celery worker when
    # ``REDIS_URL`` is set), and also written to EMAIL_FILE_PATH when set, one file per message.
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
    EMAIL_BACKEND = (
        "partnership.mail_backends.ConsoleAndFileEmailBackend"
        if EMAIL_FILE_PATH
        else "django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Partenariat CNFPT-AMF <ne-pas-repondre@partenariat.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: the interface speaks French.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# A few of Django's French strings corrected (elisions); see locale/fr/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # The API is open and read-only: no login, no cookie, nothing to authorise.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "stats.api_schema.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}
# Tests only (the schemathesis run, ``tests/api/test_schema_contract.py``): the API's throttles let every
# request through. Never read from the environment, so production always throttles.
API_THROTTLE_LIFTED = False
SPECTACULAR_SETTINGS = {
    "TITLE": "API ouverte du partenariat CNFPT-AMF",
    "DESCRIPTION": "Statistiques agrégées, sans données personnelles.",
    "VERSION": "1.0.0",
    # Swagger UI and Redoc served from the app (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No link inside each operation's toggle button (axe « nested-interactive »): no deep links; no
    # syntax colouring of the examples either (its numbers are 3.45:1 on the dark background).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"activated": False}},
    # The schema documents the API, not the page that serves it.
    "SERVE_INCLUDE_SCHEMA": False,
    # Every answer of each operation (400, 401, 404, 429) and the directory's codes (``stats/api_schema.py``).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "stats.api_schema.document_answers"],
}

# Security headers; the production values make ``check --deploy`` clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Reverse proxies in front of the application, each appending to X-Forwarded-For the address it was reached
# from: every throttle and rate limit counts by the address the outermost of them wrote
# (``partnership.auth.client_ip``), never by what a client writes in that header itself. The documented
# deployment has one (the HTTPS proxy); development, none (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1, minimum=0)

# Login throttling: failed attempts per e-mail and per IP address within the window.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)

# ProConnect, the State's OpenID Connect federation for professionals (``partnership/proconnect/``).
# All three variables or none: without them the login page shows no ProConnect button.
PROCONNECT_ISSUER = (env_str("PROCONNECT_ISSUER") or "").rstrip("/")
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")
_proconnect_given = [bool(PROCONNECT_ISSUER), bool(PROCONNECT_CLIENT_ID), bool(PROCONNECT_CLIENT_SECRET)]
if any(_proconnect_given) and not all(_proconnect_given):
    raise ImproperlyConfigured(
        "PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET go together: set all three or none."
    )
# The algorithm ProConnect signs the ID token and the userinfo with, as chosen in the partner space.
PROCONNECT_SIGN_ALGO = env_str("PROCONNECT_SIGN_ALGO", "RS256")
if PROCONNECT_SIGN_ALGO not in ("RS256", "ES256"):
    raise ImproperlyConfigured("PROCONNECT_SIGN_ALGO must be RS256 or ES256.")
PROCONNECT_SCOPES = "openid email given_name usual_name siret"
PROCONNECT_HTTP_TIMEOUT_SECONDS = env_int("PROCONNECT_HTTP_TIMEOUT_SECONDS", 10, minimum=1)
PROCONNECT_DISCOVERY_CACHE_SECONDS = env_int("PROCONNECT_DISCOVERY_CACHE_SECONDS", 3600, minimum=0)
# Staff accounts (CNFPT, AMF) log in with ProConnect only: their password login is refused.
PROCONNECT_REQUIRED_FOR_STAFF = env_bool("PROCONNECT_REQUIRED_FOR_STAFF", False)
if PROCONNECT_REQUIRED_FOR_STAFF and not PROCONNECT_ISSUER:
    raise ImproperlyConfigured("PROCONNECT_REQUIRED_FOR_STAFF needs ProConnect configured (PROCONNECT_ISSUER…).")
# SIRENs whose people ask national staff for access instead of a delegation: the CNFPT's and the AMF's.
CNFPT_SIRENS = env_list("CNFPT_SIRENS", ["180043564"])
AMF_SIRENS = env_list("AMF_SIRENS", [])
# Access requests: per ProConnect identity and per IP address within an hour; a form left open expires.
ACCESS_REQUEST_MAX_PER_IDENTITY = env_int("ACCESS_REQUEST_MAX_PER_IDENTITY", 3, minimum=1)
ACCESS_REQUEST_MAX_PER_IP = env_int("ACCESS_REQUEST_MAX_PER_IP", 20, minimum=1)
ACCESS_REQUEST_FORM_VALIDITY_SECONDS = env_int("ACCESS_REQUEST_FORM_VALIDITY_SECONDS", 1800, minimum=60)
# Requests for access are deleted this long after their decision (or, undecided, after they were made).
ACCESS_REQUEST_RETENTION_DAYS = env_int("ACCESS_REQUEST_RETENTION_DAYS", 365, minimum=1)

# Business settings.
SMALL_COLLECTIVITY_POPULATION = env_int("SMALL_COLLECTIVITY_POPULATION", 3500, minimum=1)
CONTRACT_DEFAULT_DURATION_YEARS = env_int("CONTRACT_DEFAULT_DURATION_YEARS", 3, minimum=1)
# Demo accounts cannot log in when DEBUG is off (partnership.auth): never advertise them there.
SHOW_DEMO_ACCOUNTS = DEBUG and env_bool("SHOW_DEMO_ACCOUNTS", True)

# Reminders (``notifications``): the delay of each kind, in days before (or after) its object's date.
TRAINING_REMINDER_DAYS = env_int("TRAINING_REMINDER_DAYS", 3, minimum=1)  # confirmed agents, before the session
TRAINING_TRAINER_REMINDER_DAYS = env_int("TRAINING_TRAINER_REMINDER_DAYS", 7, minimum=1)  # trainers, before
ATTENDANCE_REMINDER_DAYS = env_int("ATTENDANCE_REMINDER_DAYS", 2, minimum=1)  # delegation, after the session
CONTRACT_ENDING_REMINDER_DAYS = env_int_list("CONTRACT_ENDING_REMINDER_DAYS", [90, 30], minimum=1)
EVENT_REMINDER_DAYS = env_int_list("EVENT_REMINDER_DAYS", [7, 1], minimum=1)  # registrants, before the event
STUDY_DUE_REMINDER_DAYS = env_int("STUDY_DUE_REMINDER_DAYS", 15, minimum=1)  # AMF staff, before the due date
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 0, minimum=0)  # weekly digest of delegation agents, 0 = Monday
if DIGEST_WEEKDAY > 6:
    raise ImproperlyConfigured("DIGEST_WEEKDAY must be between 0 (Monday) and 6 (Sunday).")
# A reminder after its object's date (attendance) is still sent this many days late, never later.
REMINDER_CATCH_UP_DAYS = env_int("REMINDER_CATCH_UP_DAYS", 7, minimum=0)
# SMTP failures: retried after 60 s, 120 s, 240 s… (at most 1 h apart), then marked failed for staff.
REMINDER_RETRY_BACKOFF_SECONDS = env_int("REMINDER_RETRY_BACKOFF_SECONDS", 60, minimum=1)
REMINDER_RETRY_BACKOFF_MAX_SECONDS = env_int("REMINDER_RETRY_BACKOFF_MAX_SECONDS", 3600, minimum=1)
REMINDER_MAX_RETRIES = env_int("REMINDER_MAX_RETRIES", 10, minimum=0)
# A reminder « being sent » for longer than this belongs to a worker that died: another may send it.
REMINDER_CLAIM_TIMEOUT_SECONDS = env_int("REMINDER_CLAIM_TIMEOUT_SECONDS", 600, minimum=1)

# Statistics exports: after this long, a "running" export belongs to a dead worker and may be taken over.
# The statistics dashboard's figures are recomputed at most this often (0: on every request).
STATS_CACHE_SECONDS = env_int("STATS_CACHE_SECONDS", 300, minimum=0)
STATS_EXPORT_CLAIM_TIMEOUT_SECONDS = env_int("STATS_EXPORT_CLAIM_TIMEOUT_SECONDS", 900, minimum=1)

# Personal data of event registrants and trained agents is anonymised this long after the event or
# session ended (« Données personnelles » page); the statistics keep counting them.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 3 * 365, minimum=1)
# Files the application made for someone (statistics exports, import error reports) are deleted this
# long after they were produced; their row stays as history (« Mes exports », « Mes imports »).
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 30, minimum=1)
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30, minimum=1)
# The reminder log forgets each recipient's address and name this long after the reminder was sent
# (or skipped, or failed): enough to answer « did they get it? », never a directory of people.
REMINDER_LOG_RETENTION_DAYS = env_int("REMINDER_LOG_RETENTION_DAYS", 90, minimum=1)
# Key of the hashes that stand for an e-mail address where only recognising it is needed (the reminder
# log's « already sent », the opt-outs); changing it forgets every opt-out.
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY", SECRET_KEY)
# One-click unsubscribe links in reminders (RFC 8058) work this long after the e-mail was sent.
UNSUBSCRIBE_LINK_VALIDITY_DAYS = env_int("UNSUBSCRIBE_LINK_VALIDITY_DAYS", 365, minimum=30)
# CSV imports: a file of at most this many lines is imported during the request; a longer one goes
# to a worker, whose progress « Mes imports » shows. An import « running » for longer than the
# claim timeout belongs to a dead worker and may be taken over.
IMPORT_SYNC_MAX_LINES = env_int("IMPORT_SYNC_MAX_LINES", 500, minimum=1)
IMPORT_CLAIM_TIMEOUT_SECONDS = env_int("IMPORT_CLAIM_TIMEOUT_SECONDS", 900, minimum=1)
# Legal pages: who publishes and hosts the service, whom to write to about it and about personal data.
LEGAL_PUBLISHER = env_str(
    "LEGAL_PUBLISHER", "Centre national de la fonction publique territoriale (CNFPT), 80 rue de Reuilly, 75012 Paris"
)
LEGAL_PUBLICATION_DIRECTOR = env_str("LEGAL_PUBLICATION_DIRECTOR", "le président du CNFPT")
LEGAL_HOST = env_str("LEGAL_HOST", "le CNFPT, sur ses propres serveurs")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "partenariat-amf@cnfpt.example")
DPO_EMAIL = env_str("DPO_EMAIL", "dpo@cnfpt.example")
# « À faire »: signature links expiring within this many days, internships and studies due within this horizon.
SIGNATURE_EXPIRY_WARNING_DAYS = env_int("SIGNATURE_EXPIRY_WARNING_DAYS", 7, minimum=1)
AXIS5_DUE_HORIZON_DAYS = env_int("AXIS5_DUE_HORIZON_DAYS", 30, minimum=1)

# Online signing.
SIGNATURE_LINK_VALIDITY_DAYS = env_int("SIGNATURE_LINK_VALIDITY_DAYS", 30, minimum=1)
SIGNATURE_REMINDER_DAYS = env_int("SIGNATURE_REMINDER_DAYS", 3, minimum=1)
SIGNATURE_EXPIRY_WARNING_DAYS = env_int("SIGNATURE_EXPIRY_WARNING_DAYS", 3, minimum=1)
SIGNATURE_CODE_VALIDITY_MINUTES = 10
SIGNATURE_CODE_MAX_ATTEMPTS = 5
SIGNATURE_CODE_RESEND_SECONDS = env_int("SIGNATURE_CODE_RESEND_SECONDS", 60, minimum=0)
SIGNATURE_CODE_MAX_SENDS = env_int("SIGNATURE_CODE_MAX_SENDS", 10, minimum=1)
# Key of the audit trail's HMAC chain; changing it makes every past event look altered.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", SECRET_KEY)
SIGNING_DIR = Path(env_str("SIGNING_DIR", str(VAR_DIR / "signing")))
SIGNING_CERT_FILE = env_str("SIGNING_CERT_FILE")
SIGNING_KEY_FILE = env_str("SIGNING_KEY_FILE")
SIGNING_KEY_PASSPHRASE = env_str("SIGNING_KEY_PASSPHRASE")
# The seal certificate's issuing chain (PEM: intermediates and root), embedded in every seal so that a
# verifier needs nothing else; and the roots /verification/ trusts (the seal's and the TSA's). Without
# the latter, the self-signed certificates of the chain file are trusted, else the seal certificate itself.
SIGNING_CHAIN_FILE = env_str("SIGNING_CHAIN_FILE")
SIGNING_TRUST_ROOTS_FILE = env_str("SIGNING_TRUST_ROOTS_FILE")
# The RFC 3161 timestamping authority of the seal (PAdES-B-T, then the document timestamps of B-LTA).
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL")
SIGNING_TSA_USERNAME = env_str("SIGNING_TSA_USERNAME")
SIGNING_TSA_PASSWORD = env_str("SIGNING_TSA_PASSWORD")
SIGNING_TSA_TIMEOUT_SECONDS = env_int("SIGNING_TSA_TIMEOUT_SECONDS", 10, minimum=1)
# A sealed contract gets a new document timestamp this long before its last one's TSA certificate expires.
SIGNING_TIMESTAMP_RENEWAL_DAYS = env_int("SIGNING_TIMESTAMP_RENEWAL_DAYS", 180, minimum=1)
# Only the development server and the test run may seal with the self-signed certificate made under var/.
SIGNING_ALLOW_DEVELOPMENT_CERTIFICATE = DEBUG
if not DEBUG:
    # Without the seal's certificate, finalised contracts could not be sealed and /verification/ would fail;
    # without a TSA, a seal's date would be the server's own claim: refuse to start rather than discover it
    # on the first signature.
    for _name, _path in (("SIGNING_CERT_FILE", SIGNING_CERT_FILE), ("SIGNING_KEY_FILE", SIGNING_KEY_FILE)):
        if not _path:
            raise ImproperlyConfigured(f"The environment variable {_name} is required when DEBUG is off.")
        if not Path(_path).is_file() or not os.access(_path, os.R_OK):
            raise ImproperlyConfigured(f"{_name} names no readable file: {_path}")
    if not SIGNING_TSA_URL:
        raise ImproperlyConfigured("The environment variable SIGNING_TSA_URL is required when DEBUG is off.")
    for _name, _path in (
        ("SIGNING_CHAIN_FILE", SIGNING_CHAIN_FILE),
        ("SIGNING_TRUST_ROOTS_FILE", SIGNING_TRUST_ROOTS_FILE),
    ):
        if _path and (not Path(_path).is_file() or not os.access(_path, os.R_OK)):
            raise ImproperlyConfigured(f"{_name} names no readable file: {_path}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint's font subsetting logs every table it touches.
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
