"""Reads of the backup runs (for the ADMIN page and the commands)."""

from __future__ import annotations

from django.db.models import QuerySet

from vanthu.ops.models import BackupRun
from vanthu.ops.models import BackupStatus


def backup_run_list(*, limit: int = 30) -> QuerySet[BackupRun]:
    return BackupRun.objects.order_by("-started_at", "-pk")[:limit]


def backup_run_last_finished() -> BackupRun | None:
    return BackupRun.objects.exclude(status=BackupStatus.RUNNING).order_by("-started_at", "-pk").first()


def backup_run_last_succeeded() -> BackupRun | None:
    return (
        BackupRun.objects.filter(status__in=[BackupStatus.SUCCEEDED, BackupStatus.PARTIAL])
        .order_by("-started_at", "-pk")
        .first()
    )
