"""Audit action names of the ops app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

BACKUP_SUCCEEDED = "ops.backup.succeeded"
BACKUP_FAILED = "ops.backup.failed"
BACKUP_VERIFIED = "ops.backup.verified"
RESTORE_COMPLETED = "ops.restore.completed"
DEMO_HISTORY_LOADED = "ops.demo.history_loaded"

ACTION_LABELS: dict[str, Any] = {
    BACKUP_SUCCEEDED: _("Backup made"),
    BACKUP_FAILED: _("Backup failed"),
    BACKUP_VERIFIED: _("Backup verified"),
    RESTORE_COMPLETED: _("Installation restored from a backup"),
    DEMO_HISTORY_LOADED: _("A year of demo history loaded"),
}
