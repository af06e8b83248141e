"""Settings for every environment, configured by environment variables.

Defaults give the embedded set-up (SQLite + database search backend) so a fresh checkout runs with
nothing else installed. Production sets DJANGO_ENV=production, which refuses unsafe defaults.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_json, env_list
from core.rates import parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_ENV=production")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    # accounts before allauth: its templates (the site's bilingual pages and e-mails) override allauth's
    "accounts",
    "allauth",
    "allauth.account",
    "certification",
    "catalog",
    "catalog.feeds",
    "catalog.uploads",
    "search",
    "search.exports",
    "web",
    "notifications",
    "program",
    "officers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectNulInQueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

if PRODUCTION:
    # gunicorn serves no static files; WhiteNoise serves the collected ones with far-future caching
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# CONN_HEALTH_CHECKS: a persistent connection (DATABASE_CONN_MAX_AGE > 0) is checked before a request reuses
# it, so after a database restart the processes reconnect instead of failing on a dead socket until they
# are restarted (the restart drill, docs/operations.md). Requests during the outage answer 503
# (core.handlers.server_error).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (search, exports) run while a writer holds the lock; busy timeout avoids
    # "database is locked" under the development server's threads.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STORAGES = {
    # private: evidence documents and export files; nothing serves this location
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # public listing images only, served by /products/<pk>/image/ (catalog.storage); production may name
    # any storage, e.g. django-storages' S3 backend (docs/operations.md)
    "public_media": env_json(
        "PUBLIC_MEDIA_STORAGE", {"BACKEND": "catalog.storage.PublicFileSystemStorage", "OPTIONS": {}}
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Absolute base for URLs that leave the site (the feed's product page and image links); `make run` sets it
# to the address it serves on.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A product registered on Nara Marketplace (it has a 물품식별번호) links there from its product page when this
# template is set, with {number} for the 8-digit number (docs/pages.md); empty: the number is shown, unlinked.
NARA_ITEM_URL_TEMPLATE = os.environ.get("NARA_ITEM_URL_TEMPLATE", "")

# Caches. "default" is per process (memory); "shared" is one store every server process reads and writes,
# for counts that must hold across processes (the anonymous throttle). CACHE_URL chooses it:
# db://<table> (default, a table in the project's database, created by migrate), redis://host:port/db,
# or locmem:// (one process only: tests and experiments).
CACHE_URL = os.environ.get("CACHE_URL", "db://sangsaeng_cache")


def cache_from_url(url: str) -> dict:
    scheme, _, rest = url.partition("://")
    if scheme == "db":
        # room for one row per active address and window: culling (a third of the rows, by key) at the
        # default 300 would forget live counts under a crowd of addresses
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "sangsaeng_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "shared"}
    raise ImproperlyConfigured(f"CACHE_URL must start with db://, redis:// or locmem://, got {url!r}")


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": cache_from_url(CACHE_URL),
}

# Every rate limit counts in THROTTLE_CACHE so every server process sees the same count (core.throttling).
# Anonymous visitors (the public catalog's pages and API) share one limit per client address.
THROTTLE_CACHE = os.environ.get("THROTTLE_CACHE", "shared")
if THROTTLE_CACHE not in CACHES:
    raise ImproperlyConfigured(
        f"THROTTLE_CACHE must name a cache ({', '.join(CACHES)}), got {THROTTLE_CACHE!r}"
    )
THROTTLE_ANONYMOUS = os.environ.get("THROTTLE_ANONYMOUS", "120/min")
THROTTLE_RATES = {
    # search and suggest together, per user (per address for anonymous public search)
    "search": os.environ.get("THROTTLE_SEARCH", "600/min"),
    # sign-in attempts per client address: the sign-in page and the token endpoint share this budget
    "login": os.environ.get("THROTTLE_LOGIN", "20/min"),
    # sign-in attempts per account (by username or e-mail), wherever they come from: the same two doors
    "login_account": os.environ.get("THROTTLE_LOGIN_ACCOUNT", "10/min"),
    # certificate verification and the status event feed, open to anyone
    "public": os.environ.get("THROTTLE_PUBLIC", "300/min"),
}
for _scope, _rate in {"anonymous": THROTTLE_ANONYMOUS, **THROTTLE_RATES}.items():
    try:
        parse_rate(_rate)  # refused at start-up, not on the first request that counts
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(f"THROTTLE_{_scope.upper()}: {exc}") from exc
# How many proxies in front of the app append to X-Forwarded-For; 0 ignores the header (REMOTE_ADDR is
# the client), since anyone can send one.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    # every operation documents its error answers too, with the one error shape
    "DEFAULT_SCHEMA_CLASS": "core.schema.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.json_exception_handler",
    # no DEFAULT_THROTTLE_RATES: views use core.throttling, whose rates are THROTTLE_RATES above
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sangsaeng API",
    "DESCRIPTION": "Registry, catalog, search and Nara Marketplace feed for win-win cooperation products.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # several models have a "status" or "kind"; name each choice set after its domain meaning
    "ENUM_NAME_OVERRIDES": {
        "RegionEnum": "certification.models.Region",
        "SectorEnum": "certification.codes.Sector",
        "ApplicationStatusEnum": "certification.models.ApplicationStatus",
        "CertificateStatusEnum": "certification.models.CertificateStatus",
        "EvidenceKindEnum": "certification.models.EvidenceKind",
        "ExportKindEnum": "catalog.feeds.models.ExportKind",
        "ExportStatusEnum": "catalog.feeds.models.ExportStatus",
        "ExportFormatEnum": "catalog.feeds.models.ExportFormat",
        "NotificationKindEnum": "notifications.kinds.Kind",
        "NotificationLanguageEnum": "notifications.models.Language",
    },
    # the default hook, then the links from each create operation to those on the created record
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema_links.add_links"],
}

# Search
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "database")
if SEARCH_BACKEND not in {"database", "elasticsearch"}:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be 'database' or 'elasticsearch', got {SEARCH_BACKEND!r}"
    )
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "sangsaeng")
ELASTICSEARCH_TIMEOUT = env_int("ELASTICSEARCH_TIMEOUT", 10)
# When Elasticsearch is down, answer search from the database instead of a 503.
SEARCH_FALLBACK_TO_DATABASE = env_bool("SEARCH_FALLBACK_TO_DATABASE", False)

# Health (/healthz, config.health): each check by name, run in order; a failing one makes the answer 503.
# Add a dependency's check here (a function returning config.health.ok/degraded/failing).
HEALTH_CHECKS = {
    "database": "config.health.check_database",
    "search": "config.health.check_search",
    "outbox": "config.health.check_outbox",
    "broker": "config.health.check_broker",
    "worker": "config.health.check_worker",
}
# Search changes older than this still waiting in the outbox make health "degraded" (the search_sync
# worker is stopped, stuck, or cannot reach the search engine).
HEALTH_OUTBOX_LAG_SECONDS = env_int("HEALTH_OUTBOX_LAG_SECONDS", 300)
# A worker heartbeat older than this makes health "degraded" (no worker, or no beat, is running).
HEALTH_WORKER_HEARTBEAT_SECONDS = env_int("HEALTH_WORKER_HEARTBEAT_SECONDS", 120)

# E-mail. `make run` prints messages on the console; production reads SMTP settings from the environment
# (EMAIL_HOST set switches to SMTP). Tests point the SMTP backend at a real server of their own (tests/mail.py).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "상생협력제품 <no-reply@sangsaeng.local>")

# Certification
# Validity is counted in calendar years (certification.validity: Civil Act art. 160), not in days.
CERTIFICATE_VALIDITY_YEARS = env_int("CERTIFICATE_VALIDITY_YEARS", 3)
# How long after a certificate's expiry its renewal may still be submitted or approved.
CERTIFICATE_RENEWAL_WINDOW_DAYS = env_int("CERTIFICATE_RENEWAL_WINDOW_DAYS", 90)
# The fewest evaluators a review stage's panel may have (the scheme's rule is three).
EVALUATION_PANEL_MINIMUM = env_int("EVALUATION_PANEL_MINIMUM", 3)
CERTIFICATE_EXPIRING_SOON_DAYS = env_int("CERTIFICATE_EXPIRING_SOON_DAYS", 90)
# The certificate document's font (certification.document): empty = NanumGothic shipped with the code.
CERTIFICATE_FONT_PATH = os.environ.get("CERTIFICATE_FONT_PATH", "")
# The public status event feed shows an event once it is this old, so its transaction has committed
# (certification.events explains why a poller would otherwise skip it).
CERTIFICATE_EVENTS_SETTLE_SECONDS = env_int("CERTIFICATE_EVENTS_SETTLE_SECONDS", 30)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
LISTING_IMAGE_MAX_BYTES = env_int("LISTING_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# checked on the image header before any pixel is decoded (catalog.images)
LISTING_IMAGE_MAX_PIXELS = env_int("LISTING_IMAGE_MAX_PIXELS", 40_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background jobs (Celery; docs/operations.md "Jobs"). Without CELERY_BROKER_URL tasks run in-process
# (eager): `make run` and the test suite need no Redis, and a started export has finished when the page
# answers. Production sets CELERY_BROKER_URL=redis://… and runs `celery -A config worker` and `… beat`.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
# eager tasks never reach a broker; the in-memory transport only keeps Celery from looking for one
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
# the job's state lives in its database row (ExportJob), not in a result backend
CELERY_TASK_IGNORE_RESULT = True
# a task is acknowledged after it ran, and one message at a time per worker process: a worker that dies
# mid-task leaves its message to be delivered again, where the job's claim makes the copy a no-op
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "sangsaeng")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# The one schedule table (Celery beat). The search outbox is NOT here: `manage.py search_sync --loop`
# drains it continuously (one drain mechanism, docs/operations.md).
CELERY_BEAT_SCHEDULE = {
    "certificates-lift-ended-suspensions": {
        "task": "certification.lift_ended_suspensions",
        "schedule": crontab(hour=0, minute=5),
    },
    # after the suspensions, as `manage.py expire_certificates` does both in this order
    "certificates-expire": {
        "task": "certification.expire_certificates",
        "schedule": crontab(hour=0, minute=10),
    },
    "exports-sweep-stale": {"task": "feeds.sweep_stale_exports", "schedule": 60.0},
    "search-rebuilds-sweep-stale": {"task": "search.sweep_stale_rebuilds", "schedule": 60.0},
    "worker-heartbeat": {"task": "config.worker_heartbeat", "schedule": 30.0},
    # after the expiry run: a certificate that expired today is not reminded
    "notifications-expiry-reminders": {
        "task": "notifications.expiry_reminders",
        "schedule": crontab(hour=0, minute=20),
    },
    "notifications-send-pending": {"task": "notifications.send_pending", "schedule": 120.0},
    "search-exports-sweep-stale": {"task": "search_exports.sweep_stale", "schedule": 60.0},
    # officers' saved-search alerts, once a day in the morning (KST), after the night's certificate runs
    "officers-saved-search-alerts": {
        "task": "officers.saved_search_alerts",
        "schedule": crontab(hour=7, minute=0),
    },
}
# Export jobs: a worker writes progress at least every EXPORT_PROGRESS_ROWS rows (or seconds); a running job
# without a sign of life for EXPORT_LEASE_SECONDS is taken back by the sweep and retried, up to
# EXPORT_MAX_ATTEMPTS attempts in all; a job no worker took within EXPORT_QUEUE_TIMEOUT_SECONDS fails.
EXPORT_PROGRESS_ROWS = env_int("EXPORT_PROGRESS_ROWS", 1000)
EXPORT_PROGRESS_SECONDS = env_int("EXPORT_PROGRESS_SECONDS", 2)
EXPORT_LEASE_SECONDS = env_int("EXPORT_LEASE_SECONDS", 300)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 2)
EXPORT_QUEUE_TIMEOUT_SECONDS = env_int("EXPORT_QUEUE_TIMEOUT_SECONDS", 6 * 3600)
# Search rebuild jobs (search.rebuilds), the same rules as exports. The database backend writes its table in
# one transaction and reports progress when it commits, so its lease must cover a whole rebuild.
SEARCH_REBUILD_PROGRESS_ROWS = env_int("SEARCH_REBUILD_PROGRESS_ROWS", 2000)
SEARCH_REBUILD_PROGRESS_SECONDS = env_int("SEARCH_REBUILD_PROGRESS_SECONDS", 2)
SEARCH_REBUILD_LEASE_SECONDS = env_int("SEARCH_REBUILD_LEASE_SECONDS", 1800)
SEARCH_REBUILD_MAX_ATTEMPTS = env_int("SEARCH_REBUILD_MAX_ATTEMPTS", 2)
SEARCH_REBUILD_QUEUE_TIMEOUT_SECONDS = env_int("SEARCH_REBUILD_QUEUE_TIMEOUT_SECONDS", 6 * 3600)
# Building many search documents (a rebuild from scratch, after the document code or Kiwi changed) runs on
# SEARCH_BUILD_WORKERS worker processes (unset: one per core; 0 or 1: in the rebuilding process), once at
# least SEARCH_BUILD_POOL_MIN_ROWS rows need building: below that, starting the workers costs more than they save.
SEARCH_BUILD_WORKERS = env_int("SEARCH_BUILD_WORKERS", 0) if os.environ.get("SEARCH_BUILD_WORKERS") else None
SEARCH_BUILD_POOL_MIN_ROWS = env_int("SEARCH_BUILD_POOL_MIN_ROWS", 3000)
# Officers' exports of search results (search.exports, docs/pages.md "Export search results"): up to
# SEARCH_EXPORT_INLINE_ROWS results the file is the response; up to SEARCH_EXPORT_MAX_ROWS (at most the search
# window, 10,000) a worker job writes it; beyond that the officer narrows the search. Job settings as above.
SEARCH_EXPORT_INLINE_ROWS = env_int("SEARCH_EXPORT_INLINE_ROWS", 2000)
SEARCH_EXPORT_MAX_ROWS = min(env_int("SEARCH_EXPORT_MAX_ROWS", 10_000), 10_000)
SEARCH_EXPORT_PROGRESS_ROWS = env_int("SEARCH_EXPORT_PROGRESS_ROWS", 500)
SEARCH_EXPORT_PROGRESS_SECONDS = env_int("SEARCH_EXPORT_PROGRESS_SECONDS", 2)
SEARCH_EXPORT_LEASE_SECONDS = env_int("SEARCH_EXPORT_LEASE_SECONDS", 300)
SEARCH_EXPORT_MAX_ATTEMPTS = env_int("SEARCH_EXPORT_MAX_ATTEMPTS", 2)
SEARCH_EXPORT_QUEUE_TIMEOUT_SECONDS = env_int("SEARCH_EXPORT_QUEUE_TIMEOUT_SECONDS", 6 * 3600)
# where the last worker heartbeat is kept (config.tasks), for /healthz: this cache, this key
WORKER_HEARTBEAT_CACHE = "shared"
WORKER_HEARTBEAT_KEY = "celery:worker-heartbeat"

# Notifications (docs/notifications.md). Reminders go this many days before a certificate expires; an e-mail
# that fails is tried again after 30 s, 60 s, 120 s, … (capped) up to the attempts; one stuck "sending" past
# the lease is failed, not resent; the sweep re-queues pending e-mails overdue by the grace.
NOTIFICATION_EXPIRY_REMINDER_DAYS = tuple(
    sorted(
        {int(days) for days in env_list("NOTIFICATION_EXPIRY_REMINDER_DAYS", ["90", "30", "7"])}, reverse=True
    )
)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env_int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", 6)
NOTIFICATION_EMAIL_RETRY_SECONDS = env_int("NOTIFICATION_EMAIL_RETRY_SECONDS", 30)
NOTIFICATION_EMAIL_RETRY_MAX_SECONDS = env_int("NOTIFICATION_EMAIL_RETRY_MAX_SECONDS", 3600)
NOTIFICATION_SENDING_LEASE_SECONDS = env_int("NOTIFICATION_SENDING_LEASE_SECONDS", 600)
NOTIFICATION_SWEEP_GRACE_SECONDS = env_int("NOTIFICATION_SWEEP_GRACE_SECONDS", 120)
NOTIFICATION_SWEEP_BATCH = env_int("NOTIFICATION_SWEEP_BATCH", 500)

# Officer tools (officers/, docs/pages.md): how many shortlists and saved searches an officer keeps, how many
# products a list holds; a saved-search alert reads the newest SAVED_SEARCH_SCAN_MAX matches and lists at
# most SAVED_SEARCH_ALERT_MAX_PRODUCTS new products in one e-mail (the rest as a count and a link).
OFFICER_SHORTLISTS_MAX = env_int("OFFICER_SHORTLISTS_MAX", 20)
OFFICER_SHORTLIST_ITEMS_MAX = env_int("OFFICER_SHORTLIST_ITEMS_MAX", 200)
OFFICER_SAVED_SEARCHES_MAX = env_int("OFFICER_SAVED_SEARCHES_MAX", 20)
SAVED_SEARCH_SCAN_MAX = env_int("SAVED_SEARCH_SCAN_MAX", 1000)
SAVED_SEARCH_ALERT_MAX_PRODUCTS = env_int("SAVED_SEARCH_ALERT_MAX_PRODUCTS", 20)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Accounts (django-allauth, accounts only; docs/accounts.md). Sign-up by e-mail and password, verified by a
# link; demo and older accounts still sign in with their username.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm", "signup": "accounts.forms.SignUpForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# sign-up and reset answer the same whether or not an address has an account (the owner gets an e-mail)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[상생협력제품] "
# the owner hears of a changed or reset password (and a changed address) by mail
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = LOGIN_URL
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Sign-in attempts are counted by core.throttling alone (THROTTLE_RATES "login" and "login_account",
# shared with the token endpoint); allauth's own login limits are switched off so there is one mechanism.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
# How long an invitation link stays valid.
ACCOUNTS_INVITATION_DAYS = env_int("ACCOUNTS_INVITATION_DAYS", 7)
# Officers whose verified e-mail's domain ends with one of these (whole labels: "go.kr" matches
# "mois.go.kr", never "ago.kr") get the officer role without waiting for an administrator.
OFFICER_AUTO_APPROVE_DOMAINS = env_list("OFFICER_AUTO_APPROVE_DOMAINS", ["go.kr", "korea.kr"])

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"elastic_transport": {"level": "WARNING"}},
}

# Supplier bulk upload (docs/bulk-upload.md): the largest file taken, what its workbook may inflate to (counted
# while decompressing, never trusted from the ZIP's headers), product rows and columns per file, and how
# often a checking or committing job writes its progress.
BULK_UPLOAD_MAX_BYTES = env_int("BULK_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
BULK_UPLOAD_MAX_DECOMPRESSED_BYTES = env_int("BULK_UPLOAD_MAX_DECOMPRESSED_BYTES", 50 * 1024 * 1024)
BULK_UPLOAD_MAX_ROWS = env_int("BULK_UPLOAD_MAX_ROWS", 2000)
BULK_UPLOAD_MAX_COLUMNS = env_int("BULK_UPLOAD_MAX_COLUMNS", 30)
BULK_UPLOAD_PROGRESS_ROWS = env_int("BULK_UPLOAD_PROGRESS_ROWS", 100)

# Search log (search.log, issue 23): first-page searches without personal data, for the program's search
# insight; kept this many days, pruned daily by the beat task below.
SEARCH_LOG_ENABLED = env_bool("SEARCH_LOG_ENABLED", True)
SEARCH_LOG_RETENTION_DAYS = env_int("SEARCH_LOG_RETENTION_DAYS", 180)
CELERY_BEAT_SCHEDULE["search-prune-log"] = {
    "task": "search.prune_search_log",
    "schedule": crontab(hour=0, minute=40),
}
