"""The scan pipeline: paper pages → checked → one PDF → OCR (Tesseract vie) → PDF/A with its text kept."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime
from datetime import timedelta
from functools import lru_cache
from typing import Any

import img2pdf
import pytest
from django.urls import reverse
from PIL import Image
from PIL import ImageDraw

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.core.models import Blob
from vanthu.documents import digitise
from vanthu.documents import scan_pages
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import Origin
from vanthu.documents.models import VersionKind
from vanthu.documents.services.digitise import document_file_extract_text
from vanthu.documents.services.digitise import document_file_ocr
from vanthu.documents.services.digitise import scan_add
from vanthu.documents.services.files import document_file_add
from vanthu.documents.services.files import document_file_retry_conversion
from vanthu.documents.services.files import version_create
from vanthu.documents.tests.conftest import signed_in
from vanthu.documents.tests.factories import make_document
from vanthu.documents.tests.factories import make_pdf
from vanthu.documents.tests.factories import upload

pytestmark = pytest.mark.django_db

LETTER = (
    "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố "
    "khẩn trương rà soát, tổng hợp kết quả thực hiện nhiệm vụ được giao trong năm, báo cáo đầy đủ những "
    "khó khăn, vướng mắc phát sinh và đề xuất giải pháp tháo gỡ. Thủ trưởng các cơ quan, đơn vị chịu "
    "trách nhiệm trước Chủ tịch về tiến độ, chất lượng công việc; tuyệt đối không để chậm trễ, ảnh hưởng "
    "đến quyền lợi chính đáng của người dân và doanh nghiệp trên địa bàn tỉnh."
)


def render_page(
    text: str = LETTER, *, dpi: int = 300, fmt: str = "PNG", mode: str = "L", record_dpi: bool = True
) -> bytes:
    """An A4 page with ``text`` in 13 pt Noto Serif, as a scanner at ``dpi`` would give it."""
    return scan_pages.render_page(text, dpi=dpi, fmt=fmt, mode=mode, record_dpi=record_dpi)


@lru_cache(maxsize=1)
def letter_png() -> bytes:
    return render_page()


def diacritic_words(text: str) -> list[str]:
    """The words of ``text`` that carry a Vietnamese diacritic (đ has no decomposition: counted apart)."""
    words = [word.strip(".,;:()") for word in unicodedata.normalize("NFC", text).split()]
    return [w for w in words if w and (unicodedata.normalize("NFD", w) != w or "đ" in w.lower())]


def sign_with_pyhanko(pdf: bytes, now: datetime) -> bytes:
    """A PAdES signature by a throw-away self-signed certificate (documents sits below signing, so
    its tests sign with pyHanko directly)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn An")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=private, cert_registry=SimpleCertificateStore.from_certs([cert])
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer)
    return out.getvalue()


@pytest.fixture
def version(agency: Any, clerk: Any, now: datetime) -> DocumentVersion:
    document = make_document(agency=agency, actor=clerk, now=now, subject="Công văn đến bản giấy")
    return version_create(document=document, kind=VersionKind.RECEIVED, actor=clerk, now=now)


def add_and_ocr(version: DocumentVersion, uploads: list[Any], clerk: Any, now: datetime, capture: Any) -> DocumentFile:
    with capture(execute=True):
        document_file = scan_add(version=version, uploads=uploads, actor=clerk, now=now)
    document_file.refresh_from_db()
    return document_file


class TestScanAddAndOcr:
    def test_a_300_dpi_vietnamese_letter_comes_back_with_its_diacritics(
        self, version: DocumentVersion, clerk: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        document_file = add_and_ocr(
            version, [upload(letter_png(), "cong-van.png")], clerk, now, django_capture_on_commit_callbacks
        )

        assert document_file.conversion_status == ConversionStatus.DONE
        assert document_file.conversion_progress == 100
        expected = diacritic_words(LETTER)
        found = set(diacritic_words(document_file.text))
        ratio = sum(word in found for word in expected) / len(expected)
        print(f"OCR: {ratio:.1%} of {len(expected)} words with diacritics recognised exactly")  # noqa: T201
        assert len(expected) >= 60
        assert ratio >= 0.95
        pdfa = blob_read(sha256=document_file.pdf_id)
        assert b"pdfaid:part" in pdfa  # PDF/A identification in the XMP metadata
        assert document_file.pdf_id != document_file.source_id
        assert document_file.page_count == 1
        assert document_file.name == "cong-van.pdf"
        version.document.refresh_from_db()
        assert version.document.origin == Origin.DIGITISED
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"documents.file.scan_added", "documents.file.ocr_done"} <= actions

    def test_images_become_one_pdf_with_a_page_each_in_order(
        self, version: DocumentVersion, clerk: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        pages = [
            upload(render_page("Trang thứ nhất của công văn", dpi=200, fmt="JPEG", mode="RGB"), "1.jpg"),
            upload(render_page("Trang thứ hai của công văn", dpi=240, fmt="TIFF"), "2.tif"),
        ]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            document_file = scan_add(version=version, uploads=pages, actor=clerk, now=now)
        assert len(callbacks) == 1  # OCR is queued once the transaction commits
        assert document_file.conversion_status == ConversionStatus.PENDING
        assert document_file.pdf_id is None
        assert document_file.page_count == 2
        source = blob_read(sha256=document_file.source_id)
        assert digitise.pdf_text(source) == ""  # images only until OCR
        import pikepdf

        with pikepdf.Pdf.open(io.BytesIO(source)) as pdf:
            widths = [round(float(page.mediabox[2])) for page in pdf.pages]
        assert widths == [595, 595]  # both pages A4 wide, each laid out at its own resolution

    def test_a_multi_page_tiff_and_a_transparent_png_are_accepted(
        self, version: DocumentVersion, clerk: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        frames = [Image.open(io.BytesIO(render_page(f"Trang {n} của tờ trình", dpi=200))) for n in (1, 2)]
        tiff = io.BytesIO()
        frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
        transparent = io.BytesIO()
        Image.open(io.BytesIO(render_page("Trang 3", dpi=300))).convert("RGBA").save(transparent, "PNG", dpi=(300, 300))
        uploads = [upload(tiff.getvalue(), "to-trinh.tif"), upload(transparent.getvalue(), "3.png")]
        with django_capture_on_commit_callbacks(execute=False):
            document_file = scan_add(version=version, uploads=uploads, actor=clerk, now=now)
        assert document_file.page_count == 3
        event = AuditEvent.objects.get(action="documents.file.scan_added")
        assert event.data["dpi"] == [200, 200, 300]

    def test_a_pdf_scan_is_accepted_and_recognised(
        self, version: DocumentVersion, clerk: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        scanned = img2pdf.convert(render_page("Biên bản họp Hội đồng nhân dân tỉnh", dpi=300))
        document_file = add_and_ocr(
            version, [upload(scanned, "scan.pdf")], clerk, now, django_capture_on_commit_callbacks
        )
        assert document_file.source_id != document_file.pdf_id
        assert document_file.conversion_status == ConversionStatus.DONE
        assert "Hội đồng nhân dân tỉnh" in document_file.text


class TestScanRefused:
    def test_a_150_dpi_page_is_refused_naming_the_page_and_its_dpi(
        self, version: DocumentVersion, clerk: Any, now: datetime
    ) -> None:
        blobs = Blob.objects.count()
        pages = [upload(letter_png(), "1.png"), upload(render_page(dpi=150), "2.png")]
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=pages, actor=clerk, now=now)
        assert caught.value.code == "scan_low_dpi"
        assert "Trang 2" in caught.value.message
        assert "150 dpi" in caught.value.message
        assert caught.value.details == {"page": 2, "dpi": 150, "minimum_dpi": 200}
        assert DocumentFile.objects.count() == 0
        assert Blob.objects.count() == blobs
        version.document.refresh_from_db()
        assert version.document.origin == Origin.BORN_DIGITAL

    def test_a_page_without_a_recorded_resolution_is_measured_against_a4(
        self, version: DocumentVersion, clerk: Any, now: datetime
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(render_page(dpi=100, record_dpi=False))], actor=clerk, now=now)
        assert caught.value.details["dpi"] == 100

    def test_a_low_resolution_pdf_scan_is_refused(self, version: DocumentVersion, clerk: Any, now: datetime) -> None:
        scanned = img2pdf.convert(render_page(dpi=150))
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(scanned)], actor=clerk, now=now)
        assert caught.value.details == {"page": 1, "dpi": 150, "minimum_dpi": 200}

    def test_a_blank_page_is_refused(self, version: DocumentVersion, clerk: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(render_page("", dpi=300))], actor=clerk, now=now)
        assert caught.value.code == "scan_blank"
        assert "Trang 1" in caught.value.message
        assert DocumentFile.objects.count() == 0

    def test_a_black_and_white_page_is_refused(self, version: DocumentVersion, clerk: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(render_page(mode="1", fmt="TIFF"))], actor=clerk, now=now)
        assert caught.value.code == "scan_bilevel"

    def test_a_pdf_without_scanned_images_is_refused(self, version: DocumentVersion, clerk: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(make_pdf())], actor=clerk, now=now)
        assert caught.value.code == "scan_no_image"

    def test_other_types_and_mixtures_are_refused(self, version: DocumentVersion, clerk: Any, now: datetime) -> None:
        with pytest.raises(UnsupportedMediaTypeError):
            scan_add(version=version, uploads=[upload(b"hello world")], actor=clerk, now=now)
        scanned = img2pdf.convert(letter_png())
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(scanned), upload(letter_png())], actor=clerk, now=now)
        assert caught.value.code == "scan_mixed"
        with pytest.raises(ValidationError):
            scan_add(version=version, uploads=[], actor=clerk, now=now)


class TestOcrProgressAndFailure:
    def test_progress_is_committed_while_ocr_runs(
        self,
        version: DocumentVersion,
        clerk: Any,
        now: datetime,
        monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False):
            document_file = scan_add(version=version, uploads=[upload(letter_png())], actor=clerk, now=now)
        seen: list[tuple[str, int]] = []

        def fake_ocr(data: bytes, *, timeout: int, language: str = "vie") -> bytes:
            seen.append(
                DocumentFile.objects.filter(pk=document_file.pk)
                .values_list("conversion_status", "conversion_progress")
                .get()
            )
            return img2pdf.convert(letter_png())

        monkeypatch.setattr(digitise, "ocr_pdf", fake_ocr)
        done = document_file_ocr(file_id=document_file.pk, now=now)
        assert seen == [(ConversionStatus.RUNNING, 20)]
        assert (done.conversion_status, done.conversion_progress) == (ConversionStatus.DONE, 100)
        # a second run (another worker) changes nothing
        assert document_file_ocr(file_id=document_file.pk, now=now).conversion_status == ConversionStatus.DONE

    def test_a_failure_keeps_the_scan_and_can_be_retried(
        self,
        version: DocumentVersion,
        clerk: Any,
        now: datetime,
        monkeypatch: pytest.MonkeyPatch,
        settings: Any,
        django_capture_on_commit_callbacks: Any,
        creator_visibility: None,
    ) -> None:
        settings.VANTHU_OCR_TIMEOUT_SECONDS = 7

        def too_slow(data: bytes, *, timeout: int, language: str = "vie") -> bytes:
            assert timeout == 7
            raise digitise.OcrFailedError("timeout", timed_out=True)

        monkeypatch.setattr(digitise, "ocr_pdf", too_slow)
        document_file = add_and_ocr(version, [upload(letter_png())], clerk, now, django_capture_on_commit_callbacks)
        assert document_file.conversion_status == ConversionStatus.FAILED
        assert "7 giây" in document_file.conversion_error
        assert document_file.pdf_id is None
        assert blob_read(sha256=document_file.source_id).startswith(b"%PDF-")
        assert AuditEvent.objects.filter(action="documents.file.ocr_failed").count() == 1

        recognised: list[int] = []

        def works_now(data: bytes, *, timeout: int, language: str = "vie") -> bytes:
            recognised.append(timeout)
            return make_pdf(text="Uy ban nhan dan tinh")

        monkeypatch.setattr(digitise, "ocr_pdf", works_now)
        with django_capture_on_commit_callbacks(execute=True):
            document_file_retry_conversion(file=document_file, actor=clerk, now=now)
        document_file.refresh_from_db()
        assert recognised == [7]  # recognised again, not sent to LibreOffice
        assert document_file.conversion_status == ConversionStatus.DONE
        assert document_file.conversion_error == ""
        assert "Uy ban nhan dan tinh" in document_file.text


class TestSignedPdfs:
    @pytest.fixture
    def signed_pdf(self, now: datetime) -> bytes:
        return sign_with_pyhanko(make_pdf(pages=2, text="Quyet dinh phe duyet"), now)

    def test_a_signed_pdf_is_not_taken_as_a_scan(
        self, version: DocumentVersion, clerk: Any, now: datetime, signed_pdf: bytes
    ) -> None:
        assert digitise.pdf_is_signed(signed_pdf)
        with pytest.raises(ValidationError) as caught:
            scan_add(version=version, uploads=[upload(signed_pdf)], actor=clerk, now=now)
        assert caught.value.code == "scan_signed"

    def test_its_text_is_extracted_when_attached_never_ocr(
        self,
        version: DocumentVersion,
        clerk: Any,
        now: datetime,
        signed_pdf: bytes,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        def no_ocr(*args: Any, **kwargs: Any) -> bytes:
            raise AssertionError("a signed PDF must never be OCR'd")

        monkeypatch.setattr(digitise, "ocr_pdf", no_ocr)
        document_file = document_file_add(version=version, role="MAIN", upload=upload(signed_pdf), actor=clerk, now=now)
        assert document_file.conversion_status == ConversionStatus.NOT_NEEDED
        assert "Quyet dinh phe duyet 2" in document_file.text
        expected = document_file.text
        DocumentFile.objects.filter(pk=document_file.pk).update(text="")
        assert document_file_extract_text(file_id=document_file.pk, now=now).text == expected
        # even if one reached the OCR queue, it is kept as it is and its text read
        DocumentFile.objects.filter(pk=document_file.pk).update(
            text="", pdf=None, conversion_status=ConversionStatus.PENDING, conversion_progress=0
        )
        kept = document_file_ocr(file_id=document_file.pk, now=now)
        assert kept.conversion_status == ConversionStatus.NOT_NEEDED
        assert kept.pdf_id == kept.source_id
        assert kept.text == expected
        assert blob_read(sha256=kept.pdf_id) == signed_pdf


class TestTextOfPdfs:
    def test_document_file_add_keeps_the_text_layer_of_a_pdf(
        self, version: DocumentVersion, clerk: Any, now: datetime
    ) -> None:
        document_file = document_file_add(
            version=version, role="ANNEX", upload=upload(make_pdf(pages=2, text="Phu luc")), actor=clerk, now=now
        )
        assert "Phu luc 1" in document_file.text
        assert "Phu luc 2" in document_file.text


class TestStatusPartial:
    @pytest.fixture
    def scan_file(
        self, version: DocumentVersion, clerk: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> DocumentFile:
        with django_capture_on_commit_callbacks(execute=False):
            return scan_add(version=version, uploads=[upload(letter_png())], actor=clerk, now=now)

    def test_shows_the_recognition_progress(
        self, clerk: Any, scan_file: DocumentFile, creator_visibility: None
    ) -> None:
        client = signed_in(clerk)
        url = reverse("documents:file_status", args=[scan_file.pk])
        html = client.get(url).content.decode()
        assert "Đang chờ nhận dạng nội dung bản quét" in html
        assert 'hx-trigger="every 1s"' in html
        DocumentFile.objects.filter(pk=scan_file.pk).update(
            conversion_status=ConversionStatus.RUNNING, conversion_progress=20
        )
        html = client.get(url).content.decode()
        assert "Đang nhận dạng nội dung bản quét" in html
        assert 'aria-valuenow="20"' in html
        assert "DOCX" not in html

    def test_offers_to_retry_the_recognition_when_it_failed(
        self, clerk: Any, scan_file: DocumentFile, creator_visibility: None
    ) -> None:
        DocumentFile.objects.filter(pk=scan_file.pk).update(conversion_status=ConversionStatus.FAILED)
        html = signed_in(clerk).get(reverse("documents:file_status", args=[scan_file.pk])).content.decode()
        assert "Nhận dạng nội dung bản quét không thành công." in html
        assert "Nhận dạng lại" in html


class TestIsBlank:
    def test_a_speck_of_dust_on_an_empty_sheet_is_blank(self) -> None:
        sheet = Image.new("L", (2480, 3508), 250)
        ImageDraw.Draw(sheet).ellipse((1000, 1000, 1006, 1006), fill=0)
        assert digitise.is_blank(sheet)

    def test_a_single_short_line_is_not_blank(self) -> None:
        assert not digitise.is_blank(Image.open(io.BytesIO(render_page("Nơi nhận: như trên", dpi=300))))

    def test_an_all_black_frame_is_blank(self) -> None:
        assert digitise.is_blank(Image.new("RGB", (1700, 2400), (3, 3, 3)))
