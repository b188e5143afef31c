"""The test PKI itself: shape of the certificates, and pyHanko signs and validates with it."""

from __future__ import annotations

import io
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from vanthu.signing.testing.pki import AGENCY_NAME
from vanthu.signing.testing.pki import PERSON_NAME
from vanthu.signing.testing.pki import ROOT_CN
from vanthu.signing.testing.pki import _build
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import crl_der
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.testing.pki import validation_context

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def minimal_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _cn(cert: x509.Certificate) -> str:
    return str(cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value)


def test_shape_and_determinism() -> None:
    pki = build_test_pki(NOW)
    assert build_test_pki(NOW + timedelta(hours=3)) is pki  # cached per UTC date
    assert _cn(pki.root.cert) == ROOT_CN
    assert _cn(pki.person.cert) == PERSON_NAME
    assert _cn(pki.agency.cert) == AGENCY_NAME
    assert pki.person.cert.issuer == pki.intermediate.cert.subject
    assert pki.intermediate.cert.issuer == pki.root.cert.subject
    usage = pki.person.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    wrong = pki.wrong_usage.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert wrong.key_encipherment
    assert not wrong.digital_signature
    assert not wrong.content_commitment
    assert pki.expired.cert.not_valid_after_utc < NOW < pki.person.cert.not_valid_after_utc
    assert pki.not_yet_valid.cert.not_valid_before_utc > NOW
    # Same keys and certificates in every process for a date (derived, not random).
    fresh = _build.__wrapped__(NOW.date())
    assert fresh is not pki
    assert fresh.person.der == pki.person.der
    assert fresh.person.key_der == pki.person.key_der


def test_pkcs12_round_trip() -> None:
    pki = build_test_pki(NOW)
    data = pkcs12_bytes(pki.agency.cert, pki.agency.key, pki.chain, b"mat-khau")
    key, cert, extra = pkcs12.load_key_and_certificates(data, b"mat-khau")
    assert cert == pki.agency.cert
    assert key is not None
    assert [c.subject for c in extra] == [c.subject for c in pki.chain]


def test_revoked_serial_is_in_the_crl() -> None:
    pki = build_test_pki(NOW)
    crl = x509.load_der_x509_crl(crl_der(pki))
    assert crl.get_revoked_certificate_by_serial_number(pki.revoked.cert.serial_number) is not None
    assert crl.get_revoked_certificate_by_serial_number(pki.person.cert.serial_number) is None
    assert crl.is_signature_valid(pki.intermediate.key.public_key())


def _sign(which: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    pki = build_test_pki(NOW)
    writer = IncrementalPdfFileWriter(io.BytesIO(minimal_pdf()))
    out = signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name="Signature1"),
        signer=signer_for(pki, which),  # type: ignore[arg-type]
    )
    return out.getvalue()


def _validate(data: bytes, *, hard_fail: bool = False) -> object:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    pki = build_test_pki(NOW)
    reader = PdfFileReader(io.BytesIO(data))
    return validate_pdf_signature(
        reader.embedded_signatures[0],
        validation_context(pki, moment=NOW, revocation_mode="hard-fail" if hard_fail else "soft-fail"),
    )


def test_pyhanko_signs_and_validates_with_the_test_root() -> None:
    status = _validate(_sign("person"))
    assert status.bottom_line  # type: ignore[attr-defined]
    assert status.intact  # type: ignore[attr-defined]
    assert status.valid  # type: ignore[attr-defined]
    assert status.trusted  # type: ignore[attr-defined]


def test_revoked_certificate_fails_validation() -> None:
    status = _validate(_sign("revoked"), hard_fail=True)
    assert not status.bottom_line  # type: ignore[attr-defined]
    assert status.revoked  # type: ignore[attr-defined]
