"""Test data of the documents app: documents, small PDFs and DOCX files built by hand."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.services.documents import document_create
from vanthu.documents.uploads import Upload


def document_type(code: str = "QĐ") -> DocumentType:
    return DocumentType.objects.get(code=code, agency=None)


def make_document(*, agency: Any, actor: Any, now: datetime, code: str = "QĐ", **metadata: Any) -> Document:
    metadata.setdefault("subject", "Quyết định về việc phê duyệt kế hoạch năm 2026")
    return document_create(
        direction=metadata.pop("direction", Direction.OUTGOING),
        agency=agency,
        document_type=metadata.pop("document_type", None) or document_type(code),
        actor=actor,
        now=now,
        **metadata,
    )


def make_pdf(*, pages: int = 1, text: str = "Van ban") -> bytes:
    """A small valid PDF (with a correct cross-reference table) of ``pages`` pages."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font_number = 3 + 2 * pages
    for index in range(pages):
        content = f"BT /F1 12 Tf 72 770 Td ({text} {index + 1}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * index} 0 R "
            f"/Resources << /Font << /F1 {font_number} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(text: str = "Quyết định về việc phê duyệt kế hoạch năm 2026") -> bytes:
    """A minimal Word document: [Content_Types].xml, _rels/.rels and word/document.xml."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/>'
        "</Relationships>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def corrupt_docx() -> bytes:
    """A zip that looks like a DOCX to the sniffer but whose document.xml is garbage."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"\x00\x01 not xml at all \xff\xfe" * 50)
    return out.getvalue()


def upload(data: bytes, name: str = "du-thao.pdf") -> Upload:
    return Upload(name=name, content=io.BytesIO(data))
