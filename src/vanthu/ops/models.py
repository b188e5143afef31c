"""Operations' own records (backup runs and their verification)."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupStatus(models.TextChoices):
    RUNNING = "RUNNING", _("Running")
    SUCCEEDED = "SUCCEEDED", _("Succeeded")
    PARTIAL = "PARTIAL", _("Partly failed")
    FAILED = "FAILED", _("Failed")


class BackupTrigger(models.TextChoices):
    SCHEDULED = "SCHEDULED", _("Daily schedule")
    MANUAL = "MANUAL", _("Command line")


class VerificationStatus(models.TextChoices):
    NOT_RUN = "NOT_RUN", _("Not verified")
    PASSED = "PASSED", _("Verified")
    FAILED = "FAILED", _("Verification failed")


class BackupRun(models.Model):
    """One run of ``vanthu backup``: a snapshot of the database and the files, written to every
    configured destination. ``destinations`` holds one result per destination (its address with
    credentials removed, status, blobs copied and skipped, snapshots pruned, error)."""

    snapshot = models.CharField(_("snapshot"), max_length=32, unique=True)
    trigger = models.CharField(_("trigger"), max_length=16, choices=BackupTrigger.choices)
    status = models.CharField(_("status"), max_length=16, choices=BackupStatus.choices, default=BackupStatus.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    database_vendor = models.CharField(_("database"), max_length=16, blank=True, default="")
    database_bytes = models.BigIntegerField(_("database dump size"), default=0)
    blob_count = models.BigIntegerField(_("stored files"), default=0)
    blob_bytes = models.BigIntegerField(_("size of the stored files"), default=0)
    blobs_copied = models.BigIntegerField(_("files copied"), default=0)
    blobs_skipped = models.BigIntegerField(_("files already in the backup"), default=0)
    bytes_copied = models.BigIntegerField(_("bytes copied"), default=0)
    destinations = models.JSONField(_("destinations"), default=list)
    verification = models.CharField(
        _("verification"), max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.NOT_RUN
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["RUNNING", "SUCCEEDED", "PARTIAL", "FAILED"]),
                name="ops_backup_run_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(trigger__in=["SCHEDULED", "MANUAL"]), name="ops_backup_run_trigger_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(verification__in=["NOT_RUN", "PASSED", "FAILED"]),
                name="ops_backup_run_verification_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="ops_backup_status_started")]

    def __str__(self) -> str:
        return f"backup {self.snapshot}"

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def total_bytes(self) -> int:
        return self.database_bytes + self.blob_bytes
