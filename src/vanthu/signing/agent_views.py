"""The HTTP protocol between Vanthu and a signing agent on the signer's computer (the VGCA Sign
Service, or ``vanthu sign-agent``). No session cookie: the one-time tokens of a signing session
(``sessions.signature_prepare`` with method AGENT) are the only credentials, so CSRF does not apply.

1. The page hands the agent the manifest URL (``agent_manifest_url``), which carries the download
   and upload tokens: ``GET <id>/manifest?token=<download>&upload_token=<upload>`` answers JSON
   (protocol ``vanthu-sign-agent/1``): the document URL and its SHA-256, the signature field name,
   the appearance (images in base64), the certificate expected (SHA-256 fingerprint, subject,
   serial), the upload URL and method, the expiry. It may be fetched again until the document is.
2. ``GET <id>/document?token=<download>``: the PDF to sign; the download token works once.
3. ``PUT <id>/signed?token=<upload>`` with the signed PDF as the body (``application/pdf``):
   ``sessions.signature_apply``, which accepts it only after ``pades.incremental.check_agent_upload``.
   Answers JSON ``{"status", "session_id", "result_sha256"}``.

Errors answer ``{"code", "message", "details"}`` with the domain error's status; a wrong, used or
missing token and an unknown session are the same 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.signing import sessions
from vanthu.signing.models import SigningSession

PROTOCOL = "vanthu-sign-agent/1"
PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/octet-stream"})
READ_CHUNK = 1024 * 1024

View = Callable[..., HttpResponse]


def agent_manifest_url(request: HttpRequest, *, prepared: sessions.PreparedSignature) -> str:
    """The absolute manifest URL of an AGENT session, for the page to hand to the agent."""
    query = urlencode({"token": prepared.download_token or "", "upload_token": prepared.upload_token or ""})
    path = reverse("signing_agent:manifest", kwargs={"session_id": prepared.session.pk})
    return request.build_absolute_uri(f"{path}?{query}")


def _error(error: DomainError) -> JsonResponse:
    response = JsonResponse(
        {"code": error.code, "message": str(error.message), "details": error.details}, status=error.http_status
    )
    response["Cache-Control"] = "no-store"
    return response


def _json_errors(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return _error(error)

    return wrapped


def _session(session_id: uuid.UUID) -> SigningSession:
    session = SigningSession.objects.select_related("certificate").filter(pk=session_id).first()
    if session is None:
        raise sessions.SigningTokenError()
    return session


@require_GET
@_json_errors
def manifest(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    now = clock.now()
    download_token = request.GET.get("token")
    upload_token = request.GET.get("upload_token")
    session = _session(session_id)
    session = sessions.signing_session_check_token(session=session, token=download_token, purpose="download", now=now)
    sessions.signing_session_check_token(session=session, token=upload_token, purpose="upload", now=now)
    certificate = session.certificate
    document_path = reverse("signing_agent:document", kwargs={"session_id": session.pk})
    upload_path = reverse("signing_agent:signed", kwargs={"session_id": session.pk})
    body = {
        "protocol": PROTOCOL,
        "session_id": str(session.pk),
        "expires_at": session.expires_at.isoformat(),
        "document": {
            "url": request.build_absolute_uri(f"{document_path}?{urlencode({'token': download_token})}"),
            "sha256": session.source_sha256,
        },
        "signature": {
            "field_name": session.field_name,
            "appearance": session.appearance,
            "certificate": {
                "sha256": certificate.fingerprint_sha256,
                "subject": certificate.subject,
                "serial": certificate.serial,
            },
        },
        "upload": {
            "url": request.build_absolute_uri(f"{upload_path}?{urlencode({'token': upload_token})}"),
            "method": "PUT",
            "content_type": "application/pdf",
            "max_bytes": settings.VANTHU_MAX_UPLOAD_BYTES,
        },
    }
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@_json_errors
def document(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session(session_id)
    pdf = sessions.signature_document_fetch(session=session, token=request.GET.get("token"), now=clock.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{session.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _read_body(request: HttpRequest) -> bytes:
    """The request body, refused beyond the upload limit (read in chunks, not trusting the header)."""
    limit = int(settings.VANTHU_MAX_UPLOAD_BYTES)
    content_type = (request.content_type or "").lower()
    if content_type not in PDF_CONTENT_TYPES:
        raise UnsupportedMediaTypeError(
            _("Send the signed document as application/pdf."), details={"content_type": content_type}
        )
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLargeError(details={"max_bytes": limit})
    chunks: list[bytes] = []
    size = 0
    while chunk := request.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(details={"max_bytes": limit})
        chunks.append(chunk)
    return b"".join(chunks)


@csrf_exempt
@require_http_methods(["PUT"])
@_json_errors
def signed(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    now = clock.now()
    token = request.GET.get("token")
    session = _session(session_id)
    # a wrong token is refused before the body is read
    session = sessions.signing_session_check_token(session=session, token=token, purpose="upload", now=now)
    uploaded = _read_body(request)
    # the token stands for the person who prepared the session: the upload is made on their behalf
    session = sessions.signature_apply(
        session=session, actor=session.created_by, now=now, uploaded_pdf=uploaded, upload_token=token
    )
    response = JsonResponse(
        {"status": session.status, "session_id": str(session.pk), "result_sha256": session.result_sha256}
    )
    response["Cache-Control"] = "no-store"
    return response
