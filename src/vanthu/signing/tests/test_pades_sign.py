"""PAdES signing: a person then the agency (with the issuance stamp) on one PDF; both signatures
validate in pyHanko and in poppler's pdfsig; a flipped byte breaks both; bad input is refused."""

from __future__ import annotations

import asyncio
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature

from vanthu.signing.pades import BrokenPdfError
from vanthu.signing.pades import CopyOrAnnexLine
from vanthu.signing.pades import EncryptedPdfError
from vanthu.signing.pades import NotAPdfError
from vanthu.signing.pades import PersonSignature
from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades import verify_pdf
from vanthu.signing.pades.errors import SignatureImageError
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.testing.pki import validation_context
from vanthu.signing.tests.pades_helpers import HAS_POPPLER
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import pdfsig
from vanthu.signing.tests.pades_helpers import person_appearance
from vanthu.signing.tests.pades_helpers import signed_pair

needs_poppler = pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils / libnss3-tools not installed")


def _flip_byte_in_first_revision(pdf: bytes, draft: bytes) -> bytes:
    """Flip one byte inside a content stream of the original revision (covered by every signature)."""
    start = draft.index(b"stream", draft.index(b"/Contents")) if b"/Contents" in draft else len(draft) // 2
    position = draft.index(b"stream", start) + 40
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    return bytes(tampered)


def _statuses(pdf: bytes):  # type: ignore[no-untyped-def]
    pki = build_test_pki(NOW)
    reader = PdfFileReader(io.BytesIO(pdf))
    return [
        asyncio.run(
            async_validate_pdf_signature(embedded, signer_validation_context=validation_context(pki, moment=NOW))
        )
        for embedded in reader.embedded_regular_signatures
    ]


class TestPersonThenAgency:
    def test_adds_each_signature_as_an_incremental_update(self) -> None:
        pair = signed_pair()

        assert pair.person.startswith(pair.draft)
        assert pair.agency.startswith(pair.person)

    def test_both_signatures_validate_in_pyhanko(self) -> None:
        person, agency = _statuses(signed_pair().agency)

        assert person.intact
        assert person.valid
        assert person.trusted
        assert agency.intact
        assert agency.valid
        assert agency.trusted
        assert person.bottom_line
        assert agency.bottom_line

    def test_issuance_stamp_keeps_the_person_signature_intact(self) -> None:
        person, agency = _statuses(signed_pair().agency)

        assert person.docmdp_ok
        assert person.modification_level is not None
        assert person.modification_level <= ModificationLevel.FORM_FILLING
        assert agency.modification_level == ModificationLevel.NONE

    def test_issuance_boxes_are_widgets_of_the_agency_signature(self) -> None:
        reader = PdfFileReader(io.BytesIO(signed_pair().agency))
        fields = {name: ref.get_object() for name, _, ref in enumerate_sig_fields(reader)}

        assert set(fields) == {"PersonSignature1", "AgencySignature1"}
        assert len(fields["AgencySignature1"]["/Kids"]) == 3  # the seal, the number, the date

    def test_verification_report_says_both_are_valid(self) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(pdf=signed_pair().agency, trust_roots=[pki.root.cert], now=NOW)

        assert report.all_valid
        assert [signature.field_name for signature in report.signatures] == ["PersonSignature1", "AgencySignature1"]
        person, agency = report.signatures
        assert person.coverage == "ENTIRE_REVISION"
        assert person.modification_level == "FORM_FILLING"
        assert person.modifications_allowed
        assert agency.coverage == "ENTIRE_FILE"
        assert person.signing_time == "2026-03-10T09:00:00+07:00"
        assert person.signer is not None
        assert person.signer.common_name == pdfs.DEFAULT_SIGNER_NAME

    @needs_poppler
    def test_both_signatures_are_valid_in_pdfsig(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        output = pdfsig(signed_pair().agency, pki=build_test_pki(NOW), directory=tmp_path)

        assert output.count("Signature is Valid.") == 2
        assert "Signature #3" not in output  # the issuance widgets are not taken for unsigned fields
        person_section = output.split("Signature #2")[0]
        assert "Certificate is Trusted." in person_section

    @needs_poppler
    def test_agency_certificate_is_trusted_by_pdfsig(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        output = pdfsig(signed_pair().agency, pki=build_test_pki(NOW), directory=tmp_path)

        assert output.split("Signature #2")[1].count("Certificate is Trusted.") == 1

    def test_a_flipped_byte_breaks_both_in_pyhanko(self) -> None:
        pair = signed_pair()
        tampered = _flip_byte_in_first_revision(pair.agency, pair.draft)

        statuses = _statuses(tampered)

        assert [status.intact for status in statuses] == [False, False]
        report = verify_pdf(pdf=tampered, trust_roots=[build_test_pki(NOW).root.cert], now=NOW)
        assert not report.all_valid
        assert all("not_intact" in signature.problems for signature in report.signatures)

    @needs_poppler
    def test_a_flipped_byte_breaks_both_in_pdfsig(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        pair = signed_pair()
        tampered = _flip_byte_in_first_revision(pair.agency, pair.draft)

        output = pdfsig(tampered, pki=build_test_pki(NOW), directory=tmp_path)

        assert "Signature is Valid." not in output
        assert output.count("Digest Mismatch.") + output.count("Signature is Invalid.") == 2


class TestSigning:
    def test_signs_invisibly_without_appearance(self) -> None:
        pki = build_test_pki(NOW)

        signed = sign_pdf(pdf=pdfs.decision_pdf(), signer=signer_for(pki, "person"), appearance=None, now=NOW)

        report = verify_pdf(pdf=signed, trust_roots=[pki.root.cert], now=NOW)
        assert report.all_valid
        assert report.signatures[0].field_name == "Signature1"

    def test_uses_the_given_field_name_reason_and_location(self) -> None:
        pki = build_test_pki(NOW)

        signed = sign_pdf(
            pdf=pdfs.decision_pdf(),
            signer=signer_for(pki, "agency"),
            appearance=CopyOrAnnexLine(text="SAO Y\nSở Tài chính tỉnh Thanh Hóa"),
            now=NOW,
            field_name="BanSao",
            reason="Sao y bản chính",
            location="Thanh Hóa",
        )

        embedded = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[0]
        assert embedded.field_name == "BanSao"
        assert embedded.sig_object["/Reason"] == "Sao y bản chính"
        assert embedded.sig_object["/Location"] == "Thanh Hóa"

    def test_refuses_a_naive_time(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            sign_pdf(
                pdf=pdfs.decision_pdf(),
                signer=signer_for(build_test_pki(NOW), "person"),
                appearance=None,
                now=NOW.replace(tzinfo=None),
            )


class TestBadInput:
    @pytest.mark.parametrize(
        ("make", "error", "code", "status"),
        [
            (lambda: b"Hello, this is not a PDF at all", NotAPdfError, "not_a_pdf", 415),
            (pdfs.signature_png, NotAPdfError, "not_a_pdf", 415),
            (lambda: b"", NotAPdfError, "not_a_pdf", 415),
            (pdfs.encrypted_pdf, EncryptedPdfError, "encrypted_pdf", 422),
            (lambda: pdfs.truncated(pdfs.decision_pdf()), BrokenPdfError, "broken_pdf", 422),
            (lambda: b"%PDF-1.7\n1 0 obj garbage endobj\n%%EOF\n", BrokenPdfError, "broken_pdf", 422),
        ],
        ids=["text", "png", "empty", "encrypted", "truncated", "garbage"],
    )
    def test_refuses_to_sign_or_verify(self, make, error, code, status) -> None:  # type: ignore[no-untyped-def]
        pki = build_test_pki(NOW)
        data = make()

        with pytest.raises(error) as signing:
            sign_pdf(pdf=data, signer=signer_for(pki, "person"), appearance=person_appearance(), now=NOW)
        with pytest.raises(error):
            verify_pdf(pdf=data, trust_roots=[pki.root.cert], now=NOW)

        assert signing.value.code == code
        assert signing.value.http_status == status
        assert str(signing.value.message)

    def test_refuses_a_signature_image_that_is_not_a_png(self) -> None:
        appearance = PersonSignature(image_png=b"GIF89a...", name="Nguyễn Văn Hùng", title="GIÁM ĐỐC")

        with pytest.raises(SignatureImageError):
            sign_pdf(
                pdf=pdfs.decision_pdf(),
                signer=signer_for(build_test_pki(NOW), "person"),
                appearance=appearance,
                now=NOW,
            )
