"""HTML mapping of domain errors, and the Content-Security-Policy header."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render

from vanthu.core.errors import DomainError


class DomainErrorMiddleware:
    """A DomainError escaping a view becomes a Vietnamese message page (or an htmx fragment)
    with the error's 4xx status. API views map errors themselves (core.api)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        is_htmx = bool(getattr(request, "htmx", False))
        template = "core/error_fragment.html" if is_htmx else "core/error.html"
        response = render(request, template, {"error": exception}, status=exception.http_status)
        if is_htmx:
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
        return response


class ContentSecurityPolicyMiddleware:
    """Scripts, styles and fonts from our own origin only. The browser may also talk to the
    local signing agent on the officer's own machine (VANTHU_SIGN_AGENT_ORIGIN)."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'{agent}; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'; object-src 'none'; manifest-src 'self'"
    )
    RELAXED_PATHS = ("/api/docs/", "/admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @property
    def policy(self) -> str:
        """Read per request: cheap, and follows the setting when it changes (tests, reloads)."""
        agent = getattr(settings, "VANTHU_SIGN_AGENT_ORIGIN", "")
        return self.POLICY.format(agent=f" {agent}" if agent else "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.RELAXED_PATHS):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
