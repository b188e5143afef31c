# mypy: disable-error-code="no-untyped-call"
# (pyHanko's pdf_utils writer and generic objects are not annotated everywhere)
"""Sign a PDF: one PAdES signature (B-B, or B-T with a time-stamping authority) added as an
incremental update, with a Decree 30 appearance.

Visible appearances are pyHanko signature widgets whose appearance stream we draw ourselves
(:mod:`.drawing`). The issuance stamp (number and symbol, issue date on page 1) is made of extra
widgets of the agency's signature field, added in the same revision before the document is hashed:
pyHanko's difference analysis explains new signature fields and their widgets, so the person's
earlier signature stays intact with modifications at FORM_FILLING level.
"""

from __future__ import annotations

import contextvars
import io
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps import TimestampRequestError

from vanthu.core.errors import ValidationError
from vanthu.signing.pades import document
from vanthu.signing.pades import locate
from vanthu.signing.pades.appearance import ANNEX_LINE_FONT_SIZE
from vanthu.signing.pades.appearance import ANNEX_LINE_LEADING
from vanthu.signing.pades.appearance import ANNEX_LINE_MAX_WIDTH_FRACTION
from vanthu.signing.pades.appearance import AgencySignature
from vanthu.signing.pades.appearance import Appearance
from vanthu.signing.pades.appearance import CopyOrAnnexLine
from vanthu.signing.pades.appearance import IssuanceStamp
from vanthu.signing.pades.appearance import PersonSignature
from vanthu.signing.pades.appearance import Placement
from vanthu.signing.pades.appearance import annex_line_rect
from vanthu.signing.pades.appearance import fit_image
from vanthu.signing.pades.appearance import seal_rect
from vanthu.signing.pades.appearance import seal_size
from vanthu.signing.pades.appearance import signing_time_text
from vanthu.signing.pades.drawing import POINTS_PER_MM
from vanthu.signing.pades.drawing import Canvas
from vanthu.signing.pades.drawing import CanvasStyle
from vanthu.signing.pades.drawing import FontBook
from vanthu.signing.pades.drawing import Painter
from vanthu.signing.pades.drawing import Rect
from vanthu.signing.pades.drawing import load_png
from vanthu.signing.pades.drawing import text_width
from vanthu.signing.pades.errors import SigningFailedError
from vanthu.signing.pades.runner import run_coroutine

# Room for the CMS signature container; a fixed size spares pyHanko a dry-run signature.
MD_ALGORITHM = "sha256"
BYTES_RESERVED = 16384
BYTES_RESERVED_WITH_TIMESTAMP = 24576
CAPTION_FONT_SIZE = 6.0
# A signature image narrower than this is widened around the signer's name (points).
MIN_SIGNER_BOX_WIDTH = 170.0
# Annotation flag "Print" (PDF 32000-1 §12.5.3): stamps appear on paper too.
PRINT_FLAG = 4


class IssuanceBoxNotFoundError(ValidationError):
    code = "issuance_box_not_found"
    default_message = _(
        "The number or date box was not found on the first page; configure its position to issue this document."
    )


@dataclass(frozen=True)
class _Widget:
    page: int
    rect: Rect
    painter: Painter


@dataclass(frozen=True)
class _Plan:
    main: _Widget | None
    extra: tuple[_Widget, ...] = ()


def sign_pdf(
    *,
    pdf: bytes,
    signer: Signer,
    appearance: Appearance | None,
    now: datetime,
    field_name: str | None = None,
    timestamper: TimeStamper | None = None,
    reason: str | None = None,
    location: str | None = None,
) -> bytes:
    """Add one PAdES signature to ``pdf`` (an incremental update) and return the new file.

    ``appearance`` None signs invisibly. ``now`` is the claimed signing time (also shown on the
    stamps, in Vietnam time). With ``timestamper`` the signature gets an RFC 3161 timestamp (B-T).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    reader = document.open_pdf(pdf)
    plan = _plan(appearance, pdf=pdf, reader=reader, now=now)
    name = field_name or _free_field_name(reader, appearance)
    try:
        return run_coroutine(
            _sign(
                pdf=pdf,
                plan=plan,
                signer=signer,
                field_name=name,
                now=now,
                timestamper=timestamper,
                reason=reason,
                location=location,
            )
        )
    except TimestampRequestError as error:
        raise SigningFailedError(
            _("The time-stamping authority did not answer; the document was not signed."),
            code="timestamp_failed",
        ) from error
    except (SigningError, PdfError) as error:
        raise SigningFailedError(details={"reason": str(error)}) from error


def _free_field_name(reader: PdfFileReader, appearance: Appearance | None) -> str:
    prefix = {
        PersonSignature: "PersonSignature",
        AgencySignature: "AgencySignature",
        CopyOrAnnexLine: "AgencySignature",
    }.get(type(appearance), "Signature")
    taken = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _integer_rect(rect: Rect) -> Rect:
    """Widget rectangles go through pyHanko as integers: round outwards."""
    return Rect(math.floor(rect.x0), math.floor(rect.y0), math.ceil(rect.x1), math.ceil(rect.y1))


# --- planning: where each widget goes and what it shows ------------------------------------------


def _plan(appearance: Appearance | None, *, pdf: bytes, reader: PdfFileReader, now: datetime) -> _Plan:
    if appearance is None:
        return _Plan(main=None)
    if isinstance(appearance, PersonSignature):
        return _Plan(main=_person_widget(appearance, pdf=pdf, reader=reader, now=now))
    if isinstance(appearance, AgencySignature):
        extra: tuple[_Widget, ...] = ()
        if appearance.issuance is not None:
            extra = _issuance_widgets(appearance.issuance, pdf=pdf, reader=reader)
        return _Plan(main=_seal_widget(appearance, reader=reader), extra=extra)
    return _Plan(main=_annex_line_widget(appearance, reader=reader, now=now))


def _page_text(pdf: bytes, reader: PdfFileReader, index: int) -> locate.PageText | None:
    crop = document.crop_box(reader, index)
    try:
        return locate.page_text(pdf, page_number=index + 1, origin=(crop.x0, crop.y0))
    except locate.TextExtractionError:
        return None


def _signer_box(spec: PersonSignature, *, pdf: bytes, reader: PdfFileReader) -> Placement:
    if spec.box is not None:
        return Placement(page=document.page_index(reader, spec.box.page), rect=spec.box.rect)
    last = document.page_index(reader, -1)
    text = _page_text(pdf, reader, last)
    found = locate.find_signer_box(text, name=spec.name, title=spec.title) if text is not None else None
    if found is None:
        return Placement(page=document.page_index(reader, spec.fallback_box.page), rect=spec.fallback_box.rect)
    if found.width < MIN_SIGNER_BOX_WIDTH:
        half = MIN_SIGNER_BOX_WIDTH / 2
        found = Rect(found.centre_x - half, found.y0, found.centre_x + half, found.y1)
    return Placement(page=last, rect=found)


def _person_widget(spec: PersonSignature, *, pdf: bytes, reader: PdfFileReader, now: datetime) -> _Widget:
    image = load_png(spec.image_png)
    box = _signer_box(spec, pdf=pdf, reader=reader)
    caption = [spec.name, signing_time_text(now)] if spec.show_caption else []
    caption_height = (CAPTION_FONT_SIZE + 1) * len(caption) + (2 if caption else 0)
    area = Rect(box.rect.x0, box.rect.y0 + caption_height, box.rect.x1, box.rect.y1)
    picture = fit_image(
        box=area,
        pixel_width=image.width,
        pixel_height=image.height,
        max_height=spec.max_image_height_mm * POINTS_PER_MM,
    )
    rect = _integer_rect(Rect(picture.x0, picture.y0 - caption_height, picture.x1, picture.y1))

    def paint(writer: BasePdfFileWriter, width: float, height: float) -> Canvas:
        canvas = Canvas(writer, width=width, height=height, fonts=_fonts_for(writer))
        canvas.image(image, Rect(0, caption_height, width, height))
        for number, line in enumerate(caption):
            size = min(CAPTION_FONT_SIZE, CAPTION_FONT_SIZE * width / max(text_width(line, size=CAPTION_FONT_SIZE), 1))
            baseline = caption_height - (number + 1) * (CAPTION_FONT_SIZE + 1)
            canvas.text(line, x=width / 2, baseline=baseline + 1, size=size, align="centre", colour=(0.0, 0.0, 0.55))
        return canvas

    return _Widget(page=box.page, rect=rect, painter=paint)


def _seal_widget(spec: AgencySignature, *, reader: PdfFileReader) -> _Widget:
    image = load_png(spec.seal_png)
    width, height = seal_size(width_mm=spec.seal_width_mm, pixel_width=image.width, pixel_height=image.height)
    if spec.box is not None:
        page = document.page_index(reader, spec.box.page)
        rect = spec.box.rect
    else:
        person = _person_widget_on_file(reader, spec.person_field_name)
        if person is not None:
            page = person.page
            rect = seal_rect(person_image=person.rect, seal_width=width, seal_height=height)
        else:
            page = document.page_index(reader, -1)
            default = PersonSignature(image_png=b"", name="", title="").fallback_box.rect
            rect = seal_rect(person_image=default, seal_width=width, seal_height=height)
    crop = document.crop_box(reader, page)
    # keep the whole seal on the page
    dx = max(crop.x0 - rect.x0, 0.0) - max(rect.x1 - crop.x1, 0.0)
    dy = max(crop.y0 - rect.y0, 0.0) - max(rect.y1 - crop.y1, 0.0)
    rect = _integer_rect(rect.translated(dx, dy))

    def paint(writer: BasePdfFileWriter, width: float, height: float) -> Canvas:
        canvas = Canvas(writer, width=width, height=height, fonts=_fonts_for(writer))
        canvas.image(image, Rect(0, 0, width, height))
        return canvas

    return _Widget(page=page, rect=rect, painter=paint)


def _person_widget_on_file(reader: PdfFileReader, field_name: str | None) -> document.SignatureWidget | None:
    widgets = [widget for widget in document.signature_widgets(reader) if widget.is_signed]
    if field_name is not None:
        named = [widget for widget in widgets if widget.field_name == field_name]
        return named[-1] if named else None
    # the person's signature: the last signature that has one single visible widget (an agency
    # signature with issuance boxes has several), preferably on the last page
    counts: dict[str, int] = {}
    for widget in widgets:
        counts[widget.field_name] = counts.get(widget.field_name, 0) + 1
    single = [widget for widget in widgets if counts[widget.field_name] == 1]
    last_page = document.page_index(reader, -1)
    on_last_page = [widget for widget in single if widget.page == last_page]
    candidates = on_last_page or single
    return candidates[-1] if candidates else None


def _annex_line_widget(spec: CopyOrAnnexLine, *, reader: PdfFileReader, now: datetime) -> _Widget:
    label = " — ".join(line.strip() for line in spec.text.splitlines() if line.strip())
    single = f"{label}, {signing_time_text(now)}" if label else signing_time_text(now)
    crop = document.crop_box(reader, 0)
    fits = text_width(single, size=ANNEX_LINE_FONT_SIZE) <= crop.width * ANNEX_LINE_MAX_WIDTH_FRACTION
    lines = [single] if fits else [label, signing_time_text(now)]
    widths = [text_width(line, size=ANNEX_LINE_FONT_SIZE) for line in lines]
    rect = _integer_rect(annex_line_rect(crop=crop, line_widths=widths))

    def paint(writer: BasePdfFileWriter, width: float, height: float) -> Canvas:
        canvas = Canvas(writer, width=width, height=height, fonts=_fonts_for(writer))
        for number, line in enumerate(lines):
            baseline = height - 2 - (number + 1) * ANNEX_LINE_LEADING + 3
            canvas.text(line, x=width - 2, baseline=baseline, size=ANNEX_LINE_FONT_SIZE, align="right")
        return canvas

    return _Widget(page=0, rect=rect, painter=paint)


def _issuance_widgets(spec: IssuanceStamp, *, pdf: bytes, reader: PdfFileReader) -> tuple[_Widget, ...]:
    text = None
    if spec.number_box is None or spec.date_box is None:
        text = _page_text(pdf, reader, 0)
    widgets = []
    for value, placement, finder in (
        (spec.number_symbol, spec.number_box, locate.find_number_slot),
        (spec.issue_date_text, spec.date_box, locate.find_date_slot),
    ):
        if placement is not None:
            page = document.page_index(reader, placement.page)
            slot = locate.TextSlot(
                cover=placement.rect, x=placement.rect.x0 + 1, baseline=placement.rect.y0 + placement.rect.height * 0.22
            )
        else:
            found = finder(text) if text is not None else None
            if found is None:
                raise IssuanceBoxNotFoundError()
            page, slot = 0, found
        widgets.append(_text_slot_widget(value, slot=slot, page=page, size=spec.font_size))
    return tuple(widgets)


def _text_slot_widget(value: str, *, slot: locate.TextSlot, page: int, size: float) -> _Widget:
    width = text_width(value, size=size)
    rect = Rect(slot.cover.x0, slot.cover.y0, max(slot.cover.x1, slot.x + width + 2), slot.cover.y1)

    def paint(writer: BasePdfFileWriter, width: float, height: float) -> Canvas:
        canvas = Canvas(writer, width=width, height=height, fonts=_fonts_for(writer))
        canvas.fill(Rect(0, 0, width, height))
        canvas.text(value, x=slot.x - rect.x0, baseline=slot.baseline - rect.y0, size=size)
        return canvas

    return _Widget(page=page, rect=rect, painter=paint)


# --- signing ------------------------------------------------------------------------------------


@dataclass
class DigestedDocument:
    """A document prepared for one signature and hashed: what is left is the CMS signature."""

    tbs_document: PdfTBSDocument
    prepared: PreparedByteRangeDigest
    post_sign_instructions: Any
    output: io.BytesIO


async def prepare_and_digest(
    *,
    pdf: bytes,
    plan: _Plan,
    signer: Signer,
    field_name: str,
    now: datetime,
    timestamper: TimeStamper | None = None,
    reserve_timestamp: bool = False,
    reason: str | None = None,
    location: str | None = None,
) -> DigestedDocument:
    """Add the signature field and its appearance (and the extra widgets of an issuance stamp)
    as an incremental update, reserve the signature's space and hash the document. Shared by
    direct signing and remote (hash) signing, so both draw exactly the same appearance."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    _FONT_BOOK.set(FontBook(writer))  # lives in this coroutine's context only
    main = plan.main
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=main.page if main is not None else 0,
            box=_int_box(main.rect) if main is not None else None,
            combine_annotation=not plan.extra,
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=MD_ALGORITHM,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    style = CanvasStyle(painter=main.painter, border_width=0) if main is not None else None
    pdf_signer = signers.PdfSigner(metadata, signer, timestamper=timestamper, stamp_style=style)
    session = pdf_signer.init_signing_session(writer, existing_fields_only=True)
    session.system_time = now
    validation_info = await session.perform_presign_validation(writer)
    with_timestamp = timestamper is not None or reserve_timestamp
    tbs_document = session.prepare_tbs_document(
        validation_info=validation_info,
        bytes_reserved=BYTES_RESERVED_WITH_TIMESTAMP if with_timestamp else BYTES_RESERVED,
    )
    if plan.extra:
        _add_widgets(writer, field_name=field_name, widgets=plan.extra)
    output = io.BytesIO()
    prepared, post_sign_instructions = tbs_document.digest_tbs_document(output=output)
    return DigestedDocument(tbs_document, prepared, post_sign_instructions, output)


async def _sign(
    *,
    pdf: bytes,
    plan: _Plan,
    signer: Signer,
    field_name: str,
    now: datetime,
    timestamper: TimeStamper | None,
    reason: str | None,
    location: str | None,
) -> bytes:
    digested = await prepare_and_digest(
        pdf=pdf,
        plan=plan,
        signer=signer,
        field_name=field_name,
        now=now,
        timestamper=timestamper,
        reason=reason,
        location=location,
    )
    post_signing = await digested.tbs_document.perform_signature(
        document_digest=digested.prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=now),
    )
    await post_signing.post_signature_processing(digested.post_sign_instructions)
    return digested.output.getvalue()


# The font book of the signing in progress: every canvas of one signing shares its fonts.
_FONT_BOOK: contextvars.ContextVar[FontBook | None] = contextvars.ContextVar("vanthu_pades_font_book", default=None)


def _fonts_for(writer: BasePdfFileWriter) -> FontBook | None:
    book = _FONT_BOOK.get()
    return book if book is not None and book.writer is writer else None


def _int_box(rect: Rect) -> tuple[int, int, int, int]:
    return (int(rect.x0), int(rect.y0), int(rect.x1), int(rect.y1))


def _add_widgets(writer: IncrementalPdfFileWriter, *, field_name: str, widgets: tuple[_Widget, ...]) -> None:
    """More widgets for the (new) signature field: they are part of its appearance.

    Like pyHanko's own widget of the field, they carry no /Parent: poppler (pdfsig, evince) takes a
    kid with /Parent for a child field, and would list each as an unsigned signature field."""
    matches = [ref for name, _, ref in fields.enumerate_sig_fields(writer) if name == field_name]
    field_ref = matches[0]
    field = field_ref.get_object()
    kids = field["/Kids"]
    for widget in widgets:
        page_ref, _ = writer.find_page_for_modification(widget.page)
        annotation = generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/F"): generic.NumberObject(PRINT_FLAG),
                pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(value) for value in widget.rect.as_tuple()),
                pdf_name("/P"): page_ref,
            }
        )
        widget.painter(writer, widget.rect.width, widget.rect.height).apply_appearance(annotation)
        annotation_ref = writer.add_object(annotation)
        kids.append(annotation_ref)
        writer.register_annotation(page_ref, annotation_ref)
    writer.update_container(kids)
    writer.mark_update(field_ref)
