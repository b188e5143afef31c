# mypy: disable-error-code="no-untyped-call"
# (pyHanko's pdf_utils writer and generic objects are not annotated everywhere)
"""A local RFC 3161 time-stamping authority for tests and demos: an HTTP server on 127.0.0.1 (a
thread) answering TimeStampReq with tokens signed by the test PKI's TSA certificate. pyHanko's
``HTTPTimeStamper`` talks to it exactly as to a real TSA (``ca.gov.vn/tsa``). Pure Python.

    with LocalTimeStampAuthority.for_pki(pki) as tsa:
        signed = sign_pdf(..., timestamper=tsa.timestamper())
"""

from __future__ import annotations

import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING
from typing import Any

from asn1crypto import algos  # type: ignore[import-untyped]
from asn1crypto import cms
from asn1crypto import core
from asn1crypto import keys
from asn1crypto import tsp
from asn1crypto import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign.general import as_signing_certificate
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

if TYPE_CHECKING:
    from vanthu.signing.testing.pki import TestPki

MAX_REQUEST_BYTES = 64 * 1024


class _TokenSigner(DummyTimeStamper):
    """pyHanko's in-process test TSA, taught to sign with an EC key (it only does RSA)."""

    def _is_ec(self) -> bool:
        return bool(self.tsa_key["private_key_algorithm"]["algorithm"].native == "ec")

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: datetime) -> tuple[bytes, cms.CMSAttributes]:
        if not self._is_ec():
            return super()._sign_tst_info(tst_info_data, md_algorithm, dt)
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        private_key = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
        if not isinstance(private_key, ec.EllipticCurvePrivateKey):  # pragma: no cover
            raise TypeError("the TSA key is neither RSA nor EC")
        signature = private_key.sign(signed_attrs.dump(), ec.ECDSA(get_pyca_cryptography_hash(md_algorithm)))
        return signature, signed_attrs

    def _build_signed_data(
        self, tst_info_data: bytes, md_algorithm: str, signature: bytes, signed_attrs: cms.CMSAttributes
    ) -> dict[str, Any]:
        data: dict[str, Any] = super()._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
        if self._is_ec():
            data["signer_infos"][0]["signature_algorithm"] = algos.SignedDigestAlgorithm(
                {"algorithm": f"{md_algorithm}_ecdsa"}
            )
        return data


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_REQUEST_BYTES:
            self.send_error(400, "bad request size")
            return
        try:
            request = tsp.TimeStampReq.load(self.rfile.read(length))
            response = self.server.authority.signer.request_tsa_response(request).dump()
        except (ValueError, TypeError, KeyError):
            self.send_error(400, "bad time-stamp request")
            return
        self.server.authority.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(response)))
        self.end_headers()
        self.wfile.write(response)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server signature
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    authority: LocalTimeStampAuthority


class LocalTimeStampAuthority:
    """An RFC 3161 TSA on ``http://127.0.0.1:<port>/tsa`` while the ``with`` block runs."""

    def __init__(
        self,
        *,
        tsa_cert: x509.Certificate,
        tsa_key: keys.PrivateKeyInfo,
        certs_to_embed: list[x509.Certificate] | None = None,
        fixed_time: datetime | None = None,
    ) -> None:
        self.signer = _TokenSigner(
            tsa_cert=tsa_cert,
            tsa_key=tsa_key,
            certs_to_embed=SimpleCertificateStore.from_certs(certs_to_embed or []),
            fixed_dt=fixed_time,
        )
        self.requests = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def for_pki(cls, pki: TestPki, *, fixed_time: datetime | None = None) -> LocalTimeStampAuthority:
        """The TSA of the test PKI (its ``tsa`` certificate, embedding the CA chain)."""
        return cls(
            tsa_cert=x509.Certificate.load(pki.tsa.der),
            tsa_key=keys.PrivateKeyInfo.load(pki.tsa.key_der),
            certs_to_embed=[x509.Certificate.load(der) for der in pki.chain_der],
            fixed_time=fixed_time,
        )

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the TSA is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/tsa"

    def timestamper(self, *, timeout: float = 5) -> HTTPTimeStamper:
        return HTTPTimeStamper(self.url, timeout=timeout)

    def start(self) -> LocalTimeStampAuthority:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.authority = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="vanthu-test-tsa", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalTimeStampAuthority:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
