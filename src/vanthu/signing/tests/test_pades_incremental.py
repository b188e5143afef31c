"""check_agent_upload: what a signing agent sends back is the sent PDF plus one good signature."""

from __future__ import annotations

import io
from datetime import timedelta
from functools import lru_cache

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from vanthu.core.errors import ValidationError
from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades.incremental import UploadChangedDocumentError
from vanthu.signing.pades.incremental import UploadInvalidSignatureError
from vanthu.signing.pades.incremental import UploadNotAPdfError
from vanthu.signing.pades.incremental import UploadNotIncrementalError
from vanthu.signing.pades.incremental import UploadOtherChangesError
from vanthu.signing.pades.incremental import UploadSignatureCountError
from vanthu.signing.pades.incremental import UploadWrongCertificateError
from vanthu.signing.pades.incremental import check_agent_upload
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import agency_appearance
from vanthu.signing.tests.pades_helpers import person_appearance


@lru_cache(maxsize=1)
def _draft() -> bytes:
    return pdfs.decision_pdf(pages=1)


@lru_cache(maxsize=1)
def _person_signed() -> bytes:
    return sign_pdf(pdf=_draft(), signer=signer_for(_pki(), "person"), appearance=person_appearance(), now=NOW)


def _pki() -> TestPki:
    return build_test_pki(NOW)


def _check(sent: bytes, uploaded: bytes, *, which: str = "person") -> None:
    pki = _pki()
    check_agent_upload(
        sent=sent,
        uploaded=uploaded,
        expected_certificate_der=pki[which].der,  # type: ignore[index]
        trust_roots=[pki.root.der],
        other_certs=[pki.intermediate.der],
        now=NOW,
    )


def test_a_good_upload_passes() -> None:
    _check(_draft(), _person_signed())


def test_a_second_signature_on_a_signed_document_passes() -> None:
    agency = sign_pdf(
        pdf=_person_signed(), signer=signer_for(_pki(), "agency"), appearance=agency_appearance(), now=NOW
    )
    _check(_person_signed(), agency, which="agency")


def test_an_invisible_signature_passes() -> None:
    _check(_draft(), sign_pdf(pdf=_draft(), signer=signer_for(_pki(), "person"), appearance=None, now=NOW))


def test_changed_earlier_bytes_are_refused() -> None:
    uploaded = bytearray(_person_signed())
    position = uploaded.index(b"/MediaBox")
    uploaded[position + 1 : position + 2] = b"m"
    with pytest.raises(UploadChangedDocumentError) as caught:
        _check(_draft(), bytes(uploaded))
    assert caught.value.http_status == 422
    assert isinstance(caught.value, ValidationError)


def test_a_signature_of_another_file_is_refused() -> None:
    other = pdfs.decision_pdf(pages=1, signer_name="Lê Thị Hồng Nhung")
    signed_other = sign_pdf(pdf=other, signer=signer_for(_pki(), "person"), appearance=None, now=NOW)
    with pytest.raises(UploadChangedDocumentError):
        _check(_draft(), signed_other)


def test_zero_new_signatures_are_refused() -> None:
    with pytest.raises(UploadSignatureCountError) as caught:
        _check(_draft(), _draft())
    assert caught.value.details == {"new_signatures": 0}


def test_an_unsigned_incremental_update_is_refused() -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(_draft()))
    writer.root["/Lang"] = generic.TextStringObject("vi")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    with pytest.raises(UploadSignatureCountError):
        _check(_draft(), output.getvalue())


def test_two_new_signatures_are_refused() -> None:
    twice = sign_pdf(pdf=_person_signed(), signer=signer_for(_pki(), "person"), appearance=None, now=NOW)
    with pytest.raises((UploadSignatureCountError, UploadNotIncrementalError)):
        _check(_draft(), twice)


def test_another_certificate_is_refused() -> None:
    signed = sign_pdf(pdf=_draft(), signer=signer_for(_pki(), "other_person"), appearance=None, now=NOW)
    with pytest.raises(UploadWrongCertificateError) as caught:
        _check(_draft(), signed)
    assert caught.value.details["signer_sha256"] == _pki().other_person.fingerprint_sha256


def test_a_signature_that_is_not_intact_is_refused() -> None:
    signed = bytearray(_person_signed())
    # flip one byte of the signed content inside the new revision (not in the /Contents hole)
    start = len(_draft())
    position = signed.index(b"/Type", start)
    signed[position + 1 : position + 2] = b"t"
    with pytest.raises((UploadInvalidSignatureError, UploadNotIncrementalError, UploadSignatureCountError)):
        _check(_draft(), bytes(signed))


def test_a_broken_signature_value_is_refused() -> None:
    signed = bytearray(_person_signed())
    contents = signed.index(b"/Contents <", len(_draft())) + len(b"/Contents <")
    # the CMS blob is hex: change a digit near the end of the signature value
    end = signed.index(b">", contents)
    body = signed[contents:end].rstrip(b"0")
    target = contents + len(body) - 4
    signed[target : target + 1] = b"0" if signed[target : target + 1] != b"0" else b"1"
    with pytest.raises(UploadInvalidSignatureError):
        _check(_draft(), bytes(signed))


def test_an_untrusted_signer_is_refused() -> None:
    pki = _pki()
    with pytest.raises(UploadInvalidSignatureError) as caught:
        check_agent_upload(
            sent=_draft(),
            uploaded=_person_signed(),
            expected_certificate_der=pki.person.der,
            trust_roots=[build_test_pki(NOW + timedelta(days=400)).root.der],  # another root
            now=NOW,
        )
    assert "untrusted" in caught.value.details["problems"]


def test_an_expired_certificate_is_refused() -> None:
    signed = sign_pdf(pdf=_draft(), signer=signer_for(_pki(), "expired"), appearance=None, now=NOW)
    with pytest.raises(UploadInvalidSignatureError):
        _check(_draft(), signed, which="expired")


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(UploadNotAPdfError) as caught:
        _check(_draft(), b"PK\x03\x04 a zip file, not a PDF")
    assert caught.value.http_status == 422


def test_a_non_incremental_rewrite_is_refused() -> None:
    """The same content re-saved as a whole new file (as a PDF editor does): not an update."""
    reader = PdfFileReader(io.BytesIO(_person_signed()))
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(reader)
    output = io.BytesIO()
    writer.write(output)
    with pytest.raises(UploadChangedDocumentError):
        _check(_draft(), output.getvalue())


def test_junk_appended_is_refused() -> None:
    with pytest.raises(UploadNotIncrementalError):
        _check(_draft(), _draft() + b"\n% nothing here\n")


def test_a_whole_new_document_appended_is_refused() -> None:
    """A complete second file after the sent bytes: its xref does not chain to the sent one."""
    other = sign_pdf(pdf=pdfs.decision_pdf(pages=1), signer=signer_for(_pki(), "person"), appearance=None, now=NOW)
    with pytest.raises(UploadNotIncrementalError):
        _check(_draft(), _draft() + b"\n" + other)


@pytest.mark.parametrize("signed_before", [False, True], ids=["draft", "already-signed"])
def test_other_changes_next_to_the_signature_are_refused(signed_before: bool) -> None:
    """The signing revision also replaces the page content: the signature covers it, but no."""
    from pyhanko.sign import fields
    from pyhanko.sign import signers

    sent = _person_signed() if signed_before else _draft()
    writer = IncrementalPdfFileWriter(io.BytesIO(sent))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT ET"))
    writer.update_container(page)
    output = io.BytesIO()
    signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name="Signature9"),
        signer=signer_for(_pki(), "person"),
        new_field_spec=fields.SigFieldSpec("Signature9"),
        output=output,
    )
    with pytest.raises(UploadOtherChangesError):
        _check(sent, output.getvalue())


def test_a_new_annotation_that_is_not_a_signature_is_refused() -> None:
    from pyhanko.sign import fields
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(_draft()))
    page_ref, _ = writer.find_page_for_modification(0)
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
                generic.pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (50, 50, 300, 100)]),
                generic.pdf_name("/Contents"): generic.TextStringObject("Đã hủy"),
            }
        )
    )
    writer.register_annotation(page_ref, note)
    output = io.BytesIO()
    signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name="Signature9"),
        signer=signer_for(_pki(), "person"),
        new_field_spec=fields.SigFieldSpec("Signature9"),
        output=output,
    )
    with pytest.raises(UploadOtherChangesError):
        _check(_draft(), output.getvalue())
