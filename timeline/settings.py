"""Timeline's settings: one file, driven by the environment (see README, "Configuration").

The defaults are safe: DEBUG is off unless DEBUG=1 is set (`make run` and the tests set it);
SQLite in ./var/. Production sets at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
`manage.py check --deploy` then passes.
"""

import json
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

from timeline.env import cache_config, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TIMELINE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "events",
    "events.imports",
    "events.ingestion",
    "embeds",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before sessions and the database: a login already locked out is refused from the cache.
    "accounts.lockout.LockedOutShortcutMiddleware",
    "timeline.middleware.PrivateWhenSettingCookiesMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous GETs answered from the public-stamp-keyed cache skip everything below.
    "timeline.response_cache.StampedResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A password someone else gave you leads to "Change password" first (accounts/one_time.py).
    "accounts.one_time.ReplaceIssuedPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the revisions: a request to a merged record's old address is redirected.
    "timeline.middleware.MergedRedirectMiddleware",
    "timeline.middleware.RevisionMiddleware",
    # Last, as django-axes requires: turns a refused login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "timeline.urls"
WSGI_APPLICATION = "timeline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in a git-ignored folder unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'timeline.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while the admin writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replicas (docs/scaling.md): public reads go to replica_0, replica_1 …, the rest to default.
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    DATABASES[f"replica_{_index}"] = {
        **dj_database_url.parse(
            _url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        ),
        "TEST": {"MIRROR": "default"},
    }
# The hot reads' statements are prepared once per connection (events.statements); off for a
# pooler that cannot carry prepared statements (PgBouncer in transaction mode before 1.21).
DATABASE_PREPARED_READS = env_bool("DATABASE_PREPARED_READS", default=True)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # Our statements take milliseconds; JIT-compiling the costlier plans (a full-text
        # search ranks every match) took 60 ms more than running them (docs/benchmarks.md).
        # No parallel workers either: each is a process PostgreSQL starts for one statement
        # (the alignment of two states started one a request), CPU that concurrent requests
        # would have used, and that no process keeps long enough for `top` to show it.
        _database.setdefault("OPTIONS", {}).setdefault(
            "options", "-c jit=off -c max_parallel_workers_per_gather=0"
        )
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["timeline.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "timeline.db_router.PrimaryPinningMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: a locked-out username or client is refused before any password is hashed.
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

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
# Archived copies of sources (events.archiving): local files under TIMELINE_ARCHIVE_DIR by default
# (inside var/, which git ignores); ARCHIVE_STORAGE_BACKEND and ARCHIVE_STORAGE_OPTIONS (a JSON
# object) select any Django storage instead, such as S3 (docs/operations.md, "Archived copies").
ARCHIVE_DIR = Path(env_str("TIMELINE_ARCHIVE_DIR", str(VAR_DIR / "archive")))
_ARCHIVE_BACKEND = env_str("ARCHIVE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
try:
    _ARCHIVE_OPTIONS = json.loads(env_str("ARCHIVE_STORAGE_OPTIONS", "") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"ARCHIVE_STORAGE_OPTIONS must be a JSON object: {exc}") from exc
if not isinstance(_ARCHIVE_OPTIONS, dict):
    raise ImproperlyConfigured("ARCHIVE_STORAGE_OPTIONS must be a JSON object.")
if _ARCHIVE_BACKEND.endswith(".FileSystemStorage"):
    _ARCHIVE_OPTIONS = {"location": str(ARCHIVE_DIR), **_ARCHIVE_OPTIONS}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "archive": {"BACKEND": _ARCHIVE_BACKEND, "OPTIONS": _ARCHIVE_OPTIONS},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Per-process memory by default; REDIS_URL shares throttling and facet counts (docs/scaling.md).
CACHES = cache_config(env_str("REDIS_URL"))
# Anonymous public reads kept until public data moves (timeline.response_cache).
RESPONSE_CACHE = env_bool("RESPONSE_CACHE", default=True)
RESPONSE_CACHE_ALIAS = "responses"
RESPONSE_CACHE_TIMEOUT = env_int("RESPONSE_CACHE_TIMEOUT", 600)
RESPONSE_CACHE_MAX_BYTES = env_int("RESPONSE_CACHE_MAX_BYTES", 2_000_000)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an outage is logged, and reads go on uncached

# Security: strict by default outside development.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Subdomains and the browsers' preload list bind more than this site: an operator's choice.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# …so `check --deploy` does not ask for them (its only warnings with the production settings).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes (INCLUDE columns, migration 0013) speed PostgreSQL up; SQLite keeps
    # the index and ignores the extra columns, which is fine, so every command need not say so.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): no inline script or style anywhere, framing denied.
# Embed views replace frame-ancestors with EMBED_FRAME_ANCESTORS (see docs/embedding.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Who may frame /embed/… pages: "*" (any site) or a list such as "https://news.example.org".
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", "*")

# The public site's own origin, used in embed snippets and oEmbed answers.
TIMELINE_PUBLIC_URL = env_str("TIMELINE_PUBLIC_URL", "").rstrip("/")

# Slow work (large imports) runs as tasks: django-tasks (the backport of Django 6.0's tasks) with
# its database backend, so the queue works on SQLite and PostgreSQL alike with no other service.
# `make run` starts `manage.py db_worker` beside the server; the tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Imports of more rows than this run as a background task (docs/importing.md).
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)
# Uploads larger than this are refused before they are read (docs/importing.md).
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 50)

# Outside pages (ingestion, archiving, link checks) are never fetched from internal addresses
# (loopback, private, link-local …) unless their host:port is listed here, e.g. an intranet
# news mirror "news.internal:443"; tests list their own local server (docs/operations.md).
TIMELINE_FETCH_ALLOW_HOSTS = [entry.lower() for entry in env_list("TIMELINE_FETCH_ALLOW_HOSTS")]
for _entry in TIMELINE_FETCH_ALLOW_HOSTS:
    if not _entry.rpartition(":")[2].isdigit() or not _entry.rpartition(":")[0]:
        raise ImproperlyConfigured(
            f"TIMELINE_FETCH_ALLOW_HOSTS entries are host:port, such as news.internal:443, "
            f"not {_entry!r}"
        )

# Who the client is: REMOTE_ADDR, or with N trusted proxies in front (nginx: 1) the address the
# nearest of them saw, from X-Forwarded-For. With 0 that header is ignored, since anyone can send
# it. Read by timeline.client_ip for throttles (NUM_PROXIES), login lockouts and logs.
TIMELINE_TRUSTED_PROXIES = env_int("TIMELINE_TRUSTED_PROXIES", 0)
if TIMELINE_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TIMELINE_TRUSTED_PROXIES must be 0 or more.")

# Login protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, or
# from one client, logins from it are refused, unhashed, for the cool-off; editors can unlock
# early in the admin (Axes › Access attempts).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "timeline.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# API tokens (django-rest-knox): stored as SHA-512 digests, expiring, revocable in the admin.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_DAYS", 90)),
    "AUTH_HEADER_PREFIX": "Token",
}

REST_FRAMEWORK = {
    # Tokens first: DRF asks the first class for its WWW-Authenticate header, so a bad or
    # missing credential is a 401 with that header rather than a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # orjson first: JSON is the default; the browsable API for people exploring in a browser.
    "DEFAULT_RENDERER_CLASSES": [
        "events.api.renderers.ORJSONRenderer",
        "events.api.browsable.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "events.api.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["timeline.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("API_ANON_THROTTLE_RATE", "120/minute")},
    "NUM_PROXIES": TIMELINE_TRUSTED_PROXIES,
    # The API reads JSON (the browsable API's raw-data form sends JSON too). Form encodings
    # cannot tell an empty reference from a missing one, nor carry nested parts; an upload
    # endpoint that needs multipart says so on its own view.
    "DEFAULT_PARSER_CLASSES": ["events.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "events.api.exceptions.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Timeline API",
    "DESCRIPTION": "Geopolitical events, the actors involved and the sources that evidence them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A text field the API refuses blank says so (minLength 1), so clients and schemathesis
    # know an empty title is invalid before they send it.
    "ENFORCE_NON_BLANK_FIELDS": True,
    # Swagger UI would otherwise ask validator.swagger.io for a badge on every non-local host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # One schema enum per vocabulary of events.choices, whatever the field is called.
    "ENUM_NAME_OVERRIDES": {
        f"{name}Enum": f"events.choices.{name}"
        for name in [
            "ActorKind",
            "DatePrecision",
            "EventStatus",
            "Verification",
            "ParticipantRole",
            "SourceKind",
            "CitationStance",
            "RelationKind",
            "VoteResult",
            "VoteOption",
            "AidKind",
            "AidAction",
            "TimelineKind",
            "TimelineStatus",
        ]
    },
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
# Conditional requests from other origins: let them send validators and read ETag, paging
# links (exports) and Retry-After.
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-none-match", "if-modified-since", "if-match")
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_ip": {"()": "timeline.client_ip.ClientIPLogFilter"}},
    "formatters": {
        "default": {"format": "%(levelname)s %(name)s [%(client_ip)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_ip"],
            "formatter": "default",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
