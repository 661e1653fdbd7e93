"""Newsroom settings: one file, driven by environment variables.

With no environment at all it runs for development on an SQLite file under
``var/``. ``DJANGO_ENV=production`` switches on the deployment hardening that
``manage.py check --deploy`` asks for and refuses to start without a real
``SECRET_KEY``.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from articles.media.embeds import FRAME_ORIGINS
from newsroom import backends, errors, logs
from newsroom.environment import ENV_VARS  # noqa: F401 -- tested against compose and the README

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()  # every variable read here is listed in newsroom.environment.ENV_VARS

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs a real SECRET_KEY (at least 50 random characters). "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # SearchVectorField (Article.search_vector); harmless on SQLite.
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_prose_editor",
    "taggit",
    "django_tasks_db",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "health_check",
    "axes",  # admin sign-in lockout (AXES_* below)
    "django_otp",  # the admin's second factor (MFA_REQUIRED below)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sources",
    "articles",
]

MIDDLEWARE = [
    # First: a request id for every log line, and which database may answer reads.
    "newsroom.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers to API callers with credentials are private, whichever middleware gave them.
    "newsroom.headers.PrivateAPIMiddleware",
    # Query strings no view chokes on (NUL, odd charsets); API errors never HTML.
    "newsroom.middleware.RequestInputMiddleware",
    # The database out of reach: 503 with Retry-After, not a 500 (newsroom.outage).
    "newsroom.outage.DatabaseOutageMiddleware",
    # Above the page cache: a cached page gets a Content-Security-Policy of its own.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Cached public pages for anonymous readers, before any session or user is loaded.
    "articles.site.caching.PageCacheMiddleware",
    # A 404 on the public site whose path has a redirect becomes a 301 (one query, only
    # then); below the page cache, which so sees the answer (articles.site.redirects).
    "articles.site.redirects.RedirectMiddleware",
    # The admin's policy; a page that used a nonce is kept by no cache.
    "newsroom.headers.PolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the reader's language for the site's own pages
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # which second factor this session verified
    "newsroom.mfa.middleware.SecondFactorMiddleware",  # until then, the admin waits
    # Who changed a shared record (author, image, sponsor…) when saved outside the admin.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: the lockout page
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # csp_nonce, for the admin's {% csp_nonce_attr %}; public pages need none.
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.site.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
else:
    backends.persistent(DATABASES["default"])
# Readers' and partners' reads (newsroom.routers): the read replica if there is one,
# else a second connection to the primary; on PostgreSQL with a statement timeout below
# gunicorn's 30 s. Editorial work, tasks and migrations use "default" (no timeout).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
PUBLIC_STATEMENT_TIMEOUT = env.float("PUBLIC_STATEMENT_TIMEOUT", default=5.0)
DATABASES["replica"] = backends.public_reads(
    env.db_url_config(DATABASE_REPLICA_URL) if DATABASE_REPLICA_URL else DATABASES["default"],
    statement_timeout=PUBLIC_STATEMENT_TIMEOUT,
)
# Development (and the tests, unless they say otherwise) read everything from "default".
PUBLIC_READS_DATABASE = "replica" if PRODUCTION or DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["newsroom.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # A Redis that stops answering costs a request at most this, then the site
            # serves without it (newsroom.cache).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# Background tasks (django.tasks). "immediate" runs a task as it is enqueued (no worker;
# development); "database" queues them for `manage.py db_worker` (django-tasks-db), which
# also runs them at a set time, e.g. a scheduled article at its publication time.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# Proxies in front that append to X-Forwarded-For (Compose: 1, its Varnish); only that
# many hops are believed (newsroom.clients, for every per-address rule); 0 ignores it.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
# Limits and lockouts count an IPv6 client by its network of this size (newsroom.clients).
CLIENT_IPV6_PREFIX = 64

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "articles.api.auth.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["articles.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["sources.api.params.StrictFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "articles.api.throttling.AnonymousThrottle",
        "articles.api.throttling.KeyThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env.str("API_RATE_ANONYMOUS", default="120/minute"),
        "key": env.str("API_RATE_KEY", default="1200/minute"),
        "key_failures": env.str("API_KEY_FAILURES", default="20/minute"),  # per address
    },
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "articles.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom partner API",
    "DESCRIPTION": (
        "Labelled journalism out, agents' drafts in. Every article carries its sponsorship "
        "label (`sponsorship.label`, fixed wording) and its bylines, including AI agents "
        "and the human editor who reviewed them: show them wherever you show the piece. "
        "Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    **dict.fromkeys(["SWAGGER_UI_DIST", "SWAGGER_UI_FAVICON_HREF", "REDOC_DIST"], "SIDECAR"),
    # Each operation's errors (problem+json) and headers (articles.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.document_errors",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # An author's kind appears in the full author and in a list item's brief author.
    "ENUM_NAME_OVERRIDES": {"AuthorKindEnum": "articles.models.newsroom.Author.Kind"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Languages an article may be written in (BCP 47 tags, as schema.org's inLanguage wants),
# and so the site's: an article's page, card and feed items speak its language (locale/).
LANGUAGES = ARTICLE_LANGUAGES = [
    ("en", "English"),
    ("de", "German"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("ja", "Japanese"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]  # English dates as "3 December 2026"

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
# WhiteNoise warns on every request when its root is missing; collectstatic fills it later.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Uploads on S3-compatible storage when a bucket is named (see the README).
    "default": backends.media_storage(
        env.str("AWS_STORAGE_BUCKET_NAME", default=""),
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        region_name=env.str("AWS_S3_REGION_NAME", default=""),
        custom_domain=env.str("AWS_S3_CUSTOM_DOMAIN", default=""),
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: refuse oversized files and decompression bombs with a clear message.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
# 24 MP: a phone's or camera's full-size photo. Up to ~8 bytes a pixel in a worker (less
# pixels for WebP and 16-bit, see articles.images.pixel_limit): < 300 MB (make bench-images).
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=24_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SITE_NAME = env.str("SITE_NAME", default="Newsroom")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Who publishes: shown on the standards pages, in trust.txt and in JSON-LD.
PUBLISHER = {
    "name": SITE_NAME,
    "legal_name": env.str("PUBLISHER_LEGAL_NAME", default="Newsroom Media Ltd"),
    "contact_email": env.str("PUBLISHER_EMAIL", default="newsroom@example.com"),
    "corrections_email": env.str("CORRECTIONS_EMAIL", default="corrections@example.com"),
    "owner": env.str("PUBLISHER_OWNER", default="Newsroom Media Ltd, owned by its staff trust"),
    "funding": env.str(
        "PUBLISHER_FUNDING",
        default="Reader subscriptions, advertising (always labelled) and foundation grants "
        "(always disclosed).",
    ),
    "language": "en",
    # trust.txt (JournalList): may AI companies train on our content?
    "data_training_allowed": env.bool("DATA_TRAINING_ALLOWED", default=False),
}
# Public pages for anonymous readers: the app's page cache keeps each this long (0 switches
# it off) and an edge cache (Varnish, deploy/varnish/default.vcl) EDGE_CACHE_SECONDS. A
# change to an article drops only the pages showing it, at once; pages nothing purges (a
# renamed section's navigation) are at most this old.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
EDGE_CACHE_SECONDS = env.int("EDGE_CACHE_SECONDS", default=300)
# Varnish instance(s) to purge by key, e.g. http://varnish:6081/ (comma-separated).
VARNISH_URL = env.list("VARNISH_URL", default=[])

# Partner webhooks: https:// and public addresses only (no SSRF), but in development and
# tests; a delivery is given up after WEBHOOK_MAX_ATTEMPTS (about an hour of back-off).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=not PRODUCTION)
WEBHOOK_MAX_ATTEMPTS = 8

LOGIN_URL = "admin:login"

# Sign-in lockout (django-axes): AXES_FAILURE_LIMIT failures for one username from one
# address lock that pair out until AXES_COOLOFF_MINUTES pass without another try.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_key"

# Second factor (newsroom/mfa/): publishers and superusers must give an authenticator app's
# code after the password; whoever enrolled is asked anyway. Wrong codes: django-otp's throttle.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = SITE_NAME

# How long a shared preview link (e.g. sent to a sponsor for approval) stays valid.
PREVIEW_LINK_MAX_AGE = env.int("PREVIEW_LINK_MAX_AGE", default=7 * 24 * 60 * 60)

# Four eyes: sponsored and AI-written pieces always need a second approver; with this
# on, every newsroom piece does.
NEWSROOM_SECOND_APPROVAL = env.bool("NEWSROOM_SECOND_APPROVAL", default=False)

# Security headers that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy, enforced everywhere (newsroom/headers.py). Public pages need no nonce
# (own scripts only; pictures also from the uploads' domain, frames from embeds'); the admin's do.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *backends.media_origins(STORAGES["default"])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "frame-src": [CSP.SELF, *FRAME_ORIGINS],
    "form-action": [CSP.SELF],
}
# The admin: the same, but inline styles are allowed (never scripts). Its rich-text
# editor (Tiptap, in django-prose-editor) injects a <style> element without a nonce, and
# its status badges and source warnings are drawn with style attributes.
ADMIN_CSP = {**SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Load balancers and compose probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]

# Plain lines in development, JSON in production; every line has its request id.
LOGGING = logs.django_config(
    json=env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain") == "json",
    level=env.str("LOG_LEVEL", default="INFO"),
)

# Error reports, only when a DSN is set (sentry_sdk is not even imported otherwise).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    errors.init_sentry(
        SENTRY_DSN,
        environment=DJANGO_ENV,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
