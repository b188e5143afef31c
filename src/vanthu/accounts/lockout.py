from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    message = _("Too many failed sign-in attempts. The account is locked for a while; try again later.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "details": {}}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
