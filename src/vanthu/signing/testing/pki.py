"""A realistic test PKI for signing tests, demos and benchmarks: pure Python, no Django.

Shape (mirrors the Vietnamese government chain: a root of the Government Cipher Committee, an
issuing CA under it, end-entity certificates for people and agencies)::

    root          "Test Root CA — Ban Cơ yếu Chính phủ (test)"
    └ intermediate "Test Issuing CA — Cục Chứng thực số (test)"
      ├ person         personal signing certificate (digitalSignature + nonRepudiation)
      ├ other_person   a second person (for "signed by another certificate")
      ├ agency         the seal certificate of "Sở Tài chính tỉnh Thanh Hóa"
      ├ expired        valid until yesterday
      ├ not_yet_valid  valid from next month
      ├ wrong_usage    keyEncipherment only
      ├ revoked        listed in ``crl_der(pki)``
      └ tsa            an RFC 3161 time-stamping unit (EKU timeStamping, critical)

Keys are EC P-256 (the fastest for pyHanko to sign with), derived deterministically from the key's
name, so subjects, serials, keys and fingerprints are the same for a given date in every process.
``build_test_pki(now)`` is cached per process per UTC date of ``now``; validity periods are
counted from midnight UTC of that date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator import ValidationContext

Which = Literal[
    "root",
    "intermediate",
    "person",
    "other_person",
    "agency",
    "expired",
    "not_yet_valid",
    "wrong_usage",
    "revoked",
    "tsa",
]

ROOT_CN = "Test Root CA — Ban Cơ yếu Chính phủ (test)"
INTERMEDIATE_CN = "Test Issuing CA — Cục Chứng thực số (test)"
PERSON_NAME = "Nguyễn Văn Hùng"
OTHER_PERSON_NAME = "Lê Thị Hồng Nhung"
AGENCY_NAME = "Sở Tài chính tỉnh Thanh Hóa"
PROVINCE = "Thanh Hóa"
CA_ORGANISATION = "Ban Cơ yếu Chính phủ"
# The document-signing EKU of RFC 9336 (id-kp-documentSigning).
DOCUMENT_SIGNING_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")

# Declared in every issued certificate, so pyHanko checks the CRLs it is given (it checks revocation
# only for certificates that declare where to find it). The .invalid host never resolves.
CRL_URLS = {
    "root": "http://ca.vanthu-test.invalid/root.crl",
    "intermediate": "http://ca.vanthu-test.invalid/intermediate.crl",
}

_CURVE_ORDER_P256 = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@dataclass(frozen=True)
class Issued:
    """One certificate with its private key."""

    name: str
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_der(self) -> bytes:
        """The private key as unencrypted PKCS#8 DER."""
        return self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def serial_hex(self) -> str:
        return format(self.cert.serial_number, "x")

    @property
    def fingerprint_sha256(self) -> str:
        return self.cert.fingerprint(hashes.SHA256()).hex()


@dataclass(frozen=True)
class TestPki:
    """The whole test PKI; ``pki["person"]`` or ``pki.person`` gives one :class:`Issued`."""

    __test__ = False  # not a pytest test class

    day: date
    root: Issued
    intermediate: Issued
    person: Issued
    other_person: Issued
    agency: Issued
    expired: Issued
    not_yet_valid: Issued
    wrong_usage: Issued
    revoked: Issued
    tsa: Issued
    revoked_serials: tuple[int, ...] = field(default=())

    def __getitem__(self, which: Which) -> Issued:
        issued: Issued = getattr(self, which)
        return issued

    @property
    def chain(self) -> list[x509.Certificate]:
        """The CA certificates an end-entity certificate needs, issuer first."""
        return [self.intermediate.cert, self.root.cert]

    @property
    def chain_der(self) -> list[bytes]:
        return [self.intermediate.der, self.root.der]


def _key(name: str, day: date) -> ec.EllipticCurvePrivateKey:
    seed = hashlib.sha256(f"vanthu-test-pki/{day.isoformat()}/{name}".encode()).digest()
    value = int.from_bytes(seed, "big") % (_CURVE_ORDER_P256 - 1) + 1
    return ec.derive_private_key(value, ec.SECP256R1())


def _serial(name: str, day: date) -> int:
    seed = hashlib.sha256(f"vanthu-test-pki-serial/{day.isoformat()}/{name}".encode()).digest()
    return int.from_bytes(seed[:16], "big") >> 1 or 1  # positive, at most 127 bits


def _name(cn: str, *, organisation: str | None = None, unit: str | None = None, email: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, PROVINCE))
    attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, PROVINCE))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


def _ca_name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _usage(
    *, digital_signature: bool = False, non_repudiation: bool = False, key_encipherment: bool = False, ca: bool = False
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=non_repudiation,
        key_encipherment=key_encipherment,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(  # noqa: PLR0913 - one knob per certificate property
    *,
    name: str,
    day: date,
    subject: x509.Name,
    issuer: Issued | None,
    not_before: datetime,
    not_after: datetime,
    usage: x509.KeyUsage,
    eku: list[x509.ObjectIdentifier] | None = None,
    eku_critical: bool = False,
    ca_path_length: int | None = None,
    is_ca: bool = False,
    email: str | None = None,
) -> Issued:
    key = _key(name, day)
    signing_key = issuer.key if issuer is not None else key
    issuer_name = issuer.cert.subject if issuer is not None else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(_serial(name, day))
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path_length if is_ca else None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    if issuer is not None:
        point = x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(CRL_URLS[issuer.name])],
            relative_name=None,
            reasons=None,
            crl_issuer=None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    cert = builder.sign(signing_key, hashes.SHA256(), ecdsa_deterministic=True)  # RFC 6979
    return Issued(name=name, cert=cert, key=key)


@lru_cache(maxsize=8)
def _build(day: date) -> TestPki:
    midnight = datetime.combine(day, time(0, 0), tzinfo=UTC)
    signing_eku = [ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID, ExtendedKeyUsageOID.CLIENT_AUTH]
    root = _issue(
        name="root",
        day=day,
        subject=_ca_name(ROOT_CN),
        issuer=None,
        not_before=midnight - timedelta(days=5 * 365),
        not_after=midnight + timedelta(days=20 * 365),
        usage=_usage(ca=True),
        is_ca=True,
        ca_path_length=1,
    )
    intermediate = _issue(
        name="intermediate",
        day=day,
        subject=_ca_name(INTERMEDIATE_CN),
        issuer=root,
        not_before=midnight - timedelta(days=3 * 365),
        not_after=midnight + timedelta(days=10 * 365),
        usage=_usage(ca=True),
        is_ca=True,
        ca_path_length=0,
    )

    def leaf(
        name: str,
        subject: x509.Name,
        *,
        start: timedelta = timedelta(days=-30),
        end: timedelta = timedelta(days=2 * 365),
        usage: x509.KeyUsage | None = None,
        eku: list[x509.ObjectIdentifier] | None = None,
        eku_critical: bool = False,
        email: str | None = None,
    ) -> Issued:
        return _issue(
            name=name,
            day=day,
            subject=subject,
            issuer=intermediate,
            not_before=midnight + start,
            not_after=midnight + end,
            usage=usage if usage is not None else _usage(digital_signature=True, non_repudiation=True),
            eku=signing_eku if eku is None else eku,
            eku_critical=eku_critical,
            email=email,
        )

    person_email = "hungnv@stc.thanhhoa.gov.vn"
    person = leaf(
        "person",
        _name(PERSON_NAME, organisation=AGENCY_NAME, unit="Văn phòng Sở", email=person_email),
        email=person_email,
    )
    other_email = "nhunglth@stc.thanhhoa.gov.vn"
    other_person = leaf(
        "other_person",
        _name(OTHER_PERSON_NAME, organisation=AGENCY_NAME, unit="Phòng Ngân sách", email=other_email),
        email=other_email,
    )
    agency = leaf(
        "agency",
        _name(AGENCY_NAME, organisation=AGENCY_NAME),
        eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID],
    )
    expired = leaf(
        "expired",
        _name("Trần Văn Bình", organisation=AGENCY_NAME),
        start=timedelta(days=-2 * 365),
        end=timedelta(days=-1),
    )
    not_yet_valid = leaf(
        "not_yet_valid",
        _name("Phạm Thị Cúc", organisation=AGENCY_NAME),
        start=timedelta(days=30),
        end=timedelta(days=3 * 365),
    )
    wrong_usage = leaf(
        "wrong_usage",
        _name("Hoàng Văn Dũng", organisation=AGENCY_NAME),
        usage=_usage(key_encipherment=True),
        eku=[ExtendedKeyUsageOID.SERVER_AUTH],
    )
    revoked = leaf("revoked", _name("Đỗ Thị Én", organisation=AGENCY_NAME))
    tsa = leaf(
        "tsa",
        _name("Test TSA — Dịch vụ cấp dấu thời gian (test)", organisation=CA_ORGANISATION),
        usage=_usage(digital_signature=True),
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        eku_critical=True,
    )
    return TestPki(
        day=day,
        root=root,
        intermediate=intermediate,
        person=person,
        other_person=other_person,
        agency=agency,
        expired=expired,
        not_yet_valid=not_yet_valid,
        wrong_usage=wrong_usage,
        revoked=revoked,
        tsa=tsa,
        revoked_serials=(revoked.cert.serial_number,),
    )


def build_test_pki(now: datetime) -> TestPki:
    """The test PKI for the UTC date of ``now`` (cached per process)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return _build(now.astimezone(UTC).date())


def issue_signing_certificate(  # noqa: PLR0913 - one knob per subject attribute
    pki: TestPki,
    *,
    key_name: str,
    common_name: str,
    organisation: str,
    unit: str | None = None,
    email: str | None = None,
    for_agency: bool = False,
) -> Issued:
    """One more end-entity signing certificate under the PKI's intermediate (for demos): a person's
    (``for_agency`` False) or an agency seal's, valid from 30 days before the PKI's day for 2 years.
    ``key_name`` seeds the deterministic key and serial."""
    midnight = datetime.combine(pki.day, time(0, 0), tzinfo=UTC)
    eku = [ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID]
    if not for_agency:
        eku.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    return _issue(
        name=key_name,
        day=pki.day,
        subject=_name(common_name, organisation=organisation, unit=unit, email=email),
        issuer=pki.intermediate,
        not_before=midnight - timedelta(days=30),
        not_after=midnight + timedelta(days=2 * 365),
        usage=_usage(digital_signature=True, non_repudiation=True),
        eku=eku,
        email=email,
    )


def pkcs12_bytes(
    cert: x509.Certificate,
    key: ec.EllipticCurvePrivateKey,
    chain: list[x509.Certificate] | None = None,
    password: bytes | None = None,
    *,
    friendly_name: bytes | None = b"vanthu-test",
) -> bytes:
    """A PKCS#12 file holding ``cert``, its ``key`` and the ``chain`` (encrypted when ``password``)."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(friendly_name, key, cert, chain or None, encryption)


def crl_der(
    pki: TestPki, *, now: datetime | None = None, issuer: Literal["intermediate", "root"] = "intermediate"
) -> bytes:
    """A CRL of ``issuer``: the intermediate's lists the ``revoked`` certificate, the root's is empty."""
    authority = pki[issuer]
    this_update = now or datetime.combine(pki.day, time(0, 0), tzinfo=UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.cert.subject)
        .last_update(this_update - timedelta(hours=1))
        .next_update(this_update + timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
    )
    if issuer == "intermediate":
        for serial in pki.revoked_serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(this_update - timedelta(days=2))
                .build()
            )
    crl = builder.sign(authority.key, hashes.SHA256(), ecdsa_deterministic=True)
    return crl.public_bytes(serialization.Encoding.DER)


def signer_for(pki: TestPki, which: Which = "person", *, embed_roots: bool = True) -> SimpleSigner:
    """A pyHanko ``SimpleSigner`` for one end-entity certificate of the PKI, carrying its chain."""
    from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    issued = pki[which]
    return SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(issued.der),
        signing_key=asn1_keys.PrivateKeyInfo.load(issued.key_der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_x509.Certificate.load(der) for der in pki.chain_der]
        ),
        embed_roots=embed_roots,
    )


def validation_context(
    pki: TestPki,
    *,
    allow_fetching: bool = False,
    moment: datetime | None = None,
    with_crls: bool = True,
    revocation_mode: str = "soft-fail",
) -> ValidationContext:
    """A pyHanko ``ValidationContext`` trusting only the test root (with the test CRLs unless told not)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    crls = [crl_der(pki, issuer="intermediate"), crl_der(pki, issuer="root")] if with_crls else []
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(pki.root.der)],
        other_certs=[asn1_x509.Certificate.load(pki.intermediate.der)],
        allow_fetching=allow_fetching,
        moment=moment,
        crls=crls,
        revocation_mode=revocation_mode,
    )
