"""Reading certificates (PEM, DER, PKCS#12) and deciding whether one may sign now. Pure: no
database; the services store what ``certificate_parse`` returns."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

import requests
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError
from pyhanko_certvalidator.errors import RevokedError

from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.signing.pades.runner import run_coroutine

logger = logging.getLogger(__name__)

MAX_CERTIFICATE_FILE_BYTES = 64 * 1024
MAX_CRL_BYTES = 20 * 1024 * 1024
CRL_TIMEOUT_SECONDS = 10

# Extended key usages that, alone, say "not for signing documents".
_NOT_FOR_DOCUMENTS = {
    ExtendedKeyUsageOID.SERVER_AUTH.dotted_string,
    ExtendedKeyUsageOID.TIME_STAMPING.dotted_string,
    ExtendedKeyUsageOID.OCSP_SIGNING.dotted_string,
    ExtendedKeyUsageOID.CODE_SIGNING.dotted_string,
}
_KEY_USAGE_NAMES = (
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
)
SECRET_NAME_PATTERN = re.compile(r"^[A-Z0-9_]{1,64}$")


class NotACertificateError(ValidationError):
    code = "not_a_certificate"


class CertificateFileLockedError(ValidationError):
    code = "certificate_file_locked"


class CertificateExpiredError(ValidationError):
    code = "certificate_expired"


class CertificateNotYetValidError(ValidationError):
    code = "certificate_not_yet_valid"


class CertificateUsageError(ValidationError):
    code = "certificate_wrong_usage"


class CertificateIsCaError(ValidationError):
    code = "certificate_is_ca"


class CertificateUntrustedError(ValidationError):
    code = "certificate_untrusted"


class CertificateRevokedError(ValidationError):
    code = "certificate_revoked"


class KeySecretMissingError(ConflictError):
    code = "key_secret_missing"


@dataclass(frozen=True)
class CertificateInfo:
    subject: str  # RFC 4514
    common_name: str
    organisation: str
    issuer: str
    issuer_common_name: str
    serial: str  # lower-case hex
    not_before: datetime
    not_after: datetime
    key_usage: list[str]
    extended_key_usage: list[str]  # dotted OIDs
    fingerprint_sha256: str
    is_ca: bool
    der: bytes


@dataclass(frozen=True)
class ParsedCertificate:
    """What a certificate file held: the certificate, and for PKCS#12 its key and chain."""

    info: CertificateInfo
    certificate: x509.Certificate
    private_key: PrivateKeyTypes | None = None
    chain: list[x509.Certificate] = field(default_factory=list)

    @property
    def has_private_key(self) -> bool:
        return self.private_key is not None


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def certificate_info(certificate: x509.Certificate) -> CertificateInfo:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        key_usage = [label for attribute, label in _KEY_USAGE_NAMES if getattr(usage, attribute)]
    except x509.ExtensionNotFound:
        key_usage = []
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        extended = [oid.dotted_string for oid in eku]
    except x509.ExtensionNotFound:
        extended = []
    try:
        is_ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    return CertificateInfo(
        subject=certificate.subject.rfc4514_string(),
        common_name=_attribute(certificate.subject, NameOID.COMMON_NAME)[:255],
        organisation=_attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
        issuer=certificate.issuer.rfc4514_string(),
        issuer_common_name=_attribute(certificate.issuer, NameOID.COMMON_NAME)[:255],
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        key_usage=key_usage,
        extended_key_usage=extended,
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        is_ca=is_ca,
        der=certificate.public_bytes(serialization.Encoding.DER),
    )


def _not_a_certificate() -> NotACertificateError:
    return NotACertificateError(_("The file is not a certificate (PEM, DER or PKCS#12 expected)."))


def certificate_parse(data: bytes, *, password: str | None = None) -> ParsedCertificate:
    """Read a certificate from PEM, DER or PKCS#12 bytes (PKCS#12 may carry the private key)."""
    if not data or len(data) > MAX_CERTIFICATE_FILE_BYTES:
        raise _not_a_certificate()
    if b"-----BEGIN" in data:
        if b"PRIVATE KEY-----" in data:
            raise NotACertificateError(
                _("The file contains a private key. Register only the certificate; keep the key on the token.")
            )
        try:
            certificates = x509.load_pem_x509_certificates(data)
        except ValueError as error:
            raise _not_a_certificate() from error
        return ParsedCertificate(
            info=certificate_info(certificates[0]), certificate=certificates[0], chain=certificates[1:]
        )
    try:
        certificate = x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    else:
        return ParsedCertificate(info=certificate_info(certificate), certificate=certificate)
    return _parse_pkcs12(data, password)


def _parse_pkcs12(data: bytes, password: str | None) -> ParsedCertificate:
    try:
        loaded = pkcs12.load_pkcs12(data, password.encode() if password else None)
    except ValueError as error:
        if _looks_like_pkcs12(data):
            raise CertificateFileLockedError(
                _("The PKCS#12 file could not be opened: wrong password or damaged file.")
            ) from error
        raise _not_a_certificate() from error
    if loaded.cert is None:
        raise _not_a_certificate()
    certificate = loaded.cert.certificate
    return ParsedCertificate(
        info=certificate_info(certificate),
        certificate=certificate,
        private_key=loaded.key,
        chain=[extra.certificate for extra in loaded.additional_certs],
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    # A DER SEQUENCE whose first element is INTEGER 3 (PFX version).
    return data[:1] == b"\x30" and b"\x02\x01\x03" in data[:8]


def check_signing_usable(info: CertificateInfo, now: datetime) -> None:
    """Refuse a certificate that may not sign documents at ``now``."""
    if info.is_ca:
        raise CertificateIsCaError(_("This is a certificate authority's certificate; it cannot sign documents."))
    if now >= info.not_after:
        raise CertificateExpiredError(
            _("The certificate expired on %(date)s.") % {"date": info.not_after.date().isoformat()},
            details={"not_after": info.not_after.isoformat()},
        )
    if now < info.not_before:
        raise CertificateNotYetValidError(
            _("The certificate is valid only from %(date)s.") % {"date": info.not_before.date().isoformat()},
            details={"not_before": info.not_before.isoformat()},
        )
    if not {"digitalSignature", "nonRepudiation"} & set(info.key_usage):
        raise CertificateUsageError(
            _("The certificate is not meant for signing (it needs digital signature or non-repudiation key usage)."),
            details={"key_usage": info.key_usage},
        )
    if info.extended_key_usage and set(info.extended_key_usage) <= _NOT_FOR_DOCUMENTS:
        raise CertificateUsageError(
            _("The certificate is meant for another purpose than signing documents."),
            details={"extended_key_usage": info.extended_key_usage},
        )


def key_secret(name: str) -> str:
    """The password or PIN named ``name``: from the ``VANTHU_SIGNING_KEY_SECRETS`` setting, which
    the settings read from the environment variables ``VANTHU_SIGNING_KEY_SECRET_<NAME>``.
    Never stored in the database."""
    if not SECRET_NAME_PATTERN.match(name):
        raise KeySecretMissingError(_("The key secret name may use only A–Z, 0–9 and _."))
    configured: dict[str, str] = getattr(settings, "VANTHU_SIGNING_KEY_SECRETS", {}) or {}
    value = configured.get(name)
    if value is None:
        raise KeySecretMissingError(
            _("The server has no key secret named %(name)s; ask the system operator to configure it.") % {"name": name},
            details={"name": name},
        )
    return value


def public_keys_match(certificate: x509.Certificate, private_key: PrivateKeyTypes) -> bool:
    encoding, public_format = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return bool(
        certificate.public_key().public_bytes(encoding, public_format)
        == private_key.public_key().public_bytes(encoding, public_format)
    )


def certificate_pem(der: bytes) -> bytes:
    """A DER certificate as PEM (for downloads)."""
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def check_trusted(
    certificate: x509.Certificate,
    *,
    trust_roots: Sequence[bytes],
    intermediates: Sequence[bytes] = (),
    crls: Iterable[bytes] = (),
    now: datetime,
) -> None:
    """Refuse a certificate that does not chain, at ``now``, to one of ``trust_roots`` (DER)
    through ``intermediates`` (DER) only — the certificates a file brings along are not used, so
    only the active trust store counts — or that a CRL of ``crls`` (DER) lists as revoked.
    Revocation is soft-fail: without an answer the certificate is accepted."""
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust_roots],
        other_certs=[asn1_x509.Certificate.load(der) for der in intermediates],
        crls=list(crls),
        allow_fetching=False,
        moment=now,
        revocation_mode="soft-fail",
    )
    validator = CertificateValidator(
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        validation_context=context,
    )
    try:
        run_coroutine(validator.async_validate_path())
    except RevokedError as error:
        raise CertificateRevokedError(
            _("The certificate has been revoked by its certification authority."),
            details={"revoked_at": error.revocation_dt.isoformat() if error.revocation_dt else None},
        ) from error
    except PathBuildingError as error:
        raise CertificateUntrustedError(
            _(
                "The certificate was not issued by a certification authority of the trust store. "
                "Ask a provincial administrator to add its root and intermediate certificates first."
            ),
            details={"issuer": certificate.issuer.rfc4514_string()},
        ) from error
    except Exception as error:  # noqa: BLE001 - any other path failure (expired or misused CA, bad signature)
        raise CertificateUntrustedError(
            _("The certificate's chain to a trusted certification authority is not valid."),
            details={"issuer": certificate.issuer.rfc4514_string()},
        ) from error


def crls_download(urls: Iterable[str], *, timeout: float = CRL_TIMEOUT_SECONDS) -> list[bytes]:
    """The CRLs (DER) that could be downloaded from ``urls``; an address that fails is skipped
    (revocation is soft-fail at registration)."""
    crls: list[bytes] = []
    for url in urls:
        try:
            response = requests.get(url, timeout=timeout)
            response.raise_for_status()
            body = response.content[: MAX_CRL_BYTES + 1]
            if len(body) > MAX_CRL_BYTES:
                continue
            crl = (
                x509.load_pem_x509_crl(body)
                if body.lstrip().startswith(b"-----BEGIN")
                else x509.load_der_x509_crl(body)
            )
            crls.append(crl.public_bytes(serialization.Encoding.DER))
        except (requests.RequestException, ValueError) as error:
            # One line, not a traceback: an unreachable CA is ordinary (closed networks, the demo's PKI).
            logger.warning("could not download the CRL at %s: %s", url, type(error).__name__)
    return crls
