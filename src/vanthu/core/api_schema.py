"""OpenAPI (drf-spectacular) pieces every API shares: the error shape component, error responses,
the ``{id}`` path parameter, and the authentication schemes.

The scheme extensions register when this module is imported (``CoreConfig.ready()``); their
targets are named by string so core imports no app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """``Authorization: Bearer <token>``, the token from POST /api/v1/auth/token/."""

    target_class = "vanthu.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")  # noqa: S106


class SessionCookieScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The browser session (and its subclasses, e.g. the one that also requires two-factor)."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error shape of the API (component ``Error`` in the OpenAPI schema)."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid, conflict.")
    message = serializers.CharField(help_text="Text for people, in the request's language (Vietnamese by default).")
    details = serializers.DictField(help_text="Extra facts; validation errors put per-field messages under fields.")


ERROR_DESCRIPTIONS = {
    400: "The request does not match the schema (details.fields).",
    401: "Not signed in, or the token is invalid, expired or revoked.",
    403: "You may see this object but may not do this.",
    404: "Not found, or you may not see it.",
    405: "Method not allowed.",
    409: "Conflicts with data already stored.",
    413: "Too large.",
    415: "Unsupported media type.",
    422: "The data is not valid (details.fields).",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error statuses, all with the ``Error`` shape."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS.get(code, "")) for code in statuses}


def id_path_parameter(description: str = "") -> OpenApiParameter:
    """The ``{id}`` of an object in a URL: a positive 64-bit integer (``<int:pk>`` matches no sign)."""
    return OpenApiParameter(
        "id",
        {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1},
        OpenApiParameter.PATH,
        description=description,
    )
