"""Settings for Threefold, read from the environment.

Development defaults run on SQLite with DEBUG on. Setting THREEFOLD_ENV=production turns on
secure defaults: DEBUG off, a secret key is required, cookies are secure and HTTPS is enforced.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


PRODUCTION = os.environ.get("THREEFOLD_ENV", "development") == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when THREEFOLD_ENV=production.")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Threefold's own apps, lowest layer first (see docs/architecture.md).
    "core",
    "agencies",
    "people",
    "practice",
    "documents",
    "voices",
    "safety",
    "process",
    "learning",
    "surveys",
    "portal",
    "timescales",
    "imports",
    "returns",
    "evaluation",
    "audits",
    "measures",
    "implementation",
    "api",
    "casefile",
    "demo",
    "scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "agencies.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "agencies.middleware.HtmxSignInRedirectMiddleware",
    # Last, so it sees every failed sign-in and answers a locked-out one.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "threefold.urls"
WSGI_APPLICATION = "threefold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "threefold" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.session",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the measures' aggregates look costly enough to PostgreSQL that it
    # compiled them on every request, which took longer than running them (1.2 of 3 s on the
    # agency dashboard at 200,000 children, docs/scale.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions stop two writers deadlocking on SQLite's upgrade from read to write.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# The cache holds the measures' kept months (docs/measures.md) and the API's rate limits. In
# production it is the database's `threefold_cache` table (`manage.py createcachetable`), so
# every server process and `manage.py keep_month_ends` share one; in development each process
# keeps its own in memory.
CACHE_KIND = os.environ.get("THREEFOLD_CACHE", "database" if PRODUCTION else "memory")
if CACHE_KIND not in {"database", "memory"}:
    raise ImproperlyConfigured("THREEFOLD_CACHE must be 'database' or 'memory'.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "threefold_cache",
        # One entry a scope and page: a county's workers, teams and leaders, with room to spare.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
    if CACHE_KIND == "database"
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "agencies.backends.StaffBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "casefile:caseload"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Family portal invitations and sign-in links go by email; development prints them to the
# console instead of sending them.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=PRODUCTION)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "threefold@localhost")

# Statutory due dates follow the process record: timescales reads the case's process events
# and every process write refreshes the case's deadlines.
THREEFOLD_PROCESS_EVENTS = "process.events.cases_process_events"
THREEFOLD_PROCESS_CHANGED_HOOKS = ["timescales.services.deadlines_refresh_cases"]

# Background tasks (django-tasks): imports from legacy systems run in `manage.py db_worker`.
# THREEFOLD_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them inside the
# request instead, for a machine without a worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("THREEFOLD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# The statutory returns' schemas (the CIN census XSD reconstructions) live here.
THREEFOLD_STATUTORY_DATA = Path(
    os.environ.get("THREEFOLD_STATUTORY_DATA", BASE_DIR.parent / "shared" / "data" / "statutory")
)

# Published statistics (DfE and ONS tables) that `load_published_statistics` reads by default.
THREEFOLD_OUTCOMES_DATA = Path(
    os.environ.get("THREEFOLD_OUTCOMES_DATA", BASE_DIR.parent / "shared" / "data" / "outcomes")
)

# Children's drawings and photos live outside every public URL; permission-checked views serve
# them. Back this folder up alongside the database backup (docs/security.md).
THREEFOLD_UPLOAD_ROOT = Path(os.environ.get("THREEFOLD_UPLOAD_ROOT", BASE_DIR / "uploads"))
MEDIA_ROOT = THREEFOLD_UPLOAD_ROOT
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Serve static files from the app folders in development so `runserver` needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Sessions end after a spell of inactivity (the page warns two minutes before) and when the
# browser closes. Activity moves the end on at most once a minute
# (core.middleware.SessionActivityMiddleware), not with a database write on every request.
SESSION_IDLE_MINUTES = int(os.environ.get("THREEFOLD_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_ACTIVITY_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

# Content Security Policy: no inline script or style, and nothing from anywhere else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SIMPLE_HISTORY_REVERT_DISABLED = True

# Lockout after repeated failed sign-ins, per username and address (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("THREEFOLD_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("THREEFOLD_LOCKOUT_MINUTES", "30"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Roles that must confirm a code from an authenticator app (TOTP) after their password.
# Production requires it of every role; the demo does not, so its logins work at once.
TWO_FACTOR_ROLES = env_list(
    "THREEFOLD_TWO_FACTOR_ROLES",
    "social_worker,team_manager,conference_chair,practice_lead,senior_leader,"
    "performance_analyst,administrator"
    if PRODUCTION
    else "",
)
OTP_TOTP_ISSUER = "Threefold"

# How long break-glass access to a restricted case lasts.
BREAK_GLASS_HOURS = int(os.environ.get("THREEFOLD_BREAK_GLASS_HOURS", "8"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_query_strings": {"()": "core.logging.RedactQueryStrings"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF step by step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Retention: when a closed case's records come up for review, by service. A case is kept until
# its youngest child reaches `until_age`; looked-after children's records for 75 years from birth.
RETENTION_RULES = {
    "default": {"until_age": int(os.environ.get("THREEFOLD_RETAIN_UNTIL_AGE", "25"))},
    "children_looked_after": {"until_age": 75},
}
RETENTION_REVIEW_NOTICE_DAYS = 90
