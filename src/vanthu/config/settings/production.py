"""Production: PostgreSQL, Redis, object storage; refuses to start without a secret key."""

from __future__ import annotations

from urllib.parse import urlparse

from huey import RedisHuey

from vanthu.config import env
from vanthu.config.settings.base import *  # noqa: F403

VANTHU_MODE = "production"
DEBUG = False
SECRET_KEY = env.require_str("VANTHU_SECRET_KEY")
DATABASES = {"default": env.database_from_url(env.require_str("VANTHU_DATABASE_URL"))}

_storage = env.storage_from_url(env.require_str("VANTHU_STORAGE_URL"))
STORAGES = {
    "default": {"BACKEND": _storage.backend, "OPTIONS": _storage.options},
    "blobs": {"BACKEND": _storage.backend, "OPTIONS": _storage.options},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_redis = urlparse(env.require_str("VANTHU_REDIS_URL"))
HUEY = RedisHuey(
    name="vanthu",
    host=_redis.hostname or "127.0.0.1",
    port=_redis.port or 6379,
    db=int((_redis.path or "/0").lstrip("/") or 0),
    password=_redis.password,
)

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.get_str("VANTHU_EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("VANTHU_EMAIL_PORT", default=25)
EMAIL_USE_TLS = env.get_bool("VANTHU_EMAIL_USE_TLS", default=False)

# Two-factor is never optional in production.
VANTHU_TWO_FACTOR_REQUIRED = True
VANTHU_DEMO = False

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.get_bool("VANTHU_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
