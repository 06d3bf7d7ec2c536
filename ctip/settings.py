"""Settings for ctip, read from the environment.

Three profiles, chosen by ``CTIP_PROFILE``:

* ``embedded`` (default) — one SQLite file and generated secrets under ``CTIP_VAR_DIR``; tasks run in process.
* ``production`` — PostgreSQL from ``DATABASE_URL``, secrets from the environment, TLS assumed at a proxy.
* ``test`` — like embedded, but in memory where possible and with mail kept in memory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets runtime code subscript the generic types the type checker knows (QuerySet[Case], ModelAdmin[Case], ...).
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
PROFILE = os.environ.get("CTIP_PROFILE", "embedded")
if PROFILE not in {"embedded", "production", "test"}:
    raise ImproperlyConfigured(f"CTIP_PROFILE must be embedded, production or test, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name} (profile {PROFILE}).")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return default if raw is None else int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("CTIP_VAR_DIR", Path.cwd() / "var")).resolve()


def _embedded_secret(filename: str) -> str:
    """Return a secret kept in VAR_DIR, creating it (owner-readable only) on first use."""
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


# --- Core -------------------------------------------------------------------------------------------------------
if PRODUCTION:
    SECRET_KEY = env_str("CTIP_SECRET_KEY")
elif PROFILE == "test":
    SECRET_KEY = os.environ.get("CTIP_SECRET_KEY", "test-only-" + "x" * 50)
else:
    SECRET_KEY = os.environ.get("CTIP_SECRET_KEY") or _embedded_secret("secret_key")

DEBUG = env_bool("CTIP_DEBUG", default=False)
ALLOWED_HOSTS = env_list("CTIP_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CTIP_CSRF_TRUSTED_ORIGINS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set CTIP_ALLOWED_HOSTS to the host names ctip is served under.")

INSTALLED_APPS = [
    "ctip.core",
    "ctip.accounts",
    "ctip.orgs",
    "ctip.audit",
    "ctip.api",
    "ctip.demo",
    "ctip.crypto",
    "ctip.screening",
    "ctip.plans",
    "ctip.cases",
    "ctip.coordination",
    "ctip.funding",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ctip.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ctip.accounts.middleware.SessionLimitsMiddleware",
    "ctip.orgs.middleware.ActingMembershipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ctip.core.middleware.PrivateCacheMiddleware",
    "ctip.crypto.middleware.DecryptionFailureMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ctip.accounts.middleware.LoginRequiredMiddleware",
    "ctip.accounts.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PROFILE == "test":
    INSTALLED_APPS.append("ctip.testapp")

ROOT_URLCONF = "ctip.urls"
WSGI_APPLICATION = "ctip.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctip.core.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------------
if PRODUCTION:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
elif os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "ctip.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
            },
        }
    }

# --- Authentication and sessions ----------------------------------------------------------------------------------
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout and absolute limit are enforced by ctip.accounts.middleware.SessionLimitsMiddleware.
CTIP_SESSION_IDLE_SECONDS = env_int("CTIP_SESSION_IDLE_SECONDS", 30 * 60)
CTIP_SESSION_ABSOLUTE_SECONDS = env_int("CTIP_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = CTIP_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "ctip_session"
CSRF_COOKIE_NAME = "ctip_csrftoken"
CSRF_FAILURE_VIEW = "ctip.core.views.csrf_failure"

# Two-factor authentication: required for system administrators and for roles that see identities
# (ctip.accounts.access.second_factor_required); a fresh code is asked again before revealing or exporting
# identities when the last one is older than this.
CTIP_STEP_UP_SECONDS = env_int("CTIP_STEP_UP_SECONDS", 5 * 60)
CTIP_RECOVERY_CODES = 10

AXES_FAILURE_LIMIT = env_int("CTIP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CTIP_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
# Lock the account, not the address: a whole ministry behind one NAT must not lock itself out because one person
# mistyped. axes.W006 warns about attackers rotating user agents or cookies, which does not bypass an account lock.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A right password must not clear the count: wrong second-factor codes are in it too. ctip clears it when a login is
# complete (ctip.accounts.lockout.login_completed), and counts under the one spelling of each account's e-mail.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "ctip.accounts.lockout.axes_username"
# How many trusted proxies append to X-Forwarded-For (the TLS proxy in production); ctip.core.middleware.client_ip.
CTIP_PROXY_COUNT = env_int("CTIP_PROXY_COUNT", 1 if PRODUCTION else 0)
AXES_IPWARE_PROXY_COUNT = CTIP_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PRODUCTION else ["REMOTE_ADDR"]
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("CTIP_LANGUAGE", "ru")
LANGUAGES = [("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ctip_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("CTIP_TIME_ZONE", "Asia/Bishkek")

# --- Static files -----------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CTIP_STATIC_ROOT", VAR_DIR / "static"))
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
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; collectstatic fills it in production
MEDIA_ROOT = Path(os.environ.get("CTIP_MEDIA_ROOT", VAR_DIR / "media"))

# --- E-mail -----------------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("CTIP_FROM_EMAIL", "ctip@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if PROFILE == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get(
        "CTIP_EMAIL_BACKEND",
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend",
    )
EMAIL_HOST = os.environ.get("CTIP_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CTIP_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("CTIP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CTIP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CTIP_EMAIL_TLS", default=True)

# --- Background tasks -------------------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env_bool("CTIP_TASKS_WORKER", default=PRODUCTION)
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- API --------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ctip.api.authentication.BearerTokenAuthentication",
        "ctip.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ctip.api.permissions.IsMember"],
    # JSON nested more than ctip.api.parsers.MAX_DEPTH levels is a 400 before it is decoded.
    "DEFAULT_PARSER_CLASSES": [
        "ctip.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "ctip.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "ctip.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ctip API",
    "DESCRIPTION": "National counter-trafficking-in-persons information system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models name a field "status", "reason" or "outcome" with different choices; name each list once.
    "ENUM_NAME_OVERRIDES": {
        "NrmStatusEnum": "ctip.cases.vocab.NrmStatus",
        "CaseStateEnum": "ctip.cases.vocab.CaseState",
        "ReferralStatusEnum": "ctip.cases.vocab.ReferralStatus",
        "ReferralReasonEnum": "ctip.cases.vocab.ReferralReason",
        "ClosureReasonEnum": "ctip.cases.vocab.ClosureReason",
        "ServiceOutcomeEnum": "ctip.cases.vocab.ServiceOutcome",
        "DecisionOutcomeEnum": "ctip.cases.vocab.DecisionOutcome",
        "TransferStatusEnum": "ctip.cases.vocab.TransferStatus",
        "EndReasonEnum": "ctip.cases.vocab.EndReason",
        "ScreeningOutcomeEnum": "ctip.screening.models.Outcome",
        "ScreeningStatusEnum": "ctip.screening.models.ScreeningStatus",
    },
}

# --- Logging ----------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ctip.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CTIP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # it logs every layout step at INFO
        "fontTools": {"level": "WARNING"},
    },
}

# --- Production hardening ----------------------------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("CTIP_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("CTIP_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Scripts and styles only from ctip itself or carrying this response's nonce; nothing may frame ctip.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PROFILE == "test":
    # Argon2 stays the hasher; the suite just pays for it on the few users it makes.
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

# Demo helpers (printing logins, loading data) refuse to run in production unless forced.
CTIP_DEMO_ALLOWED = not PRODUCTION

# The address users reach ctip at, for links in e-mails.
CTIP_BASE_URL = env_str("CTIP_BASE_URL") if PRODUCTION else os.environ.get("CTIP_BASE_URL", "http://127.0.0.1:8000")

# The referral mechanism (docs/cases.md). Which organisations may record a formal identification decision is the
# law's choice, not ctip's: list their codes. Nobody may until it is set.
CTIP_CASE_CODE_PREFIX = env_str("CTIP_CASE_CODE_PREFIX", "KG")
CTIP_IDENTIFICATION_BODIES = env_list("CTIP_IDENTIFICATION_BODIES")
# The organisation(s) the Program names as national coordinator: only their members may hold the coordinator role
# (ctip.orgs.roles). Nobody may until it is set.
CTIP_COORDINATING_BODIES = env_list("CTIP_COORDINATING_BODIES")
CTIP_REFLECTION_DAYS = env_int("CTIP_REFLECTION_DAYS", 30)
CTIP_SHELTER_DAYS = env_int("CTIP_SHELTER_DAYS", 10)
CTIP_REMINDER_DAYS = env_int("CTIP_REMINDER_DAYS", 3)
