"""The backups page: province administrators (and superusers) only; the last backup's size,
duration and verification; "verify now" re-checks a backup; the navigation entry."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.config.navigation import navigation_for
from vanthu.ops.models import BackupRun
from vanthu.ops.models import BackupStatus
from vanthu.ops.models import VerificationStatus

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person: Any) -> Client:
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def finished(now: datetime) -> BackupRun:
    return BackupRun.objects.create(
        snapshot="20260309T183000Z",
        trigger="SCHEDULED",
        status=BackupStatus.SUCCEEDED,
        started_at=now - timedelta(hours=8),
        finished_at=now - timedelta(hours=8) + timedelta(minutes=2, seconds=5),
        database_bytes=3 * 1024 * 1024,
        blob_count=12,
        blob_bytes=1024 * 1024,
        blobs_copied=4,
        blobs_skipped=20,
        destinations=[
            {"url": "file:///srv/backup", "status": "OK", "error": "", "pruned": []},
            {"url": "s3://vanthu-backup/tinh", "status": "OK", "error": "", "pruned": []},
        ],
        verification=VerificationStatus.PASSED,
        verified_at=now - timedelta(hours=8),
    )


class TestBackupList:
    @pytest.mark.parametrize("role", ["officer", "clerk", "admin", "inspector"])
    def test_is_a_403_for_anybody_but_a_province_administrator(
        self, client: Client, role: str, request: pytest.FixtureRequest, finished: BackupRun
    ) -> None:
        person = request.getfixturevalue(role)

        response = signed_in(client, person).get(reverse("ops:backup_list"))

        assert response.status_code == 403
        assert finished.snapshot not in response.content.decode()

    @pytest.mark.parametrize("role", ["province_admin", "superuser"])
    def test_shows_the_last_backup_with_size_duration_and_verification(
        self, client: Client, role: str, request: pytest.FixtureRequest, finished: BackupRun
    ) -> None:
        response = signed_in(client, request.getfixturevalue(role)).get(reverse("ops:backup_list"))

        body = response.content.decode()
        assert response.status_code == 200
        assert body.count('class="backup-row"') == 1
        assert "0:02:05" in body
        assert 'data-verification="PASSED"' in body
        assert "s3://vanthu-backup/tinh" in body
        assert 'name="viewport"' in body  # laid out for phones by the base template

    def test_says_when_no_backup_was_made(self, client: Client, province_admin: Any) -> None:
        body = signed_in(client, province_admin).get(reverse("ops:backup_list")).content.decode()

        assert 'class="backup-row"' not in body
        assert 'id="backup-last"' in body

    def test_reads_as_many_queries_for_twenty_backups_as_for_one(
        self, client: Client, province_admin: Any, finished: BackupRun, now: datetime
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        signed_in(client, province_admin)
        client.get(reverse("ops:backup_list"))  # warm the session
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("ops:backup_list"))
        for day in range(1, 20):
            BackupRun.objects.create(
                snapshot=f"202602{day:02d}T183000Z",
                trigger="SCHEDULED",
                status="FAILED",
                started_at=now - timedelta(days=day),
            )
        with CaptureQueriesContext(connection) as twenty:
            response = client.get(reverse("ops:backup_list"))

        assert response.content.decode().count('class="backup-row"') == 20  # noqa: PLR2004
        assert len(twenty) == len(one)


class TestVerifyNow:
    def test_verifies_the_backup_again(
        self, client: Client, province_admin: Any, tmp_path: Path, settings: Any, finished: BackupRun
    ) -> None:
        settings.VANTHU_BACKUP_DESTINATIONS = [
            {
                "url": tmp_path.as_uri(),
                "backend": "django.core.files.storage.FileSystemStorage",
                "options": {"location": str(tmp_path)},
            }
        ]  # holds no copy of the snapshot any more: the verification fails

        response = signed_in(client, province_admin).post(reverse("ops:backup_verify", args=[finished.pk]))

        finished.refresh_from_db()
        assert response.status_code == 302
        assert finished.verification == VerificationStatus.FAILED

    def test_is_refused_to_an_agency_administrator(self, client: Client, admin: Any, finished: BackupRun) -> None:
        response = signed_in(client, admin).post(reverse("ops:backup_verify", args=[finished.pk]))

        finished.refresh_from_db()
        assert response.status_code == 403
        assert finished.verification == VerificationStatus.PASSED


class TestNavigation:
    def test_a_province_administrator_finds_the_backups(self, province_admin: Any, now: datetime) -> None:
        urls = [item.url for item in navigation_for(person=province_admin, now=now)]
        assert reverse("ops:backup_list") in urls

    def test_an_agency_administrator_does_not(self, admin: Any, now: datetime) -> None:
        urls = [item.url for item in navigation_for(person=admin, now=now)]
        assert reverse("ops:backup_list") not in urls
