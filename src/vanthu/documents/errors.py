"""Errors of the documents app (sub-classes of core.errors, mapped to HTTP by core.api)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError


class SecretDocumentError(ValidationError):
    """Decree 30/2020 Art. 16.3 and 22.4, the Law on Protection of State Secrets: documents classified
    mật, tối mật or tuyệt mật are not processed in this system; they are registered on paper."""

    code = "secret_document_refused"
    default_message = _(
        "Secret documents (Secret, Top secret, Absolutely secret) are not processed electronically "
        "(Decree 30/2020 Art. 16.3 and 22.4, Law on Protection of State Secrets): register them in the "
        "paper register and handle them on paper."
    )


class RegisterClosedError(ConflictError):
    code = "register_closed"
    default_message = _("This register is closed: no number can be taken from it any more.")
