"""Django admin for the ops app: read-only (backups are made by the command and the daily job)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.ops.models import BackupRun


@admin.register(BackupRun)
class BackupRunAdmin(ReadOnlyModelAdmin):
    list_display = ("snapshot", "trigger", "status", "started_at", "finished_at", "blob_count", "verification")
    list_filter = ("status", "trigger", "verification")
