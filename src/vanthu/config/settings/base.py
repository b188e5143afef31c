"""Settings shared by every mode. Environment reads go through ``vanthu.config.env``."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vanthu.config import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = env.get_path("VANTHU_DATA_DIR", default=Path.cwd() / "var")

# Each mode module sets these; base keeps safe values.
DEBUG = False
VANTHU_MODE = "base"
ALLOWED_HOSTS = env.get_list("VANTHU_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.get_list("VANTHU_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "vanthu.core",
    "vanthu.notify",
    "vanthu.org",
    "vanthu.accounts",
    "vanthu.audit",
    "vanthu.signing",
    "vanthu.documents",
    "vanthu.exchange",
    "vanthu.outgoing",
    "vanthu.incoming",
    "vanthu.search",
    "vanthu.reports",
    "vanthu.ops",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vanthu.audit.middleware.AuditContextMiddleware",
    "vanthu.org.middleware.GrantsCacheMiddleware",
    "vanthu.accounts.middleware.TwoFactorRequiredMiddleware",
    "vanthu.core.middleware.DomainErrorMiddleware",
    "vanthu.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vanthu.config.urls"
WSGI_APPLICATION = "vanthu.config.wsgi.application"
AUTH_USER_MODEL = "org.Person"
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
                "vanthu.config.context_processors.vanthu",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "vanthu.accounts.backends.UsernameOrEmailBackend",
]

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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: a working day, closed with the browser, renewed on activity.
SESSION_COOKIE_AGE = env.get_int("VANTHU_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Lockout after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = env.get_int("VANTHU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("VANTHU_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vanthu.accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Two-factor (TOTP) is required for these roles unless switched off in demo mode.
VANTHU_TWO_FACTOR_ROLES = env.get_list("VANTHU_TWO_FACTOR_ROLES", default=["AGENCY_LEADER", "CLERK", "ADMIN"])
VANTHU_TWO_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = "Vanthu"

# Passwords and PINs of server-held signing keys (PKCS#12 files, PKCS#11 tokens), by name:
# VANTHU_SIGNING_KEY_SECRET_<NAME>=…; never stored in the database.
VANTHU_SIGNING_KEY_SECRETS = env.get_prefixed("VANTHU_SIGNING_KEY_SECRET_")

# The PKCS#11 module of the server's HSM or token (e.g. /usr/lib/softhsm/libsofthsm2.so).
VANTHU_SIGNING_PKCS11_MODULE = env.get_str("VANTHU_SIGNING_PKCS11_MODULE", "") or ""

# RFC 3161 time-stamping authority for signatures made by the server (server-held keys, remote
# hash signing): PAdES B-T. Empty: no timestamp (PAdES B-B).
VANTHU_SIGNING_TSA_URL = env.get_str("VANTHU_SIGNING_TSA_URL", "") or ""

# Where officers' local signing agent listens (VGCA Sign Service or `vanthu sign-agent`).
VANTHU_SIGN_AGENT_ORIGIN = env.get_str("VANTHU_SIGN_AGENT_ORIGIN", "http://127.0.0.1:18765") or ""

VANTHU_API_TOKEN_HOURS = env.get_int("VANTHU_API_TOKEN_HOURS", default=12)
VANTHU_MAX_UPLOAD_BYTES = env.get_int("VANTHU_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# Background file work: DOCX → PDF (LibreOffice) and OCR of scans (OCRmyPDF), each call timed out.
VANTHU_CONVERSION_TIMEOUT_SECONDS = env.get_int("VANTHU_CONVERSION_TIMEOUT_SECONDS", default=120)
VANTHU_OCR_TIMEOUT_SECONDS = env.get_int("VANTHU_OCR_TIMEOUT_SECONDS", default=300)
# Deadline reminders of incoming documents: this many working days before the deadline.
VANTHU_REMINDER_DAYS_BEFORE = env.get_int("VANTHU_REMINDER_DAYS_BEFORE", default=2)
# Backups (`vanthu backup`, daily from the periodic jobs at VANTHU_BACKUP_TIME, Vietnam time):
# comma-separated destinations, each `file:///absolute/folder` or `s3://bucket/prefix?…` (two
# independent places); embedded mode defaults to <data dir>/backups. Retention: the newest
# snapshot of each of the last N days, and of each of the last M months.
VANTHU_BACKUP_DESTINATIONS = [
    {"url": url, "backend": location.backend, "options": location.options}
    for url in env.get_list("VANTHU_BACKUP_DESTINATIONS", default=[])
    for location in [env.storage_from_url(url)]
]
VANTHU_BACKUP_KEEP_DAILY = env.get_int("VANTHU_BACKUP_KEEP_DAILY", default=14)
VANTHU_BACKUP_KEEP_MONTHLY = env.get_int("VANTHU_BACKUP_KEEP_MONTHLY", default=12)
VANTHU_BACKUP_TIME = env.get_str("VANTHU_BACKUP_TIME", "01:30") or "01:30"
if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", VANTHU_BACKUP_TIME):
    raise ImproperlyConfigured(f"VANTHU_BACKUP_TIME must be HH:MM, not {VANTHU_BACKUP_TIME!r}")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.get_str("VANTHU_FROM_EMAIL", "vanthu@localhost")
VANTHU_SMS_GATEWAY = "vanthu.notify.sms.LoggingSmsGateway"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vanthu.accounts.authentication.BearerTokenAuthentication",
        "vanthu.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "vanthu.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "vanthu.core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vanthu API",
    "DESCRIPTION": "Electronic documents, work records and one-stop desk of a Vietnamese province.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from our own static files: government networks are closed, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several lifecycles have a "status": each enum gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "DeliveryStatusEnum": "vanthu.exchange.models.DeliveryStatus",
        "OutgoingStatusEnum": "vanthu.outgoing.models.OutgoingStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "INFO"},
        "fontTools": {"level": "WARNING"},  # font subsetting for signature stamps is chatty
    },
}
