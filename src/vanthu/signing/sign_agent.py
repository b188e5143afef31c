"""``vanthu sign-agent``: a local stand-in of the VGCA Sign Service, for development, tests and demos.

It listens on 127.0.0.1 only and holds one software key (a PKCS#12 file). The Vanthu page (see
``static/js/sign-agent.js``) posts ``{"manifest_url": ...}`` to ``POST /sign``; the agent fetches
the manifest from the Vanthu origin it was started for, refuses a certificate other than its own,
downloads the PDF (checking its SHA-256), signs it with ``pades.sign_pdf`` and the manifest's
appearance, and uploads it with ``PUT`` (see ``signing.agent_views`` for the protocol).
``GET /status`` tells the page that an agent is there and which certificate it holds.

Browsers may call it only from the Vanthu origin: CORS answers name that origin alone, a request
with another ``Origin`` is refused, and manifest, document and upload URLs must all be on it. A
real agent asks its user to confirm and enter the token's PIN; this stand-in signs at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.signing.pades import sign_pdf
from vanthu.signing.sessions import appearance_from_data

logger = logging.getLogger(__name__)

PROTOCOL = "vanthu-sign-agent/1"
DEFAULT_PORT = 18765
MAX_REQUEST_BYTES = 8192
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 60


class AgentError(Exception):
    """A refusal or failure of the agent, answered to the page as ``{"code", "message", "details"}``."""

    def __init__(self, message: str, *, code: str, status: int = 400, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


@dataclass(frozen=True)
class AgentKey:
    signer: SimpleSigner
    certificate_der: bytes
    sha256: str
    subject: str


def load_agent_key(pkcs12_data: bytes, password: str | None) -> AgentKey:
    """The signing key of a PKCS#12 file, with the CA certificates it carries."""
    try:
        loaded = pkcs12.load_pkcs12(pkcs12_data, password.encode() if password else None)
    except ValueError as error:
        raise AgentError(
            _("The key file could not be opened: wrong password or damaged file."), code="agent_key_unreadable"
        ) from error
    if loaded.cert is None or loaded.key is None:
        raise AgentError(_("The key file holds no private key."), code="agent_key_unreadable")
    certificate = loaded.cert.certificate
    certificate_der = certificate.public_bytes(serialization.Encoding.DER)
    key_der = loaded.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain = [
        asn1_x509.Certificate.load(extra.certificate.public_bytes(serialization.Encoding.DER))
        for extra in loaded.additional_certs
    ]
    signer = SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain),  # type: ignore[no-untyped-call]
    )
    return AgentKey(
        signer=signer,
        certificate_der=certificate_der,
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        subject=certificate.subject.rfc4514_string(),
    )


@dataclass(frozen=True)
class AgentConfig:
    origin: str  # the Vanthu origin, e.g. "https://vanthu.thanhhoa.gov.vn"
    key: AgentKey
    now: Callable[[], datetime] = field(default=clock.now)
    timeout: float = HTTP_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", normalise_origin(self.origin))


def normalise_origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise AgentError(_("The Vanthu address must be an http(s) origin."), code="agent_bad_origin")
    return f"{parts.scheme}://{parts.netloc}".lower()


def _require_on_origin(url: object, config: AgentConfig) -> str:
    if not isinstance(url, str) or normalise_origin_or_none(url) != config.origin:
        raise AgentError(
            _("The signing request does not come from the Vanthu server this agent serves."),
            code="agent_foreign_url",
            status=HTTPStatus.FORBIDDEN,
        )
    return url


def normalise_origin_or_none(url: str) -> str | None:
    try:
        return normalise_origin(url)
    except AgentError:
        return None


def _http(request: urllib.request.Request, config: AgentConfig, *, limit: int) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310 - http(s) on the origin
            data: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        body = error.read(MAX_REQUEST_BYTES * 8)
        try:
            problem = json.loads(body)
        except ValueError:
            problem = {}
        raise AgentError(
            str(problem.get("message") or _("The Vanthu server refused the request.")),
            code=str(problem.get("code") or "agent_server_refused"),
            status=error.code,
            details=problem.get("details") or {},
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise AgentError(
            _("The Vanthu server could not be reached."), code="agent_server_unreachable", status=HTTPStatus.BAD_GATEWAY
        ) from error
    if len(data) > limit:
        raise AgentError(_("The document is too large."), code="agent_too_large", status=HTTPStatus.BAD_GATEWAY)
    return data


def sign_from_manifest(manifest_url: str, config: AgentConfig) -> dict[str, Any]:
    """Fetch the manifest, check it, download, sign, upload; the server's answer to the upload."""
    _require_on_origin(manifest_url, config)
    manifest_request = urllib.request.Request(manifest_url, headers={"Accept": "application/json"})  # noqa: S310
    raw = _http(manifest_request, config, limit=1 << 24)
    try:
        manifest = json.loads(raw)
        document_url = _require_on_origin(manifest["document"]["url"], config)
        upload_url = _require_on_origin(manifest["upload"]["url"], config)
        expected_sha256 = str(manifest["document"]["sha256"]).lower()
        signature = manifest["signature"]
        certificate_sha256 = str(signature["certificate"]["sha256"]).lower()
        field_name = signature.get("field_name") or None
        appearance_data = signature.get("appearance")
    except (ValueError, KeyError, TypeError) as error:
        raise AgentError(
            _("The signing manifest cannot be read."), code="agent_bad_manifest", status=HTTPStatus.BAD_GATEWAY
        ) from error
    if manifest.get("protocol") != PROTOCOL:
        raise AgentError(
            _("This agent does not speak the server's signing protocol."),
            code="agent_protocol_mismatch",
            details={"protocol": manifest.get("protocol")},
        )
    if certificate_sha256 != config.key.sha256:
        raise AgentError(
            _("The certificate chosen on the server is not the one this agent holds."),
            code="agent_certificate_mismatch",
            status=HTTPStatus.CONFLICT,
            details={"expected_sha256": certificate_sha256, "agent_sha256": config.key.sha256},
        )
    pdf = _http(urllib.request.Request(document_url), config, limit=MAX_DOCUMENT_BYTES)  # noqa: S310 - on the origin
    if hashlib.sha256(pdf).hexdigest() != expected_sha256:
        raise AgentError(
            _("The document received is not the one the manifest names."),
            code="agent_document_mismatch",
            status=HTTPStatus.BAD_GATEWAY,
        )
    try:
        appearance = appearance_from_data(appearance_data)
        signed = sign_pdf(
            pdf=pdf, signer=config.key.signer, appearance=appearance, now=config.now(), field_name=field_name
        )
    except DomainError as error:
        raise AgentError(str(error.message), code=error.code, status=HTTPStatus.UNPROCESSABLE_ENTITY) from error
    answer = _http(
        urllib.request.Request(  # noqa: S310 - on the origin
            upload_url,
            data=signed,
            method="PUT",
            headers={"Content-Type": "application/pdf", "Accept": "application/json"},
        ),
        config,
        limit=1 << 20,
    )
    try:
        result: dict[str, Any] = json.loads(answer)
    except ValueError:
        result = {}
    return result


class AgentHandler(BaseHTTPRequestHandler):
    server_version = "VanthuSignAgent/1"
    config: AgentConfig  # set on the subclass made by make_server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        logger.info("%s %s", self.address_string(), format % args)

    # --- CORS: the Vanthu origin only ---

    def _origin_allowed(self) -> bool:
        origin = self.headers.get("Origin")
        return origin is None or origin.rstrip("/").lower() == self.config.origin

    def _cors(self) -> None:
        if self.headers.get("Origin") is not None and self._origin_allowed():
            self.send_header("Access-Control-Allow-Origin", self.config.origin)
            self.send_header("Vary", "Origin")

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _refuse_origin(self) -> None:
        self._json(
            HTTPStatus.FORBIDDEN,
            AgentError(_("This page may not use the signing agent."), code="agent_origin_refused").as_dict(),
        )

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        if not self._origin_allowed():
            self._refuse_origin()
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        # Chrome's Private Network Access: a public page may reach this loopback service
        self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if not self._origin_allowed():
            self._refuse_origin()
            return
        if self.path.split("?", 1)[0] != "/status":
            self._json(HTTPStatus.NOT_FOUND, {"code": "not_found", "message": _("Not found."), "details": {}})
            return
        self._json(
            HTTPStatus.OK,
            {
                "agent": "vanthu-sign-agent",
                "protocol": PROTOCOL,
                "certificate": {"sha256": self.config.key.sha256, "subject": self.config.key.subject},
            },
        )

    def do_POST(self) -> None:  # noqa: N802
        if not self._origin_allowed():
            self._refuse_origin()
            return
        if self.path.split("?", 1)[0] != "/sign":
            self._json(HTTPStatus.NOT_FOUND, {"code": "not_found", "message": _("Not found."), "details": {}})
            return
        try:
            manifest_url = self._manifest_url()
            result = sign_from_manifest(manifest_url, self.config)
        except AgentError as error:
            logger.warning("signing refused: %s (%s)", error.code, error.status)
            self._json(error.status, error.as_dict())
            return
        except Exception:
            logger.exception("signing failed")
            self._json(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                AgentError(_("The signing agent failed; see its log."), code="agent_failed").as_dict(),
            )
            return
        self._json(HTTPStatus.OK, {"status": "signed", "result": result})

    def _manifest_url(self) -> str:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if not 0 < length <= MAX_REQUEST_BYTES:
            raise AgentError(_('Send the manifest URL as JSON: {"manifest_url": "..."}.'), code="agent_bad_request")
        try:
            body = json.loads(self.rfile.read(length))
            manifest_url = body["manifest_url"]
        except (ValueError, KeyError, TypeError) as error:
            raise AgentError(
                _('Send the manifest URL as JSON: {"manifest_url": "..."}.'), code="agent_bad_request"
            ) from error
        return _require_on_origin(manifest_url, self.config)


def make_server(config: AgentConfig, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """The agent's HTTP server (not started): loopback addresses only."""
    if host not in {"127.0.0.1", "::1", "localhost"}:
        raise AgentError(_("The signing agent listens on the loopback address only."), code="agent_bad_host")
    handler = type("ConfiguredAgentHandler", (AgentHandler,), {"config": config})
    return ThreadingHTTPServer((host, port), handler)


__all__ = [
    "DEFAULT_PORT",
    "PROTOCOL",
    "AgentConfig",
    "AgentError",
    "AgentKey",
    "load_agent_key",
    "make_server",
    "sign_from_manifest",
]
