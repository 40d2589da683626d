"""Haven's settings: everything that differs between machines comes from the environment.

DATABASE_URL      database (default: SQLite in var/haven.sqlite3)
SECRET_KEY        Django's signing key (required unless HAVEN_DEBUG is on)
HAVEN_DATA_KEY    keys of the identity vault, comma-separated, the first encrypts (required unless
                  HAVEN_DEBUG is on; `haven vault keygen` prints a new one)
ALLOWED_HOSTS     comma-separated host names
HAVEN_DEBUG       1 for development and the demo (plain HTTP, debug pages)
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HAVEN_VAR_DIR", Path.cwd() / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("HAVEN_DEBUG")


def _secret(name: str) -> str:
    """Read a secret from the environment; in debug mode keep a random one in var/ instead."""
    value = os.environ.get(name)
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(f"{name} must be set in the environment (or set HAVEN_DEBUG=1).")
    path = VAR_DIR / f".{name.lower()}"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret("SECRET_KEY")
HAVEN_DATA_KEY = _secret("HAVEN_DATA_KEY")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "csp",
    "haven.core",
    "haven.organisations",
    "haven.jurisdictions",
    "haven.directory",
    "haven.library",
    "haven.statistics",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "haven.access",
    "haven.persons",
    "haven.notifications",
    "haven.cases",
    "haven.guardianship",
    "haven.residence",
    "haven.justice",
    "haven.audit",
    "haven.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haven.access.throttle.AccountThrottle",
    "haven.access.middleware.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "haven.core.middleware.LoginRequiredByDefault",
    "haven.core.middleware.ServiceErrorPages",
    "haven.core.middleware.DatabaseUnavailable",
    "haven.access.middleware.MFARequired",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed sign-ins (pages, API, one-time codes) and locks a username on an
# address out after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME; every attempt is logged.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("HAVEN_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HAVEN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "haven.access.views.locked_out"  # problem+json on the API, a page elsewhere
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False  # no start-up banner on every command
# Behind N trusted proxies set HAVEN_PROXY_COUNT=N; otherwise X-Forwarded-For is not believed.
HAVEN_PROXY_COUNT = int(os.environ.get("HAVEN_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "haven.core.net.client_ip"
OTP_TOTP_ISSUER = "Haven"

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'haven.sqlite3'}",
        conn_max_age=int(os.environ.get("HAVEN_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("nl", _("Dutch")), ("de", _("German"))]
# Each app keeps its own translations in <app>/locale (Django finds them there).
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("HAVEN_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Sessions end after 30 minutes without activity and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("HAVEN_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = _flag("HAVEN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["haven.access.authentication.BearerTokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "haven.core.api.problem_exception_handler",
    "DEFAULT_PARSER_CLASSES": ["haven.core.api.BoundedJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Haven API",
    "DESCRIPTION": "Haven: Belgium's mechanism against trafficking in human beings.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The enum names (drf-spectacular's default), then the error answers every operation can give.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "haven.core.api.document_problems"],
    # One name for each choice set that several endpoints share.
    "ENUM_NAME_OVERRIDES": {
        "AccessPurposeEnum": "haven.audit.models.Purpose",
        "ExploitationFormEnum": "haven.cases.models.chain.ExploitationForm",
        "ReferralKindEnum": "haven.cases.models.chain.ReferralKind",
        "ReferralPurposeEnum": "haven.cases.models.chain.ReferralPurpose",
        "ClaimStatusEnum": "haven.library.models.ClaimStatus",
        "CountryEnum": "django_countries.countries",
        "MergeMethodEnum": "haven.library.models.MergeMethod",
        "DecisionOutcomeEnum": ["conviction", "acquittal", "partial"],
        "RequestAnswerOutcomeEnum": "haven.residence.models.RequestAnswer.Outcome",
        "AgeAssessmentOutcomeEnum": "haven.guardianship.models.AgeAssessment.Outcome",
        "PersonOutcomeEnum": "haven.justice.models.PersonOutcome",
    },
}

# Bearer tokens of POST /api/v1/auth/token/ (haven.access) live this long.
HAVEN_API_TOKEN_SECONDS = int(os.environ.get("HAVEN_API_TOKEN_SECONDS", "28800"))

EMAIL_BACKEND = os.environ.get("HAVEN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HAVEN_FROM_EMAIL", "haven@localhost")
# Where Haven is reached from outside, so that a notice's e-mail carries a full link (ADR 0036).
HAVEN_SITE_URL = os.environ.get("HAVEN_SITE_URL", "")
# The largest scan of a residence document (PDF, JPEG, PNG) a member may attach; it is sealed in the vault.
HAVEN_SCAN_MAX_BYTES = int(os.environ.get("HAVEN_SCAN_MAX_BYTES", str(5 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HAVEN_LOG_LEVEL", "INFO")},
}
