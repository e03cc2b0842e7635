"""Settings shared by every environment.

Configuration comes from environment variables (documented in the README); the defaults
give a working local install on SQLite under ``var/``.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # repository root
DATA_DIR = Path(os.environ.get("TEMPORADA_DATA_DIR", BASE_DIR / "data"))
VAR_DIR = Path(os.environ.get("TEMPORADA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use TEMPORADA_SECRET_KEY, else a random key kept in var/ so sessions survive restarts."""
    key = os.environ.get("TEMPORADA_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("TEMPORADA_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("TEMPORADA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TEMPORADA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs (Swagger UI) from our static files, not a CDN
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "temporada.core",
    "temporada.accounts",
    "temporada.occupations",
    "temporada.programmes",
    "temporada.employers",
    "temporada.demand",
    "temporada.supply",
    "temporada.matching",
    "temporada.indicators",
    "temporada.rights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for phones on slow networks (the demand dashboard is ~180 KB of HTML, ~25 KB gzipped);
    # Django pads the compressed body at random, which blunts BREACH-style guessing of tokens.
    "django.middleware.gzip.GZipMiddleware",
    "temporada.core.middleware.RequestSizeGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "temporada.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "temporada.accounts.middleware.SessionExpiryMiddleware",
    "temporada.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "temporada.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "temporada.urls"
WSGI_APPLICATION = "temporada.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "temporada.core.context_processors.temporada",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'temporada.sqlite3'}"),
        conn_max_age=int(os.environ.get("TEMPORADA_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the task worker share the file. Transactions take the
    # write lock when they begin (IMMEDIATE): a deferred one that read first and then writes cannot wait for
    # the lock and fails at once with "database is locked" when the other process wrote in between.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["temporada.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Argon2 first: new and re-hashed passwords use it; others are upgraded on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "temporada.accounts.validators.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lock-out (counted in the database so it holds across server processes).
LOGIN_LOCKOUT_THRESHOLD = int(os.environ.get("TEMPORADA_LOGIN_LOCKOUT_THRESHOLD", "5"))
LOGIN_LOCKOUT_WINDOW_SECONDS = int(os.environ.get("TEMPORADA_LOGIN_LOCKOUT_WINDOW", "900"))
# Only trust X-Forwarded-For when a reverse proxy in front of us sets it (number of proxies).
TEMPORADA_TRUSTED_PROXY_COUNT = int(os.environ.get("TEMPORADA_TRUSTED_PROXY_COUNT", "0"))

# Staff sessions: 30 minutes idle, 12 hours absolute.
STAFF_SESSION_IDLE_SECONDS = 30 * 60
STAFF_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

OTP_TOTP_ISSUER = "Temporada"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English")), ("fr", _("Français"))]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
# Each app keeps its own catalogue in <app>/locale (found automatically).
LOCALE_PATHS: list = []
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True  # local installs serve straight from the app folders
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: small requests in memory; anything bigger than the cap is refused before it is parsed.
TEMPORADA_MAX_UPLOAD_BYTES = int(os.environ.get("TEMPORADA_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_TEMP_DIR = None
# Longest query string we accept; longer ones get a 400 instead of work.
TEMPORADA_MAX_QUERY_STRING = 4096

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TEMPORADA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "temporada",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TEMPORADA_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Reference and default data loaders run by `temporada setup`, in this order. Each module
# exposes ``steps()`` returning Step objects (see temporada.core.bootstrap).
TEMPORADA_BOOTSTRAP_MODULES = [
    "temporada.core.bootstrap",
    "temporada.occupations.bootstrap",
    "temporada.programmes.bootstrap",
    "temporada.demand.bootstrap",
    "temporada.supply.bootstrap",
    "temporada.indicators.bootstrap",
    "temporada.rights.bootstrap",
    "temporada.accounts.bootstrap",
]

# Modules exposing IMPORTERS = {kind: {"help": str, "run": callable(path=, stdout=, progress=)}}
TEMPORADA_IMPORTER_MODULES = [
    "temporada.demand.importers",
    "temporada.indicators.importers",
    "temporada.supply.importers",
]
