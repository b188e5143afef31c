"""One hierarchy of domain errors, mapped once for HTML (core.middleware) and once for the API
(core.api). ``message`` is shown to people: it is a translatable string, Vietnamese in the UI."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    http_status = 400
    default_message: Any = _("The request could not be carried out.")

    def __init__(self, message: Any = None, *, code: str | None = None, details: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(str(self.message))


class NotAuthenticatedError(DomainError):
    code = "not_authenticated"
    http_status = 401
    default_message = _("Please sign in.")


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    http_status = 403
    default_message = _("You are not allowed to do this.")


class NotFoundError(DomainError):
    """Also used for objects the person may not see: never reveal that they exist."""

    code = "not_found"
    http_status = 404
    default_message = _("Not found, or you may not see it.")


class ConflictError(DomainError):
    code = "conflict"
    http_status = 409
    default_message = _("This conflicts with data already stored.")


class TransitionNotAllowedError(ConflictError):
    code = "transition_not_allowed"
    default_message = _("This action is not allowed in the current state.")


class PayloadTooLargeError(DomainError):
    code = "payload_too_large"
    http_status = 413
    default_message = _("The file is too large.")


class UnsupportedMediaTypeError(DomainError):
    code = "unsupported_media_type"
    http_status = 415
    default_message = _("This type of file is not accepted.")


class ValidationError(DomainError):
    code = "invalid"
    http_status = 422
    default_message = _("Some data is not valid.")


class IntegrityCheckError(DomainError):
    """A stored blob no longer matches its SHA-256."""

    code = "integrity_error"
    http_status = 500
    default_message = _("A stored file failed its integrity check.")
