"""API plumbing shared by every app: the one error shape and pagination.

Errors: ``{"code": "...", "message": "<Vietnamese text>", "details": {...}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from vanthu.core.api_schema import ErrorSerializer  # noqa: F401 - the error shape's component, re-exported
from vanthu.core.errors import DomainError


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def error_body(code: str, message: Any, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": str(message), "details": details or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response(error_body("not_found", _("Not found, or you may not see it.")), status=404)
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return Response(error_body("permission_denied", _("You are not allowed to do this.")), status=403)
    if isinstance(exc, exceptions.NotAuthenticated):
        return Response(
            error_body("not_authenticated", _("Please sign in.")),
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return Response(
            error_body("authentication_failed", exc.detail),
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, exceptions.ValidationError):
        return Response(error_body("invalid", _("Some data is not valid."), {"fields": exc.detail}), status=400)
    if isinstance(exc, exceptions.ParseError):
        return Response(error_body("parse_error", _("The request body could not be read.")), status=400)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response(error_body("unsupported_media_type", _("This type of content is not accepted.")), status=415)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Response(error_body("method_not_allowed", _("This method is not allowed here.")), status=405)
    if isinstance(exc, exceptions.NotAcceptable):
        return Response(error_body("not_acceptable", _("This response format is not available.")), status=406)
    if isinstance(exc, exceptions.Throttled):
        return Response(error_body("throttled", _("Too many requests; try again later.")), status=429)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body(exc.default_code, exc.detail), status=exc.status_code)
    return None


ERROR_STATUSES = [status.HTTP_400_BAD_REQUEST, 401, 403, 404, 409, 413, 415, 422]
