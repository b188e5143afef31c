"""Embedded mode: one machine, SQLite (WAL) and files under VANTHU_DATA_DIR, Huey on SQLite."""

from __future__ import annotations

from huey import SqliteHuey

from vanthu.config import env
from vanthu.config.settings.base import *  # noqa: F403
from vanthu.config.settings.base import DATA_DIR
from vanthu.config.settings.base import VANTHU_BACKUP_DESTINATIONS
from vanthu.config.settings.base import VANTHU_SIGNING_KEY_SECRETS

VANTHU_MODE = "embedded"
DEBUG = env.get_bool("VANTHU_DEBUG", default=False)
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Embedded mode makes its own key once and keeps it in the data folder (never committed).
_key_file = DATA_DIR / "secret_key"
if not _key_file.exists():
    import secrets

    _key_file.write_text(secrets.token_urlsafe(64))
    _key_file.chmod(0o600)
SECRET_KEY = env.get_str("VANTHU_SECRET_KEY") or _key_file.read_text().strip()

_database_url = env.get_str("VANTHU_DATABASE_URL")
DATABASES = {
    "default": env.database_from_url(_database_url)
    if _database_url
    else env.sqlite_database(DATA_DIR / "vanthu.sqlite3")
}

_storage = env.storage_from_url(env.get_str("VANTHU_STORAGE_URL") or (DATA_DIR / "blobs").as_uri())
STORAGES = {
    "default": {"BACKEND": _storage.backend, "OPTIONS": _storage.options},
    "blobs": {"BACKEND": _storage.backend, "OPTIONS": _storage.options},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Backups default to a folder beside the data (a second, independent place is still advised).
if not VANTHU_BACKUP_DESTINATIONS:
    _backups = env.storage_from_url((DATA_DIR / "backups").as_uri())
    VANTHU_BACKUP_DESTINATIONS = [
        {"url": (DATA_DIR / "backups").as_uri(), "backend": _backups.backend, "options": _backups.options}
    ]

HUEY = SqliteHuey(name="vanthu", filename=str(DATA_DIR / "huey.sqlite3"))

# Only demo mode may switch two-factor off; `vanthu demo` says so loudly when it starts.
VANTHU_DEMO = env.get_bool("VANTHU_DEMO", default=False)
VANTHU_TWO_FACTOR_REQUIRED = env.get_bool("VANTHU_TWO_FACTOR_REQUIRED", default=True) if VANTHU_DEMO else True
if VANTHU_DEMO:
    # The demo seal of Sở Tài chính (a TEST certificate) is kept on the server under this secret.
    VANTHU_SIGNING_KEY_SECRETS.setdefault("DEMO_STC_SEAL", "ThanhHoa@2026")  # demo only
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
