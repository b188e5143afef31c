from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from vanthu.accounts.two_factor import session_is_verified
from vanthu.accounts.two_factor import two_factor_required
from vanthu.core import clock

OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/api/",
    "/healthz",
    "/readyz",
    "/manifest.webmanifest",
    "/sw.js",
    "/i18n/",
    "/tra-cuu/",
)


class TwoFactorRequiredMiddleware:
    """A person whose roles require two-factor reaches nothing but the two-factor pages until
    their session is verified (API clients prove it when they request a token)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not session_is_verified(user)
            and two_factor_required(user, clock.now())
        ):
            target = reverse("accounts:two_factor")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)
