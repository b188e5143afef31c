from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http import HttpResponse

from vanthu.org.grants import grants_cached


class GrantsCacheMiddleware:
    """Read each person's effective roles once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with grants_cached():
            return self.get_response(request)
