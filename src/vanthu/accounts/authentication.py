from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework import exceptions
from rest_framework.request import Request

from vanthu.accounts.tokens import api_token_authenticate
from vanthu.accounts.two_factor import session_is_verified
from vanthu.accounts.two_factor import two_factor_required
from vanthu.core import clock
from vanthu.core.errors import NotAuthenticatedError


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:  # noqa: PLR2004
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <token>'.")
        try:
            raw = header[1].decode()
            return api_token_authenticate(raw=raw, now=clock.now())
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("The token is not valid.") from error
        except NotAuthenticatedError as error:
            raise exceptions.AuthenticationFailed(str(error.message), code=error.code) from error

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session counts for the API only once two-factor sign-in is done where the
    person's roles require it (TwoFactorRequiredMiddleware leaves /api/ to the API)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not session_is_verified(user) and two_factor_required(user, clock.now()):
            return None
        return result
