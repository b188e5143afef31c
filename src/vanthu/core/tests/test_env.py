from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vanthu.config import env


class TestDatabaseFromUrl:
    def test_reads_a_postgresql_url(self):
        database = env.database_from_url(
            "postgres://van%40thu:m%C3%A2t%2Fkhau@db.internal:6543/vanthu_prod?sslmode=require", conn_max_age=30
        )

        assert database == {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "vanthu_prod",
            "USER": "van@thu",
            "PASSWORD": "mât/khau",
            "HOST": "db.internal",
            "PORT": "6543",
            "CONN_MAX_AGE": 30,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"sslmode": "require", "options": "-c jit=off"},  # JIT off: it slowed list queries tenfold
        }

    @pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
    def test_accepts_every_postgresql_scheme(self, scheme):
        assert env.database_from_url(f"{scheme}://u@h/n")["ENGINE"] == "django.db.backends.postgresql"

    def test_leaves_the_port_empty_when_not_given(self):
        assert env.database_from_url("postgres://postgres@127.0.0.1/vanthu")["PORT"] == ""

    def test_reads_a_sqlite_url_in_wal_mode(self, tmp_path):
        database = env.database_from_url(f"sqlite://{tmp_path}/vanthu.sqlite3")

        assert database["ENGINE"] == "django.db.backends.sqlite3"
        assert database["NAME"] == str(tmp_path / "vanthu.sqlite3")
        assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    def test_refuses_an_unknown_scheme(self):
        with pytest.raises(ImproperlyConfigured, match="mysql"):
            env.database_from_url("mysql://root@localhost/vanthu")


class TestStorageFromUrl:
    def test_reads_a_folder_url(self):
        storage = env.storage_from_url("file:///srv/vanthu/blobs")

        assert storage.backend == "django.core.files.storage.FileSystemStorage"
        assert storage.options["location"] == "/srv/vanthu/blobs"

    def test_reads_an_s3_url(self):
        storage = env.storage_from_url(
            "s3://KEY:SECRET%2Fx@vanthu-blobs/thanh-hoa/files?endpoint_url=https://s3.example.vn&region=hn-1"
        )

        assert storage.backend == "storages.backends.s3.S3Storage"
        assert storage.options == {
            "bucket_name": "vanthu-blobs",
            "location": "thanh-hoa/files",
            "default_acl": None,
            "file_overwrite": False,
            "endpoint_url": "https://s3.example.vn",
            "region_name": "hn-1",
            "access_key": "KEY",
            "secret_key": "SECRET/x",
        }

    def test_refuses_an_s3_url_without_a_bucket(self):
        with pytest.raises(ImproperlyConfigured):
            env.storage_from_url("s3:///files")

    def test_refuses_a_folder_url_with_a_host(self):
        # "file://var/blobs" would silently mean the folder /blobs.
        with pytest.raises(ImproperlyConfigured, match="file:///"):
            env.storage_from_url("file://var/blobs")

    def test_refuses_an_unknown_scheme(self):
        with pytest.raises(ImproperlyConfigured):
            env.storage_from_url("ftp://files.example.vn/blobs")


class TestTypedReads:
    def test_reads_booleans(self, monkeypatch):
        monkeypatch.setenv("VANTHU_FLAG", "Yes")
        assert env.get_bool("VANTHU_FLAG", default=False) is True
        monkeypatch.setenv("VANTHU_FLAG", "0")
        assert env.get_bool("VANTHU_FLAG", default=True) is False

    def test_refuses_a_boolean_it_cannot_read(self, monkeypatch):
        monkeypatch.setenv("VANTHU_FLAG", "perhaps")

        with pytest.raises(ImproperlyConfigured, match="VANTHU_FLAG"):
            env.get_bool("VANTHU_FLAG", default=False)

    def test_refuses_an_integer_it_cannot_read(self, monkeypatch):
        monkeypatch.setenv("VANTHU_NUMBER", "ten")

        with pytest.raises(ImproperlyConfigured, match="VANTHU_NUMBER"):
            env.get_int("VANTHU_NUMBER", default=1)

    def test_reads_a_list(self, monkeypatch):
        monkeypatch.setenv("VANTHU_HOSTS", "vanthu.thanhhoa.gov.vn, 10.0.0.5,")

        assert env.get_list("VANTHU_HOSTS", default=[]) == ["vanthu.thanhhoa.gov.vn", "10.0.0.5"]

    def test_an_empty_required_value_counts_as_missing(self, monkeypatch):
        monkeypatch.setenv("VANTHU_SECRET_KEY", "")

        with pytest.raises(ImproperlyConfigured, match="VANTHU_SECRET_KEY"):
            env.require_str("VANTHU_SECRET_KEY")


def _import_production_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "VANTHU_DATA_DIR": str(tmp_path), **variables}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", "import vanthu.config.settings.production"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )


class TestProductionSettings:
    def test_refuse_to_load_without_a_secret_key(self, tmp_path):
        result = _import_production_settings(
            tmp_path,
            VANTHU_DATABASE_URL="postgres://vanthu@127.0.0.1/vanthu",
            VANTHU_STORAGE_URL="file:///srv/vanthu/blobs",
            VANTHU_REDIS_URL="redis://127.0.0.1:6379/0",
        )

        assert result.returncode != 0
        assert "ImproperlyConfigured: VANTHU_SECRET_KEY must be set" in result.stderr

    def test_load_when_everything_is_configured(self, tmp_path):
        result = _import_production_settings(
            tmp_path,
            VANTHU_SECRET_KEY="a-long-random-value-for-this-test-only",
            VANTHU_DATABASE_URL="postgres://vanthu@127.0.0.1/vanthu",
            VANTHU_STORAGE_URL="file:///srv/vanthu/blobs",
            VANTHU_REDIS_URL="redis://127.0.0.1:6379/0",
        )

        assert result.returncode == 0, result.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
