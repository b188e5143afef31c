"""API sign-in: POST /api/v1/auth/token/ issues a bearer token, DELETE revokes the one in use."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework import serializers
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vanthu.accounts import services
from vanthu.accounts.authentication import BearerTokenAuthentication
from vanthu.accounts.lockout import LockedOutError
from vanthu.accounts.models import ApiToken
from vanthu.accounts.tokens import api_token_issue
from vanthu.accounts.tokens import api_token_revoke
from vanthu.accounts.two_factor import two_factor_required
from vanthu.core import clock
from vanthu.core.api_schema import ErrorSerializer
from vanthu.core.errors import NotAuthenticatedError


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=254, help_text="Username or e-mail address.")
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="The TOTP code of the person's authenticator app; required for CLERK, AGENCY_LEADER and ADMIN.",
    )
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="A label for the token, e.g. the device name."
    )


class TokenPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)


class TokenResponseSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Shown once: send it as `Authorization: Bearer <token>`.")
    expires_at = serializers.DateTimeField()
    person = TokenPersonSerializer()


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


class TokenApi(APIView):
    """Anyone may ask for a token with their credentials; only a bearer token can revoke itself."""

    authentication_classes = [BearerTokenAuthentication]

    def get_authenticators(self) -> list[BaseAuthentication]:
        if self.request is not None and self.request.method == "POST":
            return []  # credentials are in the body; a stale Authorization header must not get in the way
        return super().get_authenticators()

    def get_permissions(self) -> list[BasePermission]:
        if self.request is not None and self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Issue an API token",
        description=(
            "Sign in with username (or e-mail) and password; people whose roles require two-factor "
            "(CLERK, AGENCY_LEADER, ADMIN) add the current code of their authenticator app as `otp`. "
            "Repeated failures lock the account for a while (429)."
        ),
        auth=[],
        request=TokenRequestSerializer,
        responses={
            201: TokenResponseSerializer,
            400: _error("The body is not valid (code `invalid`)."),
            401: _error(
                "Wrong credentials (`invalid_credentials`), a code is needed (`otp_required`), the code is wrong "
                "(`otp_invalid`), or two-factor is not set up yet (`otp_not_enrolled`)."
            ),
            429: _error("Too many failed attempts: locked for a while (`locked_out`)."),
        },
        examples=[
            OpenApiExample(
                "Clerk", value={"username": "vanthu.stc", "password": "…", "otp": "123456"}, request_only=True
            ),
        ],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        now = clock.now()
        http_request = request._request
        person = authenticate(request=http_request, username=data["username"], password=data["password"])
        if person is None:
            if getattr(http_request, "axes_locked_out", False):
                raise LockedOutError()
            raise NotAuthenticatedError(
                _("The username (or e-mail) or the password is not correct."), code="invalid_credentials"
            )
        client_address = http_request.META.get("REMOTE_ADDR")
        if two_factor_required(person, now):
            services.two_factor_verify(person=person, code=data.get("otp"), now=now, client_address=client_address)
        token, raw = api_token_issue(person=person, now=now, name=data.get("name", ""))
        user_logged_in.send(sender=type(person), request=http_request, user=person)  # audit, last login, axes reset
        body = TokenResponseSerializer({"token": raw, "expires_at": token.expires_at, "person": person}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Revoke the token used for this request",
        description="Signs out an API client: the bearer token of this request stops working at once.",
        request=None,
        responses={204: None, 401: _error("No valid bearer token (`not_authenticated`, `token_expired`, …).")},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticatedError()
        api_token_revoke(token=request.auth, actor=request.auth.person, now=clock.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
