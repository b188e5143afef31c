"""Tests: SQLite in memory unless VANTHU_TEST_DATABASE_URL names a PostgreSQL server."""

from __future__ import annotations

import tempfile
from pathlib import Path

from huey import MemoryHuey

from vanthu.config import env
from vanthu.config.settings.base import *  # noqa: F403

VANTHU_MODE = "test"
DEBUG = False
SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 - tests only
_test_url = env.get_str("VANTHU_TEST_DATABASE_URL")
DATABASES = {
    "default": env.database_from_url(_test_url, conn_max_age=0)
    if _test_url
    else env.sqlite_database(Path(tempfile.gettempdir()) / "vanthu-test.sqlite3")
}
_blob_dir = Path(tempfile.mkdtemp(prefix="vanthu-test-blobs-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(_blob_dir)}},
    "blobs": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(_blob_dir)}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="vanthu-test-static-"))
HUEY = MemoryHuey(name="vanthu-test", immediate=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; argon2 in real modes
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
VANTHU_TWO_FACTOR_REQUIRED = True
VANTHU_DEMO = False
VANTHU_DEMO_HISTORY = False  # the demo's year of history (vanthu.ops.demo): only the tests that check it load it
VANTHU_SMS_GATEWAY = "vanthu.notify.sms.MemorySmsGateway"
AXES_ENABLED = True
