"""The backups page for province administrators: the last runs with their size, duration,
destinations and verification, and a "verify now" action (queued: it may re-hash many files).

Thin: check the policy, read the runs, render. Anybody else gets a 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from vanthu.core import clock
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.ops import policies
from vanthu.ops import selectors
from vanthu.ops import tasks
from vanthu.ops.models import BackupRun
from vanthu.ops.models import BackupStatus
from vanthu.org.models import Person

BADGES = {
    BackupStatus.RUNNING: "text-bg-info",
    BackupStatus.SUCCEEDED: "text-bg-success",
    BackupStatus.PARTIAL: "text-bg-warning",
    BackupStatus.FAILED: "text-bg-danger",
}


@dataclass(frozen=True)
class RunRow:
    run: BackupRun
    badge: str
    duration: str


def _row(run: BackupRun) -> RunRow:
    duration = ""
    if run.duration is not None:
        seconds = int(run.duration.total_seconds())
        duration = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return RunRow(run=run, badge=BADGES.get(BackupStatus(run.status), "text-bg-secondary"), duration=duration)


def _person(request: HttpRequest) -> Person:
    return cast(Person, request.user)


@login_required
@require_GET
def backup_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    policies.require_view_backups(_person(request), now)
    last = selectors.backup_run_last_finished()
    context = {
        "rows": [_row(run) for run in selectors.backup_run_list()],
        "last": _row(last) if last is not None else None,
        "may_verify": policies.can_verify_backups(_person(request), now),
        "statuses": BackupStatus,
    }
    return render(request, "ops/backup_list.html", context)


@login_required
@require_POST
def backup_verify(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    policies.require_view_backups(_person(request), now)
    run = BackupRun.objects.filter(pk=pk).first()
    if run is None:
        raise NotFoundError()
    if run.status == BackupStatus.RUNNING:
        raise ConflictError(_("This backup is still running."), code="backup_running")
    tasks.verify_backup(run.pk)
    messages.success(request, _("The verification of backup %(snapshot)s has started.") % {"snapshot": run.snapshot})
    return redirect("ops:backup_list")
