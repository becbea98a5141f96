"""Buurtstem settings: one module, driven entirely by the environment.

Environments differ only in env values (see `.env.example`). Without `DATABASE_URL` the
embedded SQLite database in the project folder is used; `DATABASE_URL=postgres://…` switches
to PostgreSQL, the production database.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")  # required; `make run` writes a local .env with one
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "leaflet",
    # frontend before allauth, so that our allauth template overrides win.
    "frontend",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "core",
    "geo",
    "participation",
    "surveys",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default (WAL journal, busy timeout); PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=20),
    }
# Persistent connections on both engines: opening one per request (and, on SQLite, running the
# init pragmas again) was a measurable part of a small request such as a report intake.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "participation.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_REDIRECT_URL = "frontend:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Buurtstem] "
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Buurtstem"

# --- E-mail ---------------------------------------------------------------------------------
# Console in development (DEBUG), SMTP from the environment in production.
_mail_backend = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options: dict[str, object] = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Buurtstem <noreply@buurtstem.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "frontend" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: no inline scripts; map tiles only from the configured tile host.
MAP_TILE_URL = env("MAP_TILE_URL", default="")  # empty: maps draw without a tile layer
_tile_origins = [MAP_TILE_URL.split("/{")[0].rsplit("/", 1)[0]] if MAP_TILE_URL else []
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_tile_origins],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Reverse proxies in front of the app (throttling keys on the client address they pass on).
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=None),
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "600/min",
        # Reports API (reports.api.views); an empty value switches the limit off (benchmarks).
        "report_create": env("REPORTS_CREATE_RATE", default="30/hour") or None,
        "report_support": env("REPORTS_SUPPORT_RATE", default="60/hour") or None,
        # Surveys API (surveys.api.views): starting a response, saving and submitting answers.
        "survey_start": env("SURVEYS_START_RATE", default="60/hour") or None,
        "survey_answer": env("SURVEYS_ANSWER_RATE", default="1200/hour") or None,
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Buurtstem API",
    "DESCRIPTION": (
        "Areas and neighbourhood lookups, reports (intake, public map, staff, rates per 1,000 "
        "inhabitants), surveys (responding, results), the veiligheidsplan with its frozen "
        "evidence; Open311 GeoReport v2 under /open311/v2/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# --- Background tasks -----------------------------------------------------------------------
# Immediate by default; production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs
# `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend")
    }
}

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://buurtstem")}

# --- Maps -----------------------------------------------------------------------------------
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.158, 4.49),
    "DEFAULT_ZOOM": 13,
    "TILES": [],
    "ATTRIBUTION_PREFIX": "Buurtstem",
}

# --- Buurtstem ------------------------------------------------------------------------------
# The municipality this installation serves (CBS gemeente code). Points outside its buurten
# are refused.
BUURTSTEM_MUNICIPALITY_CODE = env("BUURTSTEM_MUNICIPALITY_CODE", default="GM0546")
# Create the demo accounts (publicly known passwords and TOTP secrets) in seed_demo.
BUURTSTEM_DEMO_ACCOUNTS = env.bool("BUURTSTEM_DEMO_ACCOUNTS", default=DEBUG)
# Reports (meldingen).
REPORTS_MAX_PHOTOS = 3
REPORTS_PHOTO_MAX_BYTES = env.int("REPORTS_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
REPORTS_CONTACT_RETENTION_DAYS = env.int("REPORTS_CONTACT_RETENTION_DAYS", default=365)
REPORTS_NEARBY_METERS = env.int("REPORTS_NEARBY_METERS", default=150)
REPORTS_NEARBY_DAYS = env.int("REPORTS_NEARBY_DAYS", default=30)
# Published report counts: 1..MIN-1 are withheld ("<5"), the rest rounded to multiples of
# ROUNDING so withheld counts cannot be recovered by subtraction (docs/privacy.md).
REPORTS_PUBLIC_MIN_COUNT = env.int("REPORTS_PUBLIC_MIN_COUNT", default=5)
REPORTS_PUBLIC_COUNT_ROUNDING = env.int("REPORTS_PUBLIC_COUNT_ROUNDING", default=5)
# Seconds a server process keeps the report categories for the intake (a change made in
# another process, or with a bulk update, reaches the intake within this period).
REPORTS_CATEGORY_CACHE_SECONDS = env.float("REPORTS_CATEGORY_CACHE_SECONDS", default=10.0)
# Seconds the public map cells are cached per (filters, zoom).
REPORTS_MAP_CACHE_SECONDS = env.int("REPORTS_MAP_CACHE_SECONDS", default=60)
# Surveys: distribution, ballot-stuffing limits for open links, reminders, disclosure control.
SURVEYS_INVITATION_VALID_DAYS = env.int("SURVEYS_INVITATION_VALID_DAYS", default=28)
SURVEYS_INVITATION_REMINDER_DAYS = env.int("SURVEYS_INVITATION_REMINDER_DAYS", default=7)
SURVEYS_INVITATION_MAX_REMINDERS = env.int("SURVEYS_INVITATION_MAX_REMINDERS", default=2)
SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE = env.int("SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE", default=1)
SURVEYS_OPEN_MAX_STARTS_PER_DEVICE_PER_HOUR = env.int(
    "SURVEYS_OPEN_MAX_STARTS_PER_DEVICE_PER_HOUR", default=10
)
SURVEYS_OPEN_MAX_STARTS_PER_IP_PER_HOUR = env.int(
    "SURVEYS_OPEN_MAX_STARTS_PER_IP_PER_HOUR", default=50
)
# Cells (e.g. a buurt × answer) with fewer respondents than this are suppressed in results;
# open answers are shown only when at least this many were given.
SURVEYS_MIN_CELL_N = env.int("SURVEYS_MIN_CELL_N", default=10)
SURVEYS_MIN_OPEN_K = env.int("SURVEYS_MIN_OPEN_K", default=5)
# Absolute base URL used in e-mails (tracking links).
BUURTSTEM_SITE_URL = env("BUURTSTEM_SITE_URL", default="http://127.0.0.1:8000")
# How often a process checks whether the areas changed (seconds) before reusing its index.
GEO_INDEX_CHECK_SECONDS = env.float("GEO_INDEX_CHECK_SECONDS", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
