"""/healthz (the process answers) and /readyz (database, storage and queue reachable)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        return f"database: {error.__class__.__name__}"
    return None


def _check_storage() -> str | None:
    from vanthu.core.blobs import blob_storage

    try:
        blob_storage().exists("readyz-probe")
    except Exception as error:  # noqa: BLE001
        return f"storage: {error.__class__.__name__}"
    return None


def _check_queue() -> str | None:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception as error:  # noqa: BLE001
        return f"queue: {error.__class__.__name__}"
    return None


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    problems = [p for p in (_check_database(), _check_storage(), _check_queue()) if p]
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})
