# mypy: disable-error-code="no-untyped-call"
# (pyHanko's writer, pkcs11 and CMS helpers are not annotated everywhere)
"""Signers for the signing sessions. Pure: no database; the services pass in what they read.

- Server-held keys: :func:`pkcs12_signer` (an agency's PKCS#12 file, opened with its secret) and
  :func:`pkcs11_signer` (a key in a PKCS#11 token or HSM, e.g. SoftHSM2; pyHanko's PKCS#11 signer).
- Remote signing of the hash: :func:`remote_prepare` builds the signed document with an empty
  signature and returns the digest the remote signer signs plus a self-contained ``state``;
  :func:`remote_finish` puts the returned signature value in place from that state alone, so a
  session prepared by one process can be finished by another (pyHanko's interrupted signing).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import cms  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.signing.pades import document
from vanthu.signing.pades.appearance import Appearance
from vanthu.signing.pades.errors import SigningFailedError
from vanthu.signing.pades.runner import run_coroutine

# The planning and widget helpers of the signing engine: remote signing must put exactly the same
# appearance on the page as pades.sign_pdf does.
from vanthu.signing.pades.sign import MD_ALGORITHM
from vanthu.signing.pades.sign import _free_field_name
from vanthu.signing.pades.sign import _plan
from vanthu.signing.pades.sign import prepare_and_digest

STATE_MAGIC = b"VANTHU-REMOTE-SIGNING/1\n"
P256_RAW_SIGNATURE_BYTES = 64


class SigningKeyUnavailableError(ConflictError):
    code = "signing_key_unavailable"


class SignatureValueError(ValidationError):
    code = "signature_value_invalid"


def _asn1(der: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(der)


def _registry(chain_der: Sequence[bytes]) -> SimpleCertificateStore:
    store: SimpleCertificateStore = SimpleCertificateStore.from_certs([_asn1(der) for der in chain_der])
    return store


# --- server-held keys ----------------------------------------------------------------------------


def pkcs12_signer(
    *, pkcs12_data: bytes, password: str | None, certificate_der: bytes, chain_der: Sequence[bytes] = ()
) -> Signer:
    """A signer for the key of a PKCS#12 file; refuses a file whose certificate is not ``certificate_der``."""
    try:
        loaded = pkcs12.load_pkcs12(pkcs12_data, password.encode() if password else None)
    except ValueError as error:
        raise SigningKeyUnavailableError(
            _("The server's key file could not be opened: wrong password or damaged file.")
        ) from error
    if loaded.cert is None or loaded.key is None:
        raise SigningKeyUnavailableError(_("The server's key file holds no private key."))
    from cryptography.hazmat.primitives import serialization

    if loaded.cert.certificate.public_bytes(serialization.Encoding.DER) != certificate_der:
        raise SigningKeyUnavailableError(_("The server's key file belongs to another certificate."))
    from asn1crypto import keys as asn1_keys

    key_der = loaded.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=_asn1(certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=_registry(chain_der),
    )


@contextmanager
def pkcs11_signer(  # noqa: PLR0913 - everything that names a key in a token
    *,
    module_path: str,
    token_label: str,
    key_label: str,
    pin: str,
    certificate_der: bytes,
    chain_der: Sequence[bytes] = (),
) -> Iterator[Signer]:
    """A signer for the key ``key_label`` of the PKCS#11 token ``token_label`` (the session is
    closed on leaving). The certificate comes from the database, not from the token."""
    from pkcs11 import PKCS11Error as LibraryError
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not module_path:
        raise SigningKeyUnavailableError(_("The server has no PKCS#11 module configured."))
    try:
        session = open_pkcs11_session(module_path, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except (LibraryError, SigningError, OSError, RuntimeError) as error:
        raise SigningKeyUnavailableError(
            _("The server's signing token could not be opened."),
            details={"token_label": token_label, "reason": type(error).__name__},
        ) from error
    try:
        yield PKCS11Signer(
            session,
            key_label=key_label,
            signing_cert=_asn1(certificate_der),
            ca_chain=[_asn1(der) for der in chain_der],
            # plain CKM_ECDSA over a hash computed here: tokens (SoftHSM2 among them) often lack
            # the combined ECDSA-with-SHA-256 mechanism
            use_raw_mechanism=_is_ec(certificate_der),
        )
    finally:
        session.close()


def _is_ec(certificate_der: bytes) -> bool:
    return isinstance(x509.load_der_x509_certificate(certificate_der).public_key(), ec.EllipticCurvePublicKey)


# --- remote signing of the hash ------------------------------------------------------------------


@dataclass(frozen=True)
class RemotePrepared:
    """``digest_hex``: SHA-256 of the CMS signed attributes, which the remote signer signs.
    ``state``: everything :func:`remote_finish` needs (the prepared file included)."""

    digest_hex: str
    field_name: str
    state: bytes


def _pack_state(header: dict[str, Any], pdf: bytes) -> bytes:
    encoded = json.dumps(header, sort_keys=True).encode()
    return STATE_MAGIC + len(encoded).to_bytes(4, "big") + encoded + pdf


def _unpack_state(state: bytes) -> tuple[dict[str, Any], bytes]:
    if not state.startswith(STATE_MAGIC):
        raise SigningFailedError(details={"reason": "unknown prepared state"})
    start = len(STATE_MAGIC)
    length = int.from_bytes(state[start : start + 4], "big")
    header: dict[str, Any] = json.loads(state[start + 4 : start + 4 + length])
    return header, state[start + 4 + length :]


def remote_prepare(  # noqa: PLR0913
    *,
    pdf: bytes,
    certificate_der: bytes,
    chain_der: Sequence[bytes],
    appearance: Appearance | None,
    now: datetime,
    field_name: str | None = None,
    reserve_timestamp: bool = False,
) -> RemotePrepared:
    """Prepare ``pdf`` for a signature made elsewhere over the returned digest. With
    ``reserve_timestamp`` the file keeps room for an RFC 3161 timestamp added at the finish."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    reader = document.open_pdf(pdf)
    plan = _plan(appearance, pdf=pdf, reader=reader, now=now)
    name = field_name or _free_field_name(reader, appearance)
    try:
        return run_coroutine(
            _remote_prepare(
                pdf=pdf,
                plan=plan,
                certificate_der=certificate_der,
                chain_der=chain_der,
                field_name=name,
                now=now,
                reserve_timestamp=reserve_timestamp,
            )
        )
    except (SigningError, PdfError) as error:
        raise SigningFailedError(details={"reason": str(error)}) from error


async def _remote_prepare(  # noqa: PLR0913
    *,
    pdf: bytes,
    plan: Any,
    certificate_der: bytes,
    chain_der: Sequence[bytes],
    field_name: str,
    now: datetime,
    reserve_timestamp: bool,
) -> RemotePrepared:
    external = signers.ExternalSigner(
        signing_cert=_asn1(certificate_der), cert_registry=_registry(chain_der), signature_value=256
    )
    digested = await prepare_and_digest(
        pdf=pdf, plan=plan, signer=external, field_name=field_name, now=now, reserve_timestamp=reserve_timestamp
    )
    prepared = digested.prepared
    output = digested.output
    signed_attrs = await external.signed_attrs(
        prepared.document_digest,
        MD_ALGORITHM,
        attr_settings=PdfCMSSignedAttributes(signing_time=now),
        use_pades=True,
    )
    signed_attrs_der: bytes = signed_attrs.dump()
    header = {
        "md_algorithm": MD_ALGORITHM,
        "document_digest": prepared.document_digest.hex(),
        "reserved_region_start": prepared.reserved_region_start,
        "reserved_region_end": prepared.reserved_region_end,
        "signed_attrs": base64.b64encode(signed_attrs_der).decode(),
        "certificate": base64.b64encode(certificate_der).decode(),
        "chain": [base64.b64encode(der).decode() for der in chain_der],
        "field_name": field_name,
        "timestamp_reserved": reserve_timestamp,
    }
    return RemotePrepared(
        digest_hex=hashlib.sha256(signed_attrs_der).hexdigest(),
        field_name=field_name,
        state=_pack_state(header, output.getvalue()),
    )


def remote_digest_hex(state: bytes) -> str:
    header, _pdf = _unpack_state(state)
    return hashlib.sha256(base64.b64decode(header["signed_attrs"])).hexdigest()


def _normalise_signature_value(certificate: x509.Certificate, value: bytes) -> bytes:
    """ECDSA values may come as raw r‖s (64 bytes for P-256): CMS wants DER."""
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey) and not value.startswith(b"\x30"):
        half = len(value) // 2
        if len(value) % 2 == 0 and half:
            return encode_dss_signature(int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big"))
    return value


def check_signature_value(*, certificate_der: bytes, signed_data: bytes, value: bytes) -> bytes:
    """Refuse a signature value that is not the certificate key's signature over ``signed_data``
    (SHA-256; ECDSA or RSA PKCS#1 v1.5). Returns the value in the form CMS needs."""
    certificate = x509.load_der_x509_certificate(certificate_der)
    value = _normalise_signature_value(certificate, value)
    key = certificate.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(value, signed_data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(value, signed_data, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise SignatureValueError(_("This kind of key is not supported for remote signing."))
    except (InvalidSignature, ValueError) as error:
        raise SignatureValueError(
            _("The signature value does not match the document's hash and the certificate.")
        ) from error
    return value


def decode_signature_value(text: str) -> bytes:
    """A signature value sent as base64 or hex text."""
    text = text.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        pass
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureValueError(_("The signature value must be base64 or hexadecimal.")) from error


def remote_finish(*, state: bytes, signature_value: bytes, timestamper: TimeStamper | None = None) -> bytes:
    """The signed PDF: ``signature_value`` (over the digest of :func:`remote_prepare`) put in place,
    with an RFC 3161 timestamp over it from ``timestamper`` (PAdES B-T) when the prepared file
    kept room for one (``remote_prepare(reserve_timestamp=True)``)."""
    header, prepared_pdf = _unpack_state(state)
    signed_attrs_der = base64.b64decode(header["signed_attrs"])
    certificate_der = base64.b64decode(header["certificate"])
    value = check_signature_value(certificate_der=certificate_der, signed_data=signed_attrs_der, value=signature_value)
    chain_der = [base64.b64decode(item) for item in header["chain"]]
    prepared = PreparedByteRangeDigest(
        document_digest=bytes.fromhex(header["document_digest"]),
        reserved_region_start=int(header["reserved_region_start"]),
        reserved_region_end=int(header["reserved_region_end"]),
    )
    try:
        return run_coroutine(
            _remote_finish(
                prepared_pdf=prepared_pdf,
                prepared=prepared,
                signed_attrs=cms.CMSAttributes.load(signed_attrs_der),
                certificate_der=certificate_der,
                chain_der=chain_der,
                value=value,
                md_algorithm=str(header["md_algorithm"]),
                timestamper=timestamper if header.get("timestamp_reserved") else None,
            )
        )
    except TimestampRequestError as error:
        raise SigningFailedError(
            _("The time-stamping authority did not answer; the document was not signed."),
            code="timestamp_failed",
        ) from error
    except (SigningError, PdfError) as error:
        raise SigningFailedError(details={"reason": str(error)}) from error


async def _remote_finish(  # noqa: PLR0913
    *,
    prepared_pdf: bytes,
    prepared: PreparedByteRangeDigest,
    signed_attrs: Any,
    certificate_der: bytes,
    chain_der: Sequence[bytes],
    value: bytes,
    md_algorithm: str,
    timestamper: TimeStamper | None,
) -> bytes:
    external = signers.ExternalSigner(
        signing_cert=_asn1(certificate_der), cert_registry=_registry(chain_der), signature_value=value
    )
    signature_cms = await external.async_sign_prescribed_attributes(
        md_algorithm, signed_attrs=signed_attrs, timestamper=timestamper
    )
    output = io.BytesIO(prepared_pdf)
    await PdfTBSDocument.async_finish_signing(output, prepared, signature_cms)
    return output.getvalue()
