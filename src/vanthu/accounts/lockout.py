"""What a locked-out client sees (django-axes calls ``lockout_response``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vanthu.core.errors import DomainError


class LockedOutError(DomainError):
    code = "locked_out"
    http_status = 429
    default_message = _("Too many failed sign-in attempts. The account is locked for a while; try again later.")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    error = LockedOutError()
    if request.path.startswith("/api/"):
        body = {"code": error.code, "message": str(error.message), "details": {}}
        return JsonResponse(body, status=error.http_status, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked_out.html", {"message": error.message}, status=error.http_status)
