"""Errors of the PAdES engine: refusals of bad input, in the project's domain-error hierarchy."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError


class NotAPdfError(UnsupportedMediaTypeError):
    code = "not_a_pdf"
    default_message: Any = _("The file is not a PDF document.")


class EncryptedPdfError(ValidationError):
    code = "encrypted_pdf"
    default_message: Any = _("The PDF document is encrypted or password-protected; it cannot be signed or verified.")


class BrokenPdfError(ValidationError):
    code = "broken_pdf"
    default_message: Any = _("The PDF document is damaged or incomplete and cannot be read.")


class SignatureImageError(ValidationError):
    code = "invalid_signature_image"
    default_message: Any = _("The signature or seal image cannot be read as a PNG image.")


class SigningFailedError(ValidationError):
    code = "signing_failed"
    default_message: Any = _("The document could not be signed.")
