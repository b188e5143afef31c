# mypy: disable-error-code="no-untyped-call"
# (pyHanko's pdf_utils writer and generic objects are not annotated everywhere)
"""Reading an incoming PDF safely: refuse what is not a PDF, encrypted or broken, and answer the
few structural questions the appearances need (page boxes, existing signature widgets)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from vanthu.signing.pades.drawing import Rect
from vanthu.signing.pades.errors import BrokenPdfError
from vanthu.signing.pades.errors import EncryptedPdfError
from vanthu.signing.pades.errors import NotAPdfError

# The header may follow a little junk (PDF readers accept it within the first 1 KiB).
HEADER_WINDOW = 1024
# The end-of-file marker must be near the end; a truncated file has lost it.
TRAILER_WINDOW = 2048
DEFAULT_PAGE = Rect(0.0, 0.0, 595.0, 842.0)  # A4 portrait


def open_pdf(pdf: bytes) -> PdfFileReader:
    """A reader over ``pdf``, or a clear refusal (not a PDF, encrypted, damaged or truncated)."""
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in pdf[:HEADER_WINDOW]:
        raise NotAPdfError()
    if b"%%EOF" not in pdf[-TRAILER_WINDOW:]:
        raise BrokenPdfError()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            raise EncryptedPdfError()
        if len(reader.root["/Pages"]["/Kids"]) == 0 or page_count(reader) == 0:
            raise BrokenPdfError()
    except (EncryptedPdfError, BrokenPdfError):
        raise
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise BrokenPdfError() from error
    return reader


def page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def page_index(reader: PdfFileReader, index: int) -> int:
    """A 0-based page index from a possibly negative one (``-1`` = last page)."""
    count = page_count(reader)
    resolved = index if index >= 0 else count + index
    if not 0 <= resolved < count:
        raise BrokenPdfError()
    return resolved


def _inherited(page: generic.DictionaryObject, key: str) -> generic.PdfObject | None:
    node: generic.DictionaryObject | None = page
    while node is not None:
        if key in node:
            value: generic.PdfObject = node[key]
            return value
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def crop_box(reader: PdfFileReader, index: int) -> Rect:
    """The page's visible area (crop box, else media box) in PDF points."""
    page_ref, _ = reader.find_page_for_modification(index)
    page = page_ref.get_object()
    box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    if box is None:
        return DEFAULT_PAGE
    x0, y0, x1, y1 = (float(value) for value in box)  # type: ignore[attr-defined]
    return Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass(frozen=True)
class SignatureWidget:
    field_name: str
    page: int
    rect: Rect
    is_signed: bool


def signature_widgets(reader: PdfFileReader) -> list[SignatureWidget]:
    """Visible signature widgets, in page order then annotation order.

    Widgets are matched to their field through the field's /Kids (pyHanko's widgets, and ours,
    carry no /Parent) or by being the field itself."""
    owners: dict[tuple[int, int], tuple[str, bool]] = {}
    for name, value, field_ref in fields.enumerate_sig_fields(reader):
        field = field_ref.get_object()
        kids = field.get("/Kids")
        references = [kid.reference for kid in kids] if kids is not None else [field_ref.reference]
        for reference in references:
            owners[(reference.idnum, reference.generation)] = (str(name), value is not None)
    widgets: list[SignatureWidget] = []
    for index in range(page_count(reader)):
        page_ref, _ = reader.find_page_for_modification(index)
        annotations = page_ref.get_object().get("/Annots")
        if annotations is None:
            continue
        for annotation_ref in annotations.get_object():
            if not isinstance(annotation_ref, generic.IndirectObject):
                continue
            owner = owners.get((annotation_ref.idnum, annotation_ref.generation))
            annotation = annotation_ref.get_object()
            if owner is None or "/Rect" not in annotation:
                continue
            x0, y0, x1, y1 = (float(value) for value in annotation["/Rect"])
            if abs(x1 - x0) < 1 or abs(y1 - y0) < 1:
                continue
            widgets.append(
                SignatureWidget(
                    field_name=owner[0],
                    page=index,
                    rect=Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)),
                    is_signed=owner[1],
                )
            )
    return widgets
