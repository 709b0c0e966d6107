"""Settings for Factcheck, driven by environment variables.

Local development needs no environment at all: DEBUG is on, the database is a
SQLite file in the project and a development-only secret key is generated into
the git-ignored `.local/` folder. A deployment turns DEBUG off and must then
provide SECRET_KEY and ALLOWED_HOSTS (see docs/ and README.md).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A per-checkout key for development, kept out of git in .local/."""
    path = LOCAL_DIR / "secret_key"
    if not path.exists():
        LOCAL_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "axes",
    # The read-only JSON API under /api/ (claims/api/); listed for its Swagger UI static files.
    "ninja",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The language of the address (or the reader's choice), active before anything resolves a URL.
    "factcheck.languages.LanguageMiddleware",
    # /api/: CORS for any origin (preflights too, above the OPTIONS answer), the per-client limit, JSON errors.
    "claims.api.http.ApiMiddleware",
    # HEAD runs as GET, OPTIONS and unknown methods get Allow; above CSRF, so a 405 never reads the body.
    "factcheck.http_methods.HttpMethodsMiddleware",
    # Above sessions and auth, which query too: a database outage becomes a 503 page, not a 500.
    "factcheck.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET that has none, so a repeat request answers 304 (results pages, quiz intro).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "claims.preview.PreviewHeadersMiddleware",
    # Failed sign-ins per address across usernames (axes counts per address and username).
    "factcheck.login_limits.LoginFailuresPerAddressMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Our 403 page; the other error pages are handler400/403/404/500 in factcheck/urls.py (factcheck/errors.py).
CSRF_FAILURE_VIEW = "factcheck.errors.csrf_failure"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
                "claims.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default; PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# Seconds a connection is kept between requests. Opening SQLite's file and setting its pragmas
# costs more than a quiz step's whole work, so SQLite keeps its connection; PostgreSQL opens one
# per request unless told otherwise (60 behind gunicorn, 0 behind PgBouncer: docs/deploy.md).
CONN_MAX_AGE_DEFAULT = "600" if DATABASE_URL.startswith("sqlite") else "0"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", CONN_MAX_AGE_DEFAULT)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while a writer commits; IMMEDIATE takes the write
    # lock at BEGIN so concurrent writers queue on the busy timeout instead of
    # failing with "database is locked" when they upgrade a read transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so live-server tests can write from several threads;
    # one per process, so concurrent test runs on one checkout do not collide.
    LOCAL_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(LOCAL_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "factcheck.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "factcheck",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Editors' sessions live in the database and are read through Redis: shared by every
    # app server, and still there if Redis is restarted or unreachable. (Readers have none:
    # claims/quiz_readers.py.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Per process. Room for every rendered page and quiz step of a site this size (a quiz has a few
    # dozen step variants per question): the default 300 entries would evict them while readers play.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

# Admin login lockout (django-axes, stored in the database so every app server sees it).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
# Failed sign-ins from one address across all usernames (password spraying): factcheck/login_limits.py.
LOGIN_FAILURE_RATE = os.environ.get("LOGIN_FAILURE_RATE", "20/900")
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "factcheck.client_ip.client_ip"
# Readers' quiz limits (claims/ratelimit.py, claims/quiz_services.py): "<count>/<seconds>" per client address,
# and how many attempts per browser per quiz count in the statistics within a window.
QUIZ_ANSWER_RATE = os.environ.get("QUIZ_ANSWER_RATE", "120/60")
QUIZ_START_RATE = os.environ.get("QUIZ_START_RATE", "30/600")
QUIZ_COUNTED_ATTEMPTS = int(os.environ.get("QUIZ_COUNTED_ATTEMPTS", "3"))
QUIZ_COUNTED_ATTEMPTS_WINDOW = int(os.environ.get("QUIZ_COUNTED_ATTEMPTS_WINDOW", str(60 * 60)))
# Shares of readers (per question, per choice, the histograms, "better than X%") show from this many counted
# readers on: below it a share describes chance more than readers.
QUIZ_MIN_SAMPLE = int(os.environ.get("QUIZ_MIN_SAMPLE", "30"))
# Article import (claims/imports/fetch.py): the whole fetch of a page, in seconds; its largest body, in bytes;
# and how many redirects are followed (each one checked again: only public addresses are fetched).
IMPORT_TIMEOUT = float(os.environ.get("IMPORT_TIMEOUT", "10"))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1000 * 1000)))
IMPORT_MAX_REDIRECTS = int(os.environ.get("IMPORT_MAX_REDIRECTS", "5"))
# Requests to the JSON API under /api/ per client address (claims/api/http.py), "<count>/<seconds>".
API_RATE = os.environ.get("API_RATE", "120/60")
# How long a browser keeps its anonymous reader id (a signed cookie: claims/quiz_readers.py), in seconds.
QUIZ_READER_COOKIE_AGE = int(os.environ.get("QUIZ_READER_COOKIE_AGE", str(60 * 60 * 24 * 30)))
# How long the signed reader token in an embed's forms and links stays good after it was first issued, in seconds:
# what carries an embedded quiz where the browser refuses its cookie (claims/quiz_readers.py).
QUIZ_EMBED_TOKEN_AGE = int(os.environ.get("QUIZ_EMBED_TOKEN_AGE", str(60 * 60 * 3)))
# Editorial review: approvals from chief editors other than the author before publishing.
REQUIRED_APPROVALS = int(os.environ.get("REQUIRED_APPROVALS", "1"))

# Readers' tips (/tips/, claims/tips/): per-client limit on sending them ("<count>/<seconds>"), the least time a
# person takes to fill in the form (seconds: faster is a script), how long a form stays good (seconds), the
# largest request body the form accepts (bytes), and how long a reader's email address is kept (days;
# manage.py purge_tip_emails deletes it then: docs/deploy.md).
TIP_RATE = os.environ.get("TIP_RATE", "5/3600")
TIP_MIN_FILL_SECONDS = int(os.environ.get("TIP_MIN_FILL_SECONDS", "3"))
TIP_FORM_MAX_AGE = int(os.environ.get("TIP_FORM_MAX_AGE", str(60 * 60 * 24)))
TIP_MAX_BODY_BYTES = int(os.environ.get("TIP_MAX_BODY_BYTES", str(16 * 1024)))
TIP_EMAIL_RETENTION_DAYS = int(os.environ.get("TIP_EMAIL_RETENTION_DAYS", "90"))

# Email (readers' tips: claims/tips/outbox.py). Printed to the console in development; in production SMTP from
# the environment (docs/deploy.md). Django 6.1's MAILERS; EMAIL_BACKEND picks another backend class. Tests get
# the in-memory backend (Django's test runner replaces every mailer's backend).
EMAIL_BACKEND_CLASS = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_CLASS,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
        }
        if EMAIL_BACKEND_CLASS.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Factcheck <noreply@localhost>")

# How many reverse proxies in front of the app append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the unprefixed addresses, Spanish under /es/ (factcheck/urls.py, factcheck/languages.py).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Set when a reader picks a language, or once from the browser's Accept-Language on a first visit.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates and numbers as each language writes them (factcheck/formats/: our English and Spanish date formats).
FORMAT_MODULE_PATH = ["factcheck.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded pictures (claims/pictures.py). By default in the git-ignored media/ folder, served by nginx in
# production (deploy/nginx.conf.template) and by the dev server with DEBUG on. Several app servers cannot
# share a local folder: set MEDIA_BUCKET to keep them in an S3-compatible bucket (docs/deploy.md), and
# MEDIA_URL to the address readers fetch them from (the bucket's, or a CDN's in front of it).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET", "")
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
if not MEDIA_URL.endswith("/"):
    MEDIA_URL += "/"
_media_url = urlsplit(MEDIA_URL)
# Where pictures come from when not from this site: the Content Security Policy below lets pages load them.
MEDIA_ORIGIN = f"{_media_url.scheme}://{_media_url.netloc}" if _media_url.scheme and _media_url.netloc else ""
if MEDIA_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_REGION") or None,
            "location": os.environ.get("MEDIA_PREFIX", ""),
            # Links are the public MEDIA_URL, never signed (a signed link in a cached page would expire).
            "querystring_auth": False,
            "custom_domain": (_media_url.netloc + _media_url.path).rstrip("/") if MEDIA_ORIGIN else None,
            "url_protocol": f"{_media_url.scheme}:" if MEDIA_ORIGIN else "https:",
            # File names carry a digest of their content (claims/pictures.py): never overwritten, cached forever.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
PICTURE_MAX_BYTES = int(os.environ.get("PICTURE_MAX_BYTES", str(10 * 1000 * 1000)))
# Checked on the image's header, before decoding: 40 megapixels decode to 160 MB of RGBA.
PICTURE_MAX_PIXELS = int(os.environ.get("PICTURE_MAX_PIXELS", str(40 * 1000 * 1000)))
PICTURE_MAX_SIDE = int(os.environ.get("PICTURE_MAX_SIDE", "8000"))
# Sharp on a 1200 px share image's picture panel and on a phone's screen at twice its CSS pixels.
PICTURE_MIN_WIDTH = int(os.environ.get("PICTURE_MIN_WIDTH", "600"))
PICTURE_WIDTHS = [480, 800, 1200]

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content Security Policy: every script and style is a static file of ours,
# so no page needs a nonce and cached pages can be shared safely.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Who may frame the embeds (/embed/…, claims/views/embeds.py), the only pages that may be framed: their CSP
# frame-ancestors, as source expressions separated by commas, e.g. "https://partner.example,https://*.news.example".
# The default "*" is any http(s) page.
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", "*")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
URLIZE_ASSUME_HTTPS = True

# The organisation credited as the author of every fact-check (ClaimReview).
SITE_NAME = os.environ.get("SITE_NAME", "Factcheck")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}
