"""Backups, their verification, restores and the storage check.

``backup_create`` takes a consistent snapshot of the database (see ``backup.database``), then
copies to each destination the blobs the snapshot names that are not there yet (verifying each
hash on the way), the dump and the manifest, verifies what was written, writes the COMPLETE
marker last and applies the retention. A destination that fails does not stop the other one.

These operations last minutes to hours, so instead of one ``now`` they receive the interface's
``clock`` (``vanthu.core.clock.now``): the run's start and end are read from it, never from the
system clock directly."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.audit.verification import audit_verify
from vanthu.core.blobs import blob_path
from vanthu.core.blobs import blob_storage
from vanthu.core.errors import ConflictError
from vanthu.core.errors import IntegrityCheckError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.core.models import Blob
from vanthu.ops import events
from vanthu.ops.backup import database
from vanthu.ops.backup.destinations import COMPLETE
from vanthu.ops.backup.destinations import MANIFEST
from vanthu.ops.backup.destinations import BlobCopyError
from vanthu.ops.backup.destinations import Destination
from vanthu.ops.backup.destinations import blob_key
from vanthu.ops.backup.destinations import configured_destinations
from vanthu.ops.backup.destinations import snapshot_key
from vanthu.ops.backup.manifest import Manifest
from vanthu.ops.backup.retention import snapshot_name
from vanthu.ops.backup.retention import snapshot_time
from vanthu.ops.backup.retention import snapshots_to_keep
from vanthu.ops.models import BackupRun
from vanthu.ops.models import BackupStatus
from vanthu.ops.models import BackupTrigger
from vanthu.ops.models import VerificationStatus

Clock = Callable[[], datetime]
Progress = Callable[[str], None]

# A run still RUNNING after this long died without finishing (killed process): it no longer
# blocks new runs.
STALE_RUN = timedelta(hours=12)
# An incomplete snapshot older than this is a dead run's leftover and is removed with retention.
STALE_SNAPSHOT = timedelta(hours=12)


def _quiet(_message: str) -> None:
    return None


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version

    try:
        return version("vanthu")
    except PackageNotFoundError:
        return "unknown"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# --- one destination ------------------------------------------------------------------------


@dataclass
class DestinationResult:
    url: str
    status: str = "FAILED"  # OK or FAILED
    blobs_copied: int = 0
    blobs_skipped: int = 0
    bytes_copied: int = 0
    verified: bool = False
    pruned: list[str] = field(default_factory=list)
    blobs_removed: int = 0
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "blobs_copied": self.blobs_copied,
            "blobs_skipped": self.blobs_skipped,
            "bytes_copied": self.bytes_copied,
            "verified": self.verified,
            "pruned": self.pruned,
            "blobs_removed": self.blobs_removed,
            "error": self.error,
        }


def _copy_blobs(destination: Destination, manifest: Manifest, result: DestinationResult, progress: Progress) -> None:
    present = destination.blob_sizes()
    storage = blob_storage()
    missing: list[str] = []
    corrupt: list[str] = []
    total = len(manifest.blobs)
    for index, (sha256, size) in enumerate(manifest.blobs, start=1):
        if present.get(sha256) == size:
            result.blobs_skipped += 1
            continue
        path = blob_path(sha256)
        if not storage.exists(path):
            missing.append(sha256)
            continue
        try:
            with storage.open(path, "rb") as handle:
                written, _digest = destination.write_stream(blob_key(sha256), handle, expected_sha256=sha256)
        except BlobCopyError:
            corrupt.append(sha256)
            continue
        result.blobs_copied += 1
        result.bytes_copied += written
        if index % 1000 == 0:
            progress(f"{destination.label}: {index}/{total} files")
    if missing or corrupt:
        raise IntegrityCheckError(
            _("%(missing)d stored file(s) missing and %(corrupt)d damaged: the backup is incomplete.")
            % {"missing": len(missing), "corrupt": len(corrupt)},
            details={"missing": missing[:20], "corrupt": corrupt[:20]},
        )


def _verify_snapshot(destination: Destination, manifest: Manifest, *, full: bool = False) -> list[str]:
    """Problems of a snapshot as written: the dump re-hashed, every blob present with its size
    (``full``: every blob re-hashed too). An empty list means it is sound."""
    problems: list[str] = []
    dump = snapshot_key(manifest.snapshot, manifest.database_file)
    if not destination.exists(dump):
        return [f"missing {dump}"]
    size, sha256 = destination.hash_of(dump)
    if sha256 != manifest.database_sha256 or size != manifest.database_size:
        problems.append(f"database dump does not match its hash: {dump}")
    present = destination.blob_sizes()
    for blob_sha256, blob_size in manifest.blobs:
        if present.get(blob_sha256) != blob_size:
            problems.append(f"missing or truncated blob {blob_sha256}")
        elif full and destination.hash_of(blob_key(blob_sha256))[1] != blob_sha256:
            problems.append(f"damaged blob {blob_sha256}")
    return problems


def _read_manifest(destination: Destination, snapshot: str) -> Manifest:
    return Manifest.from_json(destination.read_bytes(snapshot_key(snapshot, MANIFEST)))


def backup_prune(
    *, destination: Destination, now: datetime, keep_daily: int, keep_monthly: int, current: str | None = None
) -> tuple[list[str], int]:
    """Apply the retention to one destination: remove the complete snapshots it does not keep,
    dead incomplete ones, then the blobs no kept snapshot names. Returns (removed, blobs removed)."""
    complete = destination.complete_snapshots()
    keep = snapshots_to_keep(complete, daily=keep_daily, monthly=keep_monthly)
    if current is not None:
        keep.add(current)
    removed: list[str] = []
    for name in destination.snapshots():
        moment = snapshot_time(name)
        if moment is None or name in keep:
            continue
        if name not in complete and now - moment < STALE_SNAPSHOT:
            continue  # maybe a run still writing
        destination.delete_snapshot(name)
        removed.append(name)
    # Blobs: keep every blob a remaining snapshot (complete or still being written) may name.
    referenced: set[str] = set()
    for name in destination.snapshots():
        if not destination.exists(snapshot_key(name, MANIFEST)):
            if name not in complete:
                return removed, 0  # a run is copying blobs whose manifest is not written yet
            continue
        referenced.update(sha256 for sha256, _size in _read_manifest(destination, name).blobs)
    blobs_removed = 0
    for sha256 in destination.blob_sizes():
        if sha256 not in referenced:
            destination.delete(blob_key(sha256))
            blobs_removed += 1
    return removed, blobs_removed


def _write_destination(
    destination: Destination,
    manifest: Manifest,
    dump: Path,
    *,
    now: datetime,
    keep_daily: int,
    keep_monthly: int,
    progress: Progress,
) -> DestinationResult:
    result = DestinationResult(url=destination.label)
    try:
        progress(f"{destination.label}: {len(manifest.blobs)} files in the snapshot")
        _copy_blobs(destination, manifest, result, progress)
        with open(dump, "rb") as handle:
            destination.write_stream(
                snapshot_key(manifest.snapshot, manifest.database_file),
                handle,
                expected_sha256=manifest.database_sha256,
            )
        destination.write_bytes(snapshot_key(manifest.snapshot, MANIFEST), manifest.to_json())
        problems = _verify_snapshot(destination, manifest)
        if problems:
            raise IntegrityCheckError(
                _("The backup written does not match its manifest."), details={"problems": problems[:20]}
            )
        result.verified = True
        destination.write_bytes(snapshot_key(manifest.snapshot, COMPLETE), manifest.database_sha256.encode())
        result.status = "OK"
        result.pruned, result.blobs_removed = backup_prune(
            destination=destination,
            now=now,
            keep_daily=keep_daily,
            keep_monthly=keep_monthly,
            current=manifest.snapshot,
        )
    except Exception as error:  # noqa: BLE001 - one destination failing must not stop the other
        result.error = f"{type(error).__name__}: {error}"
        if isinstance(error, IntegrityCheckError) and error.details:
            result.error += f" {error.details}"
    progress(f"{destination.label}: {result.status} {result.error}".rstrip())
    return result


# --- a run ----------------------------------------------------------------------------------


@transaction.atomic
def _run_start(*, trigger: str, now: datetime) -> BackupRun:
    running = (
        BackupRun.objects.select_for_update()
        .filter(status=BackupStatus.RUNNING, started_at__gt=now - STALE_RUN)
        .order_by("-started_at")
        .first()
    )
    if running is not None:
        raise ConflictError(
            _("A backup is already running (started %(started)s).") % {"started": running.snapshot},
            code="backup_running",
        )
    BackupRun.objects.filter(status=BackupStatus.RUNNING).update(
        status=BackupStatus.FAILED, error="interrupted: the process ended before finishing"
    )
    name = snapshot_name(now)
    suffix = 1
    while BackupRun.objects.filter(snapshot=name).exists():
        suffix += 1
        name = f"{snapshot_name(now)}-{suffix}"
    return BackupRun.objects.create(snapshot=name, trigger=trigger, started_at=now)


@transaction.atomic
def _run_finish(run: BackupRun, *, now: datetime) -> BackupRun:
    run.finished_at = now
    run.save()
    audit.record(
        action=events.BACKUP_SUCCEEDED if run.status != BackupStatus.FAILED else events.BACKUP_FAILED,
        actor=None,
        agency=None,
        now=now,
        target=run,
        data={
            "snapshot": run.snapshot,
            "status": run.status,
            "database_bytes": run.database_bytes,
            "blob_count": run.blob_count,
            "blobs_copied": run.blobs_copied,
            "verification": run.verification,
            "destinations": [{"url": item["url"], "status": item["status"]} for item in run.destinations],
        },
    )
    return run


def backup_create(
    *,
    trigger: str = BackupTrigger.MANUAL,
    clock: Clock,
    destinations: Sequence[Destination] | None = None,
    keep_daily: int | None = None,
    keep_monthly: int | None = None,
    progress: Progress = _quiet,
) -> BackupRun:
    """Make one backup to every destination; the run (with its audit event) tells the outcome."""
    started = clock()
    run = _run_start(trigger=trigger, now=started)
    targets = list(configured_destinations() if destinations is None else destinations)
    daily = settings.VANTHU_BACKUP_KEEP_DAILY if keep_daily is None else keep_daily
    monthly = settings.VANTHU_BACKUP_KEEP_MONTHLY if keep_monthly is None else keep_monthly
    try:
        if not targets:
            raise ValidationError(_("No backup destination is configured (VANTHU_BACKUP_DESTINATIONS)."))
        with tempfile.TemporaryDirectory(prefix="vanthu-backup-") as work:
            progress(_("Taking a snapshot of the database…"))
            snapshot = database.database_snapshot(work_dir=Path(work))
            manifest = Manifest(
                snapshot=run.snapshot,
                created_at=started.isoformat(),
                app_version=app_version(),
                database_vendor=snapshot.vendor,
                database_file=snapshot.file_name,
                database_sha256=_sha256_of(snapshot.path),
                database_size=snapshot.path.stat().st_size,
                migrations=snapshot.migrations,
                counts=snapshot.counts,
                blobs=snapshot.blobs,
            )
            run.database_vendor = snapshot.vendor
            run.database_bytes = manifest.database_size
            run.blob_count = len(manifest.blobs)
            run.blob_bytes = manifest.blob_bytes
            results = [
                _write_destination(
                    target,
                    manifest,
                    snapshot.path,
                    now=started,
                    keep_daily=daily,
                    keep_monthly=monthly,
                    progress=progress,
                )
                for target in targets
            ]
        run.destinations = [result.as_json() for result in results]
        run.blobs_copied = sum(result.blobs_copied for result in results)
        run.blobs_skipped = sum(result.blobs_skipped for result in results)
        run.bytes_copied = sum(result.bytes_copied for result in results)
        succeeded = [result for result in results if result.status == "OK"]
        if len(succeeded) == len(results):
            run.status = BackupStatus.SUCCEEDED
        elif succeeded:
            run.status = BackupStatus.PARTIAL
        else:
            run.status = BackupStatus.FAILED
        run.error = "\n".join(f"{result.url}: {result.error}" for result in results if result.error)
        run.verification = VerificationStatus.PASSED if succeeded else VerificationStatus.FAILED
        run.verified_at = clock()
    except Exception as error:  # noqa: BLE001 - the run records every failure, then tells the caller
        run.status = BackupStatus.FAILED
        run.error = f"{type(error).__name__}: {getattr(error, 'message', error)}"
    return _run_finish(run, now=clock())


def backup_verify(
    *, run: BackupRun, clock: Clock, full: bool = False, destinations: Sequence[Destination] | None = None
) -> BackupRun:
    """Check again what a run wrote, in every destination that holds its snapshot."""
    if run.status == BackupStatus.RUNNING:
        raise ConflictError(_("This backup is still running."), code="backup_running")
    problems: dict[str, list[str]] = {}
    checked = 0
    for destination in configured_destinations() if destinations is None else destinations:
        if not destination.exists(snapshot_key(run.snapshot, COMPLETE)):
            continue
        checked += 1
        manifest = _read_manifest(destination, run.snapshot)
        found = _verify_snapshot(destination, manifest, full=full)
        if found:
            problems[destination.label] = found[:20]
    now = clock()
    with transaction.atomic():
        run = BackupRun.objects.select_for_update().get(pk=run.pk)
        run.verification = VerificationStatus.PASSED if checked and not problems else VerificationStatus.FAILED
        run.verified_at = now
        run.save(update_fields=["verification", "verified_at"])
        audit.record(
            action=events.BACKUP_VERIFIED,
            actor=None,
            agency=None,
            now=now,
            target=run,
            data={"snapshot": run.snapshot, "destinations": checked, "full": full, "problems": problems},
        )
    return run


# --- restore --------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    snapshot: str
    source: str
    blobs: int = 0
    bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0
    pending_migrations: list[str] = field(default_factory=list)


def _known_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def _storage_is_empty(storage: Storage) -> bool:
    try:
        folders, files = storage.listdir("")
    except FileNotFoundError:
        return True
    return not [name for name in [*folders, *files] if not name.startswith(".")]


def restore_snapshot_choose(source: Destination, snapshot: str | None) -> str:
    complete = source.complete_snapshots()
    if snapshot is None:
        if not complete:
            raise NotFoundError(
                _("No complete backup was found in %(source)s.") % {"source": source.label}, code="no_backup"
            )
        return complete[-1]
    if snapshot not in complete:
        raise NotFoundError(
            _("The backup %(snapshot)s is not in %(source)s or is incomplete.")
            % {"snapshot": snapshot, "source": source.label},
            code="no_backup",
        )
    return snapshot


def backup_restore(
    *,
    source: Destination,
    clock: Clock,
    snapshot: str | None = None,
    fallbacks: Sequence[Destination] = (),
    alias: str = "default",
    target_storage: Storage | None = None,
    progress: Progress = _quiet,
) -> RestoreReport:
    """Rebuild an EMPTY installation (database ``alias`` and blob storage) from a snapshot.

    Every blob is verified against its hash as it is restored (a damaged copy is taken from a
    fallback destination if one holds it intact); the database is loaded last, in one
    transaction on PostgreSQL; then counts are compared with the manifest and the audit chains
    verified."""
    name = restore_snapshot_choose(source, snapshot)
    manifest = _read_manifest(source, name)
    unknown = sorted(
        f"{app}.{migration}" for app, migration in manifest.migrations if (app, migration) not in _known_migrations()
    )
    if unknown:
        raise ConflictError(
            _("The backup was made by a newer version of Vanthu (%(version)s); install it before restoring.")
            % {"version": manifest.app_version},
            code="backup_newer",
            details={"migrations": unknown[:20]},
        )
    vendor = database.database_vendor(alias)
    if vendor != manifest.database_vendor:
        raise ConflictError(
            _("The backup holds a %(backup)s database; this installation uses %(here)s.")
            % {"backup": manifest.database_vendor, "here": vendor},
            code="backup_vendor",
        )
    if database.database_tables(alias):
        raise ConflictError(
            _("The database is not empty: a backup is restored only into an empty database."),
            code="restore_target_not_empty",
        )
    storage = target_storage if target_storage is not None else blob_storage()
    if not _storage_is_empty(storage):
        raise ConflictError(
            _("The file storage is not empty: a backup is restored only into an empty storage."),
            code="restore_target_not_empty",
        )
    report = RestoreReport(snapshot=name, source=source.label)
    target = Destination(url="", storage=storage)
    with tempfile.TemporaryDirectory(prefix="vanthu-restore-") as work:
        dump = Path(work) / manifest.database_file
        with source.storage.open(snapshot_key(name, manifest.database_file), "rb") as handle, open(dump, "wb") as out:
            while chunk := handle.read(1024 * 1024):
                out.write(chunk)
        if _sha256_of(dump) != manifest.database_sha256:
            raise IntegrityCheckError(_("The database dump of the backup is damaged."), details={"snapshot": name})
        progress(_("Restoring %(count)d stored files…") % {"count": len(manifest.blobs)})
        for index, (sha256, size) in enumerate(manifest.blobs, start=1):
            report.bytes += _restore_blob(sha256, size, [source, *fallbacks], target)
            report.blobs += 1
            if index % 1000 == 0:
                progress(f"{index}/{len(manifest.blobs)}")
        progress(_("Restoring the database…"))
        database.database_restore(dump=dump, vendor=manifest.database_vendor, alias=alias)
    migrations, counts, blobs = database.database_counts(alias)
    report.counts = counts
    if counts != manifest.counts or blobs != manifest.blobs or migrations != manifest.migrations:
        raise IntegrityCheckError(
            _("The restored database does not match the manifest of the backup."),
            details={"expected": manifest.counts, "found": counts},
        )
    known = {f"{app}.{migration}" for app, migration in migrations}
    report.pending_migrations = sorted(
        f"{app}.{migration}" for app, migration in _known_migrations() if f"{app}.{migration}" not in known
    )
    verification = audit_verify()
    if not verification.ok:
        raise IntegrityCheckError(
            _("The audit trail of the restored database is broken."),
            details={"breaks": [item.chain for item in verification.breaks][:20]},
        )
    report.audit_events = verification.events
    # A backup older than this code: its tables are as the backup's migrations left them, so the
    # record is written only into tables whose app has nothing left to migrate.
    behind = {name.split(".", 1)[0] for name in report.pending_migrations}
    if "audit" not in behind:
        _restore_record(report, manifest=manifest, now=clock(), runs="ops" not in behind)
    return report


def _restore_blob(sha256: str, size: int, sources: Sequence[Destination], target: Destination) -> int:
    for candidate in sources:
        key = blob_key(sha256)
        if not candidate.exists(key):
            continue
        try:
            with candidate.storage.open(key, "rb") as handle:
                written, _digest = target.write_stream(blob_path(sha256), handle, expected_sha256=sha256)
        except BlobCopyError:
            continue
        if written == size:
            return written
    raise IntegrityCheckError(
        _("A stored file of the backup is missing or damaged in every destination."), details={"sha256": sha256}
    )


@transaction.atomic
def _restore_record(report: RestoreReport, *, manifest: Manifest, now: datetime, runs: bool) -> None:
    """In the restored installation: the run that made the snapshot finished (its COMPLETE
    marker says so), others caught running did not; and the restore itself is audited."""
    if runs:
        BackupRun.objects.filter(snapshot=manifest.snapshot, status=BackupStatus.RUNNING).update(
            status=BackupStatus.SUCCEEDED, finished_at=now, verification=VerificationStatus.PASSED, verified_at=now
        )
        BackupRun.objects.filter(status=BackupStatus.RUNNING).update(
            status=BackupStatus.FAILED, finished_at=now, error="interrupted: caught running by the backup restored"
        )
    audit.record(
        action=events.RESTORE_COMPLETED,
        actor=None,
        agency=None,
        now=now,
        data={
            "snapshot": report.snapshot,
            "source": report.source,
            "blobs": report.blobs,
            "counts": report.counts,
            "app_version": manifest.app_version,
        },
    )


# --- the storage check ----------------------------------------------------------------------


@dataclass
class StorageReport:
    checked: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


def storage_verify(*, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> StorageReport:
    """Re-hash every stored file against its Blob row: missing and damaged ones are named."""
    storage = blob_storage()
    report = StorageReport()
    total = Blob.objects.count()
    last = ""
    while True:
        rows = list(Blob.objects.filter(sha256__gt=last).order_by("sha256").values_list("sha256", "size")[:batch])
        if not rows:
            break
        for sha256, _size in rows:
            path = blob_path(sha256)
            report.checked += 1
            if not storage.exists(path):
                if Blob.objects.filter(sha256=sha256).exists():  # not deleted meanwhile
                    report.missing.append(sha256)
                continue
            digest = hashlib.sha256()
            with storage.open(path, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    digest.update(chunk)
                    report.bytes += len(chunk)
            if digest.hexdigest() != sha256:
                report.corrupt.append(sha256)
            if progress is not None:
                progress(report.checked, total)
        last = rows[-1][0]
    return report
